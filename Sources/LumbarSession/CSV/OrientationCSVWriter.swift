import LumbarCore

/// Writes an Orientation CSV (FORMATS.md §2): `time_s,qw,qx,qy,qz`, plus a `sensor` column when asked.
///
/// `time_s` is written in the shortest form that reads back as the same Double, so each output row
/// carries exactly the time of its input row; quaternion components get 7 decimals (as
/// `FixedDecimal.format`, round half away from zero).
public final class OrientationCSVWriter {
    /// The path as given (`-` is standard output).
    public let path: String
    private let file: TextFileWriter
    private let withSensor: Bool
    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) private var pending: [UInt8] = []

    /// Creates (or truncates) `path` and writes the header.
    /// - Parameter includesSensorColumn: add a trailing `sensor` column (for multi-sensor input).
    /// - Throws: `CSVError` if the file cannot be created.
    public init(path: String, includesSensorColumn: Bool = false) throws(CSVError) {
        self.path = path
        file = try TextFileWriter(path: path)
        withSensor = includesSensorColumn
        pending.reserveCapacity(1 << 16)
        pending.append(contentsOf: (includesSensorColumn ? "time_s,qw,qx,qy,qz,sensor\n" : "time_s,qw,qx,qy,qz\n").utf8)
    }

    /// The CSV row for one orientation, with its newline.
    public static func row(time: Double, orientation q: Quaternion, sensor: SampleCSVSensor? = nil) -> String {
        var bytes: [UInt8] = []
        append(time: time, orientation: q, sensor: sensor, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func append(time: Double, orientation q: Quaternion, sensor: SampleCSVSensor?, to out: inout [UInt8]) {
        out.append(contentsOf: String(time).utf8)
        for c in [q.w, q.x, q.y, q.z] {
            out.append(UInt8(ascii: ","))
            appendFixed7(Double(c), to: &out)
        }
        if let sensor {
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: sensor.rawValue.utf8)
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// `value` with 7 decimals, as `FixedDecimal.format(value, decimals: 7)`, without building Strings.
    private static func appendFixed7(_ value: Double, to out: inout [UInt8]) {
        let scaled = (abs(value) * 1e7).rounded(.toNearestOrAwayFromZero)
        guard value.isFinite, scaled < 9e18 else {
            out.append(contentsOf: FixedDecimal.format(value, decimals: 7).utf8)
            return
        }
        var n = UInt64(scaled)
        if value < 0 && n != 0 { out.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { d in
            for i in (0..<7).reversed() {
                d[i] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            }
        }
        out.append(contentsOf: String(n).utf8)
        out.append(UInt8(ascii: "."))
        withUnsafeBytes(of: &digits) { out.append(contentsOf: $0) }
    }

    /// Appends one row.
    public func write(time: Double, orientation: Quaternion, sensor: SampleCSVSensor? = nil) throws(CSVError) {
        Self.append(time: time, orientation: orientation, sensor: withSensor ? sensor : nil, to: &pending)
        if pending.count >= 1 << 16 {
            try file.write(pending)
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// Writes what is buffered and closes the file.
    public func close() throws(CSVError) {
        try file.write(pending)
        pending = []
        try file.close()
    }
}
