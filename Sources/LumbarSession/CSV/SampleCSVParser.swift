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

    public init(file: String) { self.file = file }

    /// Parses line number `number` (1-based). Returns nil for the header, blank lines and comments.
    /// - Throws: `CSVError` for a malformed header or row.
    public mutating func parse(line: String, number lineNumber: Int) throws(CSVError) -> SampleCSVRecord? {
        let trimmed = Substring(line).trimmingSpaces
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
        guard let header else {
            header = try SampleCSVHeader(line: line, file: file, lineNumber: lineNumber)
            return nil
        }
        // Split on the UTF-8 bytes: commas are ASCII, and this skips grapheme breaking.
        let fields = line.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map {
            Substring($0)
        }
        guard fields.count >= header.requiredFieldCount else {
            throw CSVError(
                file: file, line: lineNumber,
                message: "expected \(header.names.count) fields as in the header, found \(fields.count)")
        }
        func value(_ i: Int, scale: Double = 1) throws(CSVError) -> Double {
            let text = fields[i].trimmingSpaces
            guard let value = CSVNumber.parse(text) else {
                throw CSVError(
                    file: file, line: lineNumber, column: i + 1, columnName: header.names[i],
                    message: "expected a number, found '\(text)'")
            }
            return value * scale
        }
        var sensor: SampleCSVSensor?
        var slot = lastTimes.count - 1
        if let s = header.sensor {
            let word = fields[s].trimmingSpaces
            guard let found = SampleCSVSensor(rawValue: String(word).lowercased()) else {
                throw CSVError(
                    file: file, line: lineNumber, column: s + 1, columnName: header.names[s],
                    message: "expected lumbar, left_ankle, right_ankle or ankle, found '\(word)'")
            }
            sensor = found
            slot = SampleCSVSensor.allCases.firstIndex(of: found)!
        }
        let time = try value(header.time)
        guard time.isFinite else {
            throw CSVError(
                file: file, line: lineNumber, column: header.time + 1, columnName: header.names[header.time],
                message: "expected a finite time in seconds, found '\(fields[header.time].trimmingSpaces)'")
        }
        guard time >= lastTimes[slot] else {
            throw CSVError(
                file: file, line: lineNumber, column: header.time + 1, columnName: header.names[header.time],
                message: "expected time not to go backwards\(sensor.map { " for sensor \($0)" } ?? ""), found \(time) after \(lastTimes[slot])")
        }
        lastTimes[slot] = time
        let a = header.accelerometer, g = header.gyroscope
        let accelerometer = Vector3(
            Float(try value(a.0, scale: header.accelerometerScale)),
            Float(try value(a.1, scale: header.accelerometerScale)),
            Float(try value(a.2, scale: header.accelerometerScale)))
        let gyroscope = Vector3(
            Float(try value(g.0, scale: header.gyroscopeScale)),
            Float(try value(g.1, scale: header.gyroscopeScale)),
            Float(try value(g.2, scale: header.gyroscopeScale)))
        return SampleCSVRecord(
            sensor: sensor, sample: ImuSample(time: time, accelerometer: accelerometer, gyroscope: gyroscope),
            line: lineNumber)
    }
}
