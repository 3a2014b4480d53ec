/// x-IMU3 command messages (x-IMU3 user manual, "Command messages"): what Lumbar sends an x-IMU3 and
/// how it reads the answers. A command is a JSON object holding one key/value pair, terminated by LF;
/// the device acknowledges each with a command message of the same key: a write setting command is
/// answered with the value the device took, a ping with its interface, name and serial number, a
/// command it cannot carry out with `{"key":{"error":"..."}}`. Keys are not case sensitive and ignore
/// non-alphanumeric characters (`serial_number`, `Serial Number` and `serialNumber` are one key).
///
/// Settings written take effect two seconds after the last write, or at once on the apply command
/// (Lumbar sends it). The inertial sensor samples at 400 Hz; the inertial message rate is 400 Hz divided
/// by the `inertial_message_rate_divisor` setting (0: no inertial messages; above 1 a message is the
/// average of that many samples). The gyroscope and accelerometer ranges are fixed by the hardware: no
/// command changes them.
public enum XIMU3Command {
    /// The inertial sensor's fixed sample rate, Hz (manual, "Sample rates").
    public static let inertialSampleRate = 400.0
    /// The setting key of the inertial message rate divisor.
    public static let inertialDivisorKey = "inertial_message_rate_divisor"

    /// `{"ping":null}` preceded by a lone LF: an x-IMU3 that had a partial line in its receive buffer
    /// (bytes from another protocol) ends it there instead of losing the ping to it. Holds no 0x00 (a
    /// Lumbar frame delimiter) and no 0xFF 0xAA (a WitMotion command), so no other family acts on it.
    public static let ping: [UInt8] = Array("\n{\"ping\":null}\n".utf8)
    /// `{"apply":null}`: apply the settings written now rather than two seconds later.
    public static let apply: [UInt8] = Array("{\"apply\":null}\n".utf8)

    /// The write setting command `{"key":value}` for an integer setting.
    public static func write(_ key: String, _ value: UInt32) -> [UInt8] {
        Array("{\"\(key)\":\(value)}\n".utf8)
    }

    /// The read setting command `{"key":null}`.
    public static func read(_ key: String) -> [UInt8] {
        Array("{\"\(key)\":null}\n".utf8)
    }

    /// The divisor that brings the inertial message rate nearest to `hertz` (1 … 400 Hz): at least 1.
    public static func divisor(forRate hertz: Double) -> UInt32 {
        guard hertz.isFinite, hertz > 0 else { return 1 }
        return UInt32(max(1, min(Double(UInt32.max), (inertialSampleRate / hertz).rounded())))
    }

    /// The inertial message rate of `divisor`, Hz (0 for 0: no messages).
    public static func rate(divisor: UInt32) -> Double {
        divisor == 0 ? 0 : inertialSampleRate / Double(divisor)
    }

    /// A key as the device compares it: lowercase letters and digits only.
    public static func normalized(_ key: String) -> String {
        var out = ""
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): out.unicodeScalars.append(Unicode.Scalar(byte | 0x20))
            default: break
            }
        }
        return out
    }

    /// The value of a command message.
    public enum Value: Sendable, Equatable {
        case null
        case number(Double)
        case string(String)
        case bool(Bool)
        /// An object of scalar values (the ping response, an error response), its strings by key.
        case object([String: String])
    }

    /// One command message from the device.
    public struct Response: Sendable, Equatable {
        /// The key as the device sent it.
        public var key: String
        public var value: Value

        /// The error text of an error response (`{"key":{"error":"..."}}`).
        public var error: String? {
            if case .object(let fields) = value { return fields["error"] }
            return nil
        }

        /// The ping response's interface, device name and serial number.
        public var ping: (interface: String, name: String, serialNumber: String)? {
            guard XIMU3Command.normalized(key) == "ping", case .object(let f) = value, let sn = f["sn"] else { return nil }
            return (f["interface"] ?? "", f["name"] ?? "", sn)
        }
    }

    /// Parses one command message (the bytes of one line, LF excluded, a CR before it allowed); nil when
    /// it is not a JSON object of one key/value pair Lumbar understands.
    public static func parse(_ line: some Collection<UInt8>) -> Response? {
        var parser = JSONLine(Array(line))
        return parser.response()
    }
}

/// The little JSON reader a command message needs: an object of one key whose value is null, a bool, a
/// number, a string, or an object of such values.
private struct JSONLine {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func response() -> XIMU3Command.Response? {
        guard consume(UInt8(ascii: "{")), let key = string(), consume(UInt8(ascii: ":")) else { return nil }
        let value: XIMU3Command.Value
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "{") {
            index += 1
            var fields: [String: String] = [:]
            if !consume(UInt8(ascii: "}")) {
                repeat {
                    guard let name = string(), consume(UInt8(ascii: ":")), let field = scalar() else { return nil }
                    switch field {
                    case .string(let s): fields[name] = s
                    case .number(let n): fields[name] = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
                    case .bool(let b): fields[name] = String(b)
                    default: fields[name] = "null"
                    }
                } while consume(UInt8(ascii: ","))
                guard consume(UInt8(ascii: "}")) else { return nil }
            }
            value = .object(fields)
        } else {
            guard let scalar = scalar() else { return nil }
            value = scalar
        }
        guard consume(UInt8(ascii: "}")) else { return nil }
        skipSpace()
        if index < bytes.count, bytes[index] == 0x0D { index += 1 }
        return index == bytes.count ? XIMU3Command.Response(key: key, value: value) : nil
    }

    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func literal(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard bytes.count - index >= w.count, Array(bytes[index..<index + w.count]) == w else { return false }
        index += w.count
        return true
    }

    mutating func scalar() -> XIMU3Command.Value? {
        skipSpace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""): return string().map { .string($0) }
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        default:
            let start = index
            while index < bytes.count, "+-.0123456789eE".utf8.contains(bytes[index]) { index += 1 }
            return Double(String(decoding: bytes[start..<index], as: UTF8.self)).map { .number($0) }
        }
    }

    /// A JSON string; escapes `\" \\ \/ \b \f \n \r \t \uXXXX` (BMP only).
    mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard bytes.count - index >= 4, let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { return nil }
                    index += 4
                    out += Array(String(Character(scalar)).utf8)
                default: out.append(escape)
                }
            default: out.append(byte)
            }
        }
        return nil
    }
}

/// Finds the command messages (`{…}` lines) in an x-IMU3 byte stream, whatever data messages (ASCII or
/// binary) are mixed in, chunks split anywhere. A command message is also found at the end of a line whose
/// start was lost (a port opened mid-message, a message cut short): it is parsed from the first `{"` from
/// which the rest of the line is one. Lines longer than `limit` are skipped.
public struct XIMU3ResponseScanner: Sendable {
    private var line: [UInt8] = []
    private var overflow = false
    /// Longest line looked at, bytes.
    public static let limit = 1024

    public init() {}

    /// Feeds bytes; calls `body` with each command message completed by them.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ body: (XIMU3Command.Response) -> Void) {
        for byte in bytes {
            if byte == 0x0A {
                if !overflow, let response = Self.response(in: line) { body(response) }
                line.removeAll(keepingCapacity: true)
                overflow = false
            } else if overflow {
                continue
            } else if line.count >= Self.limit {
                overflow = true
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
    }

    /// Bytes held in an array.
    public mutating func feed(_ bytes: [UInt8], _ body: (XIMU3Command.Response) -> Void) {
        bytes.withUnsafeBytes { feed($0, body) }
    }

    private static func response(in line: [UInt8]) -> XIMU3Command.Response? {
        var start = 0
        while let brace = line[start...].firstIndex(of: UInt8(ascii: "{")) {
            if brace + 1 < line.count, line[brace + 1] == UInt8(ascii: "\""), let response = XIMU3Command.parse(line[brace...]) {
                return response
            }
            start = brace + 1
        }
        return nil
    }
}
