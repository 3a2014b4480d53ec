/// The body of `POST /api/person`: `{"name":"…"}`, one JSON object with one string member (JSON string
/// escapes included, `\uXXXX` with surrogate pairs). Anything else is nil: the route answers 400.
enum PersonChoiceBody {
    static func name(in text: String) -> String? {
        var p = Parser(Array(text.unicodeScalars))
        p.skipSpace()
        guard p.take("{") else { return nil }
        p.skipSpace()
        guard p.string() == "name" else { return nil }
        p.skipSpace()
        guard p.take(":") else { return nil }
        p.skipSpace()
        guard let value = p.string() else { return nil }
        p.skipSpace()
        guard p.take("}") else { return nil }
        p.skipSpace()
        return p.atEnd ? value : nil
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { i == s.count }

        mutating func skipSpace() {
            while i < s.count, [" ", "\t", "\n", "\r"].contains(s[i]) { i += 1 }
        }

        mutating func take(_ c: Unicode.Scalar) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= s.count else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard let d = UInt32(String(s[i]), radix: 16) else { return nil }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        mutating func string() -> String? {
            guard take("\"") else { return nil }
            var out = String.UnicodeScalarView()
            while i < s.count {
                let c = s[i]
                i += 1
                switch c {
                case "\"": return String(out)
                case "\\":
                    guard i < s.count else { return nil }
                    let e = s[i]
                    i += 1
                    switch e {
                    case "\"", "\\", "/": out.append(e)
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "b": out.append("\u{8}")
                    case "f": out.append("\u{C}")
                    case "u":
                        guard var v = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(v) {
                            guard take("\\"), take("u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(v) else { return nil }
                        out.append(scalar)
                    default: return nil
                    }
                default:
                    guard c.value >= 0x20 else { return nil }
                    out.append(c)
                }
            }
            return nil
        }
    }
}
