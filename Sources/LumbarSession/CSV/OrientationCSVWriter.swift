import LumbarCore

/// Writes an Orientation CSV (FORMATS.md §2): `time_s,qw,qx,qy,qz`, plus a `sensor` column when asked.
///
/// `time_s` is written in the shortest form that reads back as the same Double, so each output row
/// carries exactly the time of its input row; quaternion components get 7 decimals.
public final class OrientationCSVWriter {
    /// The path as given (`-` is standard output).
    public let path: String
    private let file: TextFileWriter
    private let withSensor: Bool
    private var pending = ""

    /// Creates (or truncates) `path` and writes the header.
    /// - Parameter includesSensorColumn: add a trailing `sensor` column (for multi-sensor input).
    /// - Throws: `CSVError` if the file cannot be created.
    public init(path: String, includesSensorColumn: Bool = false) throws(CSVError) {
        self.path = path
        file = try TextFileWriter(path: path)
        withSensor = includesSensorColumn
        pending = includesSensorColumn ? "time_s,qw,qx,qy,qz,sensor\n" : "time_s,qw,qx,qy,qz\n"
        pending.reserveCapacity(1 << 16)
    }

    /// The CSV row for one orientation, with its newline.
    public static func row(time: Double, orientation q: Quaternion, sensor: SampleCSVSensor? = nil) -> String {
        var line = String(time)
        for c in [q.w, q.x, q.y, q.z] {
            line += ","
            line += FixedDecimal.format(Double(c), decimals: 7)
        }
        if let sensor { line += "," + sensor.rawValue }
        return line + "\n"
    }

    /// Appends one row.
    public func write(time: Double, orientation: Quaternion, sensor: SampleCSVSensor? = nil) throws(CSVError) {
        pending += Self.row(time: time, orientation: orientation, sensor: withSensor ? sensor : nil)
        if pending.utf8.count >= 1 << 16 {
            try file.write(pending)
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// Writes what is buffered and closes the file.
    public func close() throws(CSVError) {
        try file.write(pending)
        pending = ""
        try file.close()
    }
}
