import LumbarCore

/// Where the Sample CSV's columns are and in which units (FORMATS.md §1), read from its header row.
///
/// Accepted: `time_s`; optional `sensor`; `acc_{x,y,z}_g` or `acc_{x,y,z}_ms2`; `gyr_{x,y,z}_dps` or
/// `gyr_{x,y,z}_rads`. Other columns are ignored; when both unit sets are complete, g and deg/s win.
public struct SampleCSVHeader: Sendable, Hashable {
    /// The header's column names, in order.
    public let names: [String]
    /// 0-based index of `time_s`.
    public let time: Int
    /// 0-based index of `sensor`, nil when the file holds one sensor.
    public let sensor: Int?
    /// 0-based indices of the accelerometer x, y, z columns.
    public let accelerometer: (Int, Int, Int)
    /// 0-based indices of the gyroscope x, y, z columns.
    public let gyroscope: (Int, Int, Int)
    /// Multiplier from the file's accelerometer unit to g.
    public let accelerometerScale: Double
    /// Multiplier from the file's gyroscope unit to deg/s.
    public let gyroscopeScale: Double
    /// The fewest fields a row must have to reach every used column.
    public let requiredFieldCount: Int

    /// Reads the header row `line` (line `lineNumber` of `file`, for messages).
    /// - Throws: `CSVError` naming the missing or incomplete columns.
    public init(line: String, file: String, lineNumber: Int) throws(CSVError) {
        var text = Substring(line)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0.trimmingSpaces).lowercased()
        }
        self.names = names
        func fail(_ message: String) -> CSVError { CSVError(file: file, line: lineNumber, message: message) }
        func index(_ name: String) -> Int? { names.firstIndex(of: name) }
        /// The three axis columns `prefix_{x,y,z}_suffix`: nil when none exists; an error when incomplete.
        func axes(_ prefix: String, _ suffix: String) throws(CSVError) -> (Int, Int, Int)? {
            let found = ["x", "y", "z"].map { index("\(prefix)_\($0)_\(suffix)") }
            if found.allSatisfy({ $0 == nil }) { return nil }
            guard let x = found[0], let y = found[1], let z = found[2] else {
                let missing = zip(["x", "y", "z"], found).filter { $0.1 == nil }.map { "\(prefix)_\($0.0)_\(suffix)" }
                throw fail("incomplete header: missing column \(missing.joined(separator: ", "))")
            }
            return (x, y, z)
        }
        guard let time = index("time_s") else {
            throw fail("header has no 'time_s' column (expected e.g. time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps)")
        }
        self.time = time
        sensor = index("sensor")
        if let g = try axes("acc", "g") {
            accelerometer = g
            accelerometerScale = 1
        } else if let ms2 = try axes("acc", "ms2") {
            accelerometer = ms2
            accelerometerScale = 1 / Double(Units.standardGravity)
        } else {
            throw fail("header has no accelerometer columns (expected acc_x_g,acc_y_g,acc_z_g or acc_x_ms2,acc_y_ms2,acc_z_ms2)")
        }
        if let dps = try axes("gyr", "dps") {
            gyroscope = dps
            gyroscopeScale = 1
        } else if let rads = try axes("gyr", "rads") {
            gyroscope = rads
            gyroscopeScale = 180 / Double.pi
        } else {
            throw fail("header has no gyroscope columns (expected gyr_x_dps,gyr_y_dps,gyr_z_dps or gyr_x_rads,gyr_y_rads,gyr_z_rads)")
        }
        requiredFieldCount =
            1 + [time, sensor ?? 0, accelerometer.0, accelerometer.1, accelerometer.2, gyroscope.0, gyroscope.1, gyroscope.2]
            .max()!
    }

    public static func == (a: SampleCSVHeader, b: SampleCSVHeader) -> Bool { a.names == b.names }
    public func hash(into hasher: inout Hasher) { hasher.combine(names) }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let bytes = utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start = bytes.index(after: start) }
        while end > start {
            let before = bytes.index(before: end)
            guard bytes[before] == 0x20 || bytes[before] == 0x09 else { break }
            end = before
        }
        return Substring(bytes[start..<end])
    }
}
