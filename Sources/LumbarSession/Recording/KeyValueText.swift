/// The text form of header and sensor records: `key=value` lines, UTF-8, in a fixed order.
///
/// Keys are `[a-z0-9_]`; values may hold any text, with `\` written `\\` and a newline `\n`.
/// Readers ignore keys they do not know.
public struct KeyValueText: Sendable, Hashable {
    /// The pairs in the order they are written.
    public var pairs: [(key: String, value: String)]

    public init(_ pairs: [(key: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// The value of the first pair named `key`.
    public subscript(key: String) -> String? {
        pairs.first { $0.key == key }?.value
    }

    /// Appends a pair.
    public mutating func append(_ key: String, _ value: String) {
        pairs.append((key, value))
    }

    /// The encoded bytes.
    public var encoded: [UInt8] {
        var text = ""
        for (k, v) in pairs {
            text += k
            text += "="
            for c in v {
                switch c {
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                default: text.append(c)
                }
            }
            text += "\n"
        }
        return Array(text.utf8)
    }

    /// Parses encoded bytes; lines without `=` are ignored, invalid UTF-8 is repaired.
    public init(decoding bytes: some Collection<UInt8>) {
        pairs = []
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let eq = line.firstIndex(of: "=") else { continue }
            var value = ""
            var escaped = false
            for c in line[line.index(after: eq)...] {
                if escaped {
                    value.append(c == "n" ? "\n" : c)
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else {
                    value.append(c)
                }
            }
            pairs.append((String(line[..<eq]), value))
        }
    }

    public static func == (a: KeyValueText, b: KeyValueText) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (k, v) in pairs {
            hasher.combine(k)
            hasher.combine(v)
        }
    }
}
