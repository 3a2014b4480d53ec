import LumbarCore

/// One data row of a Sample CSV: which sensor (if the file says), the sample in g and deg/s, and
/// the line it came from.
public struct SampleCSVRecord: Sendable, Hashable {
    /// The `sensor` column's value; nil when the file has no `sensor` column.
    public var sensor: SampleCSVSensor?
    /// Time in seconds as in the file; accelerometer in g; gyroscope in deg/s.
    public var sample: ImuSample
    /// 1-based line number in the file.
    public var line: Int

    public init(sensor: SampleCSVSensor?, sample: ImuSample, line: Int) {
        self.sensor = sensor
        self.sample = sample
        self.line = line
    }
}

/// Turns the lines of a Sample CSV (FORMATS.md §1) into records, one line at a time: the first
/// line that is neither blank nor a `#` comment is the header; every later one is a row.
///
/// Checks each row: enough fields, numbers where numbers belong, a finite `time_s` that does not go
/// backwards for its sensor, a known `sensor` word. Errors name the file, line and column.
public struct SampleCSVParser: Sendable {
    /// The file name used in messages.
    public let file: String
    /// The header, once its line has been seen.
    public private(set) var header: SampleCSVHeader?
    /// Latest time per sensor (index: sensor's position in `SampleCSVSensor.allCases`, last slot: no column).
    private var lastTimes = [Double](repeating: -.infinity, count: SampleCSVSensor.allCases.count + 1)
    /// Start and end byte offsets of each field of the current row (reused).
    private var bounds: [Int] = []

    public init(file: String) { self.file = file }

    /// Parses line number `number` (1-based). Returns nil for the header, blank lines and comments.
    /// - Throws: `CSVError` for a malformed header or row.
    public mutating func parse(line: String, number lineNumber: Int) throws(CSVError) -> SampleCSVRecord? {
        guard let header else {
            let trimmed = Substring(line).trimmingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
            header = try SampleCSVHeader(line: line, file: file, lineNumber: lineNumber)
            return nil
        }
        var text = line
        let row = text.withUTF8 { bytes in parseRow(bytes, header: header, number: lineNumber) }
        return try row.get()
    }

    /// A data row from its UTF-8 bytes: fields found and numbers parsed in place (no allocation per row;
    /// messages are built only for errors).
    private mutating func parseRow(
        _ bytes: UnsafeBufferPointer<UInt8>, header: SampleCSVHeader, number lineNumber: Int
    ) -> Result<SampleCSVRecord?, CSVError> {
        // Blank lines and comments (after spaces and tabs) are skipped.
        var first = 0
        while first < bytes.count && (bytes[first] == 0x20 || bytes[first] == 0x09) { first += 1 }
        if first == bytes.count || bytes[first] == UInt8(ascii: "#") { return .success(nil) }
        bounds.removeAll(keepingCapacity: true)
        var start = 0
        for i in 0..<bytes.count where bytes[i] == UInt8(ascii: ",") {
            bounds.append(start)
            bounds.append(i)
            start = i + 1
        }
        bounds.append(start)
        bounds.append(bytes.count)
        let fieldCount = bounds.count / 2
        guard fieldCount >= header.requiredFieldCount else {
            return .failure(CSVError(
                file: file, line: lineNumber,
                message: "expected \(header.names.count) fields as in the header, found \(fieldCount)"))
        }
        let bounds = self.bounds
        /// Field `i` without surrounding spaces and tabs.
        func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            var a = bounds[2 * i]
            var b = bounds[2 * i + 1]
            while a < b && (bytes[a] == 0x20 || bytes[a] == 0x09) { a += 1 }
            while b > a && (bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09) { b -= 1 }
            return UnsafeBufferPointer(rebasing: bytes[a..<b])
        }
        func text(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }
        func value(_ i: Int, scale: Double = 1) throws(CSVError) -> Double {
            guard let value = CSVNumber.parse(field(i)) else {
                throw CSVError(
                    file: file, line: lineNumber, column: i + 1, columnName: header.names[i],
                    message: "expected a number, found '\(text(i))'")
            }
            return value * scale
        }
        do throws(CSVError) {
            var sensor: SampleCSVSensor?
            var slot = lastTimes.count - 1
            if let s = header.sensor {
                guard let found = Self.sensor(field(s)) else {
                    throw CSVError(
                        file: file, line: lineNumber, column: s + 1, columnName: header.names[s],
                        message: "expected lumbar, left_ankle, right_ankle or ankle, found '\(text(s))'")
                }
                sensor = found
                slot = SampleCSVSensor.allCases.firstIndex(of: found)!
            }
            let time = try value(header.time)
            guard time.isFinite else {
                throw CSVError(
                    file: file, line: lineNumber, column: header.time + 1, columnName: header.names[header.time],
                    message: "expected a finite time in seconds, found '\(text(header.time))'")
            }
            guard time >= lastTimes[slot] else {
                throw CSVError(
                    file: file, line: lineNumber, column: header.time + 1, columnName: header.names[header.time],
                    message: "expected time not to go backwards\(sensor.map { " for sensor \($0)" } ?? ""), found \(time) after \(lastTimes[slot])")
            }
            lastTimes[slot] = time
            let a = header.accelerometer, g = header.gyroscope
            /// A measurement as Float: `inf`, `nan` and values beyond Float's range are refused (one `inf`
            /// gyroscope value silently lowered the lumbar maxima of a whole session by ~20%).
            func measurement(_ i: Int, scale: Double) throws(CSVError) -> Float {
                let v = Float(try value(i, scale: scale))
                guard v.isFinite else {
                    throw CSVError(
                        file: file, line: lineNumber, column: i + 1, columnName: header.names[i],
                        message: "expected a finite number, found '\(text(i))'")
                }
                return v
            }
            let accelerometer = Vector3(
                try measurement(a.0, scale: header.accelerometerScale),
                try measurement(a.1, scale: header.accelerometerScale),
                try measurement(a.2, scale: header.accelerometerScale))
            let gyroscope = Vector3(
                try measurement(g.0, scale: header.gyroscopeScale),
                try measurement(g.1, scale: header.gyroscopeScale),
                try measurement(g.2, scale: header.gyroscopeScale))
            return .success(SampleCSVRecord(
                sensor: sensor, sample: ImuSample(time: time, accelerometer: accelerometer, gyroscope: gyroscope),
                line: lineNumber))
        } catch {
            return .failure(error)
        }
    }

    /// The sensor word (any letter case), without allocating for the usual ASCII spellings.
    private static func sensor(_ word: UnsafeBufferPointer<UInt8>) -> SampleCSVSensor? {
        if word.contains(where: { $0 >= 0x80 }) {
            return SampleCSVSensor(rawValue: String(decoding: word, as: UTF8.self).lowercased())
        }
        for candidate in SampleCSVSensor.allCases {
            let raw = candidate.rawValue.utf8
            if raw.count == word.count && zip(raw, word).allSatisfy({ $0 == ($1 >= 0x41 && $1 <= 0x5A ? $1 | 0x20 : $1) }) {
                return candidate
            }
        }
        return nil
    }
}
