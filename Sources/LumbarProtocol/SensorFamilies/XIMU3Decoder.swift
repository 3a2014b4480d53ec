import LumbarCore

/// Streaming decoder of x-IMU3 data messages (x-IMU3 user manual, "Communication protocol").
///
/// Every message ends with LF (0x0A). ASCII data messages are `I,<timestamp µs>,gx,gy,gz,ax,ay,az`
/// (gyroscope °/s, accelerometer g); binary ones start with 0x80 + the ASCII letter, then a
/// little-endian UInt64 timestamp in µs and little-endian Float32 arguments, SLIP-style byte-stuffed
/// with END = 0x0A (ESC 0xDB, ESC_END 0xDC, ESC_ESC 0xDD). Command responses start with `{` (JSON) and
/// are counted, not parsed. Both modes may be mixed in one stream. Inertial, battery, temperature,
/// notification and error messages are reported; the other documented messages (quaternion,
/// magnetometer, …) are counted and ignored because Lumbar fuses orientation itself.
///
/// Chunks may split messages anywhere; a message that does not parse is skipped up to its LF.
/// Sample times are device time in seconds (µs / 1e6), so clock alignment works as for Lumbar sensors.
public struct XIMU3Decoder: Sendable, SensorFamilyStreamDecoder {
    /// Longest message kept (stuffed, LF excluded): the longest documented one is a serial accessory
    /// message of 256 bytes, all of them escaped.
    public static let maximumMessageLength = 1 + 2 * (8 + 256)

    public private(set) var counters = SensorFamilyCounters()
    /// Command responses (`{…}` JSON lines) seen: answers to pings and setting reads.
    public private(set) var commandResponses: UInt64 = 0
    private var lines = LineAssembler(capacity: maximumMessageLength)
    /// Unstuffed binary message scratch.
    private var scratch = [UInt8](repeating: 0, count: maximumMessageLength)

    public init() {}

    /// Decodes `bytes` and calls `body` with each output, in stream order.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, _ body: (SensorFamilyOutput) throws -> Void) rethrows {
        counters.bytes &+= UInt64(bytes.count)
        var lines = self.lines
        var scratch = self.scratch
        self.lines = LineAssembler(capacity: 0)
        self.scratch = []
        defer {
            self.lines = lines
            self.scratch = scratch
        }
        try scratch.withUnsafeMutableBytes { scratchBuffer in
            try lines.feed(
                bytes,
                message: { try self.message($0, scratchBuffer, body) },
                oversize: { length in
                    self.counters.oversizeMessages &+= 1
                    self.counters.skippedBytes &+= UInt64(length)
                }
            )
        }
    }

    private mutating func reject(_ message: UnsafeRawBufferPointer) {
        counters.malformedMessages &+= 1
        counters.skippedBytes &+= UInt64(message.count + 1)
    }

    @inline(__always)
    private mutating func message(
        _ message: UnsafeRawBufferPointer,
        _ scratch: UnsafeMutableRawBufferPointer,
        _ body: (SensorFamilyOutput) throws -> Void
    ) rethrows {
        guard let first = message.first else { return reject(message) }
        if first >= 0x80 {
            guard let length = Self.unstuff(message, into: scratch) else { return reject(message) }
            return try binary(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(scratch)[0..<length]), message, body)
        }
        if first == UInt8(ascii: "{") {
            var last = message.count - 1
            if last > 0 && message[last] == 0x0D { last -= 1 }
            guard message[last] == UInt8(ascii: "}") else { return reject(message) }
            commandResponses &+= 1
            counters.messages &+= 1
            return
        }
        try ascii(message, body)
    }

    /// Removes the byte stuffing into `output`; nil on an ESC not followed by ESC_END or ESC_ESC.
    @inline(__always)
    static func unstuff(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        var read = 0
        var write = 0
        let count = input.count
        while read < count {
            var byte = input[read]
            if byte == 0xDB {
                read += 1
                guard read < count else { return nil }
                switch input[read] {
                case 0xDC: byte = 0x0A
                case 0xDD: byte = 0xDB
                default: return nil
                }
            }
            output[write] = byte
            write += 1
            read += 1
        }
        return write
    }

    private mutating func binary(
        _ payload: UnsafeRawBufferPointer,
        _ original: UnsafeRawBufferPointer,
        _ body: (SensorFamilyOutput) throws -> Void
    ) rethrows {
        guard payload.count >= 9 else { return reject(original) }
        let letter = payload[0] &- 0x80
        guard letter >= UInt8(ascii: "A"), letter <= UInt8(ascii: "Z") else { return reject(original) }
        let time = Double(UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: 1, as: UInt64.self))) / 1e6
        @inline(__always) func float(_ index: Int) -> Float {
            Float(bitPattern: UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: 9 + 4 * index, as: UInt32.self)))
        }
        switch letter {
        case UInt8(ascii: "I"):
            guard payload.count == 9 + 6 * 4 else { return reject(original) }
            counters.messages &+= 1
            counters.samples &+= 1
            try body(
                .sample(
                    ImuSample(
                        time: time, accelerometer: Vector3(float(3), float(4), float(5)),
                        gyroscope: Vector3(float(0), float(1), float(2))
                    )
                )
            )
        case UInt8(ascii: "B"):
            guard payload.count == 9 + 3 * 4 else { return reject(original) }
            counters.messages &+= 1
            try body(.battery(time: time, percent: float(0), volts: float(1), chargingStatus: float(2)))
        case UInt8(ascii: "T"):
            guard payload.count == 9 + 4 else { return reject(original) }
            counters.messages &+= 1
            try body(.temperature(time: time, celsius: float(0)))
        case UInt8(ascii: "N"), UInt8(ascii: "F"):
            counters.messages &+= 1
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: payload[9...]), as: UTF8.self)
            try body(letter == UInt8(ascii: "N") ? .notification(time: time, text: text) : .deviceError(time: time, text: text))
        case UInt8(ascii: "S"):
            counters.messages &+= 1
        default:
            // The other documented messages, by their float-argument counts; anything else is not x-IMU3.
            guard let floats = Self.otherArgumentCounts[Int(letter - UInt8(ascii: "A"))], payload.count == 9 + 4 * floats else {
                return reject(original)
            }
            counters.messages &+= 1
        }
    }

    /// Float arguments of the documented messages Lumbar does not use, indexed by letter - "A" (manual:
    /// Euler angles A 3, Earth acceleration E 7, high-g H 3, linear acceleration L 7, magnetometer M 3,
    /// quaternion Q 4, rotation matrix R 9, AHRS status U 4, RSSI W 2).
    static let otherArgumentCounts: [Int?] = {
        var counts = [Int?](repeating: nil, count: 26)
        for (letter, floats) in [("A", 3), ("E", 7), ("H", 3), ("L", 7), ("M", 3), ("Q", 4), ("R", 9), ("U", 4), ("W", 2)] {
            counts[Int(UInt8(ascii: Unicode.Scalar(letter)!) - UInt8(ascii: "A"))] = floats
        }
        return counts
    }()

    /// An ASCII message; its LF is readable right after it (`LineAssembler`), so the numbers are read with
    /// the line's end as their stop (`DecimalText`'s `inLine:` readers).
    @inline(__always)
    private mutating func ascii(_ message: UnsafeRawBufferPointer, _ body: (SensorFamilyOutput) throws -> Void) rethrows {
        var end = message.count
        if end > 0 && message[end - 1] == 0x0D { end -= 1 }
        let letter = message[0]
        guard letter >= UInt8(ascii: "A"), letter <= UInt8(ascii: "Z"), end >= 3, message[1] == UInt8(ascii: ",") else {
            return reject(message)
        }
        guard let (micros, timeEnd) = DecimalText.scanUInt64(inLine: message, 2, end), timeEnd == end || message[timeEnd] == UInt8(ascii: ",")
        else { return reject(message) }
        let time = Double(micros) / 1e6
        switch letter {
        case UInt8(ascii: "N"), UInt8(ascii: "F"):
            counters.messages &+= 1
            let start = min(timeEnd + 1, end)
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: message[start..<end]), as: UTF8.self)
            try body(letter == UInt8(ascii: "N") ? .notification(time: time, text: text) : .deviceError(time: time, text: text))
            return
        case UInt8(ascii: "I"):
            guard let (gyroscope, accelerometer) = Self.inertialArguments(message, after: timeEnd, end) else {
                return reject(message)
            }
            counters.messages &+= 1
            counters.samples &+= 1
            try body(.sample(ImuSample(time: time, accelerometer: accelerometer, gyroscope: gyroscope)))
            return
        case UInt8(ascii: "B"), UInt8(ascii: "T"):
            break
        case UInt8(ascii: "S"):
            counters.messages &+= 1
            return
        default:
            guard Self.otherArgumentCounts[Int(letter - UInt8(ascii: "A"))] != nil else { return reject(message) }
            counters.messages &+= 1
            return
        }
        // Up to three numeric arguments after the timestamp.
        var values: (Float, Float, Float) = (0, 0, 0)
        var count = 0
        var start = timeEnd + 1
        while start <= end && timeEnd < end {
            // One pass per field: the number is read up to the byte that cannot continue it, which must
            // be the comma or the end. Read straight to the Float each argument is (`scanFloat`: the same
            // Float as through the Double, without a division).
            guard count < 3, let (value, stop) = DecimalText.scanFloat(inLine: message, start, end),
                stop == end || message[stop] == UInt8(ascii: ",")
            else { return reject(message) }
            withUnsafeMutableBytes(of: &values) { $0.storeBytes(of: value, toByteOffset: 4 * count, as: Float.self) }
            count += 1
            start = stop + 1
        }
        switch letter {
        case UInt8(ascii: "B"):
            guard count == 3 else { return reject(message) }
            counters.messages &+= 1
            try body(.battery(time: time, percent: values.0, volts: values.1, chargingStatus: values.2))
        default:
            guard count == 1 else { return reject(message) }
            counters.messages &+= 1
            try body(.temperature(time: time, celsius: values.0))
        }
    }

    /// The six arguments of an inertial message (gyroscope °/s, then accelerometer g) after its timestamp
    /// ending at `timeEnd`, read one after the other (the loop of the other messages, unrolled: no count
    /// or store per field); nil unless there are exactly six numbers separated by commas, as the loop
    /// would have it.
    @inline(__always)
    private static func inertialArguments(_ message: UnsafeRawBufferPointer, after timeEnd: Int, _ end: Int)
        -> (gyroscope: Vector3, accelerometer: Vector3)?
    {
        let base = message.baseAddress.unsafelyUnwrapped
        /// The number from `start`, and where the next one starts (after its comma); `end + 1` after the last.
        @inline(__always) func argument(_ start: Int) -> (value: Float, next: Int)? {
            guard start <= end, let (value, stop) = DecimalText.scanFloat(inLine: message, start, end),
                stop == end || base.load(fromByteOffset: stop, as: UInt8.self) == UInt8(ascii: ",")
            else { return nil }
            return (value, stop &+ 1)
        }
        guard timeEnd < end, let (gx, s1) = argument(timeEnd &+ 1), let (gy, s2) = argument(s1), let (gz, s3) = argument(s2),
            let (ax, s4) = argument(s3), let (ay, s5) = argument(s4), let (az, last) = argument(s5), last == end &+ 1
        else { return nil }
        return (Vector3(gx, gy, gz), Vector3(ax, ay, az))
    }
}
