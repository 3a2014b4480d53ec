import LumbarCore

/// Streaming decoder of one-sample-per-line text (`t_us,ax,ay,az,gx,gy,gz`), for maker boards such as an
/// Arduino with an MPU-6050 printing `Serial.println` lines at any baud rate.
///
/// Lines end with LF (a CR before it is ignored); fields are separated by commas, semicolons, tabs or
/// spaces. A line starting with `#` is a comment; a line starting with a letter is a header and sets the
/// columns and units (`TextLineFormat`); a header that does not parse is counted as malformed and the
/// previous format stays. Data lines must have exactly the format's column count.
///
/// Time is device time. A 32-bit microsecond or millisecond counter (Arduino `micros()` wraps every
/// 71.6 minutes) is unwrapped: a backwards jump of more than half the 32-bit range, from a value that
/// fits 32 bits, adds 2³² units. Sample times are in seconds.
public struct TextLineDecoder: Sendable, SensorFamilyStreamDecoder {
    /// Longest line kept (a line of seven floats printed in full is under 200 bytes).
    public static let maximumLineLength = 512

    public private(set) var counters = SensorFamilyCounters()
    /// The current column layout and units.
    public private(set) var format: TextLineFormat {
        didSet { layout = Layout(format) }
    }
    /// `format`'s columns as plain numbers, read per line without touching its arrays (copying the format
    /// per line retained and released its `columns`).
    private var layout: Layout
    /// Why the last rejected header was rejected (for a one-line warning); nil if none was.
    public private(set) var lastHeaderError: TextLineFormat.HeaderError?
    private var lines = LineAssembler(capacity: maximumLineLength)
    /// False: lines of the in-order layout are read by the general loop too (tests pin both ways to the
    /// same results).
    var readsInOrderLinesUnrolled = true
    /// Unwrapping of 32-bit device counters: last raw time value and the wraps added so far.
    private var lastRawTime: Double?
    private var wrapOffset: Double = 0

    public init(format: TextLineFormat = .standard) {
        self.format = format
        layout = Layout(format)
    }

    /// Where each quantity is in a data line, and the units, as `TextLineFormat` states them.
    private struct Layout {
        var timeColumn: Int
        var columnCount: Int
        /// Byte offsets of ax, ay, az, gx, gy, gz among the line's Float fields (4 × column).
        var offsets: (Int, Int, Int, Int, Int, Int)
        var secondsPerTimeUnit: Double
        var gPerAccelerationUnit: Float
        var degreesPerSecondPerGyroscopeUnit: Float
        /// Seven columns, time then ax, ay, az, gx, gy, gz in that order (`standardFields`).
        var isInOrder: Bool

        init(_ format: TextLineFormat) {
            let c = format.columns
            timeColumn = c[0]
            columnCount = format.columnCount
            offsets = (4 * c[1], 4 * c[2], 4 * c[3], 4 * c[4], 4 * c[5], 4 * c[6])
            secondsPerTimeUnit = format.secondsPerTimeUnit
            gPerAccelerationUnit = format.gPerAccelerationUnit
            degreesPerSecondPerGyroscopeUnit = format.degreesPerSecondPerGyroscopeUnit
            isInOrder = c == Array(0..<7) && columnCount == 7
        }
    }

    /// Decodes `bytes` and calls `body` with each output, in stream order.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, _ body: (SensorFamilyOutput) throws -> Void) rethrows {
        counters.bytes &+= UInt64(bytes.count)
        var lines = self.lines
        self.lines = LineAssembler(capacity: 0)
        defer { self.lines = lines }
        try lines.feed(
            bytes,
            message: { try self.line($0, body) },
            oversize: { length in
                self.counters.oversizeMessages &+= 1
                self.counters.skippedBytes &+= UInt64(length)
            }
        )
    }

    private mutating func reject(_ line: UnsafeRawBufferPointer) {
        counters.malformedMessages &+= 1
        counters.skippedBytes &+= UInt64(line.count + 1)
    }

    @inline(__always)
    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: " ")
    }

    /// One line; its LF is readable right after it (`LineAssembler`), so the numbers are read with the
    /// line's end as their stop (`DecimalText`'s `inLine:` readers).
    @inline(__always)
    private mutating func line(_ line: UnsafeRawBufferPointer, _ body: (SensorFamilyOutput) throws -> Void) rethrows {
        var end = line.count
        if end > 0 && line[end - 1] == 0x0D { end -= 1 }
        guard end > 0 else {
            counters.skippedBytes &+= UInt64(line.count + 1)
            return
        }
        let first = line[0]
        if first == UInt8(ascii: "#") {
            counters.messages &+= 1
            return
        }
        if first | 0x20 >= UInt8(ascii: "a") && first | 0x20 <= UInt8(ascii: "z") {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<end]), as: UTF8.self)
            do {
                format = try TextLineFormat(header: text)
                counters.messages &+= 1
                lastRawTime = nil
                wrapOffset = 0
            } catch {
                lastHeaderError = error
                reject(line)
            }
            return
        }
        let layout = self.layout
        guard let (raw, v) = layout.isInOrder && readsInOrderLinesUnrolled ? Self.fieldsInOrder(line, end) : Self.fields(line, end, layout) else {
            return reject(line)
        }
        if let last = lastRawTime, raw < last, last < 4_294_967_296, last - raw > 2_147_483_648 {
            wrapOffset += 4_294_967_296
        }
        lastRawTime = raw
        let a = layout.gPerAccelerationUnit
        let g = layout.degreesPerSecondPerGyroscopeUnit
        counters.messages &+= 1
        counters.samples &+= 1
        try body(
            .sample(
                ImuSample(
                    time: (raw + wrapOffset) * layout.secondsPerTimeUnit,
                    accelerometer: Vector3(v.0 * a, v.1 * a, v.2 * a),
                    gyroscope: Vector3(v.3 * g, v.4 * g, v.5 * g)
                )
            )
        )
    }

    /// A data line's time (raw, in the format's unit) and ax, ay, az, gx, gy, gz (in its units); nil when
    /// the line is not exactly the format's numbers.
    @inline(__always)
    private static func fields(_ line: UnsafeRawBufferPointer, _ end: Int, _ layout: Layout)
        -> (raw: Double, values: (Float, Float, Float, Float, Float, Float))?
    {
        // Up to 16 numeric fields, parsed in place: the time column as a Double, the others straight to the
        // Float they become (`scanFloat`: the same Float as through the Double, without a division).
        var values: (Float, Float, Float, Float, Float, Float, Float, Float,
                     Float, Float, Float, Float, Float, Float, Float, Float) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var raw = 0.0
        let timeColumn = layout.timeColumn
        var count = 0
        var start = 0
        while start < end {
            guard count < 16 else { return nil }
            let stop: Int
            if count == timeColumn {
                guard let (value, next) = DecimalText.scanDouble(inLine: line, start, end) else { return nil }
                raw = value
                stop = next
            } else {
                guard let (value, next) = DecimalText.scanFloat(inLine: line, start, end) else { return nil }
                withUnsafeMutableBytes(of: &values) { $0.storeBytes(of: value, toByteOffset: 4 * count, as: Float.self) }
                stop = next
            }
            guard stop == end || Self.isSeparator(line[stop]) else { return nil }
            count += 1
            start = stop + 1
            while start < end && line[start] == UInt8(ascii: " ") { start += 1 }
        }
        guard count == layout.columnCount else { return nil }
        let field = { (offset: Int) -> Float in
            withUnsafeBytes(of: &values) { $0.load(fromByteOffset: offset, as: Float.self) }
        }
        let o = layout.offsets
        return (raw, (field(o.0), field(o.1), field(o.2), field(o.3), field(o.4), field(o.5)))
    }

    /// `fields` for the layout `t,ax,ay,az,gx,gy,gz` in that order (the standard one, and what an Arduino
    /// sketch prints): the seven fields read one after the other without the general loop's column
    /// bookkeeping (a field count, the time column's test and a store per field); the same lines accepted.
    @inline(__always)
    private static func fieldsInOrder(_ line: UnsafeRawBufferPointer, _ end: Int)
        -> (raw: Double, values: (Float, Float, Float, Float, Float, Float))?
    {
        let base = line.baseAddress.unsafelyUnwrapped
        /// Where the field after one that stopped at `stop` starts, past its separator and any spaces (the
        /// byte at `end`, CR or LF, stops that at the latest); `end` when the line ends there.
        @inline(__always) func next(_ stop: Int) -> Int? {
            if stop == end { return end }
            let separator = base.load(fromByteOffset: stop, as: UInt8.self)
            guard separator == UInt8(ascii: ",") || isSeparator(separator) else { return nil }
            var start = stop &+ 1
            while base.load(fromByteOffset: start, as: UInt8.self) == UInt8(ascii: " ") { start &+= 1 }
            return start
        }
        @inline(__always) func float(_ start: Int) -> (value: Float, next: Int)? {
            // A field starting at `end` (after a trailing separator) is no number: the CR or LF stops it.
            guard let (value, stop) = DecimalText.scanFloat(inLine: line, start, end), let after = next(stop) else {
                return nil
            }
            return (value, after)
        }
        guard end > 0, let (raw, stop) = DecimalText.scanDouble(inLineLong: line, 0, end), let s1 = next(stop),
            let (ax, s2) = float(s1), let (ay, s3) = float(s2), let (az, s4) = float(s3),
            let (gx, s5) = float(s4), let (gy, s6) = float(s5), let (gz, last) = float(s6), last == end
        else { return nil }
        return (raw, (ax, ay, az, gx, gy, gz))
    }
}
