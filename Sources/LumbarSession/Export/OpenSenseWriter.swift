import LumbarCore

/// Writes an OpenSim OpenSense orientation file (`.sto`, quaternions) for `IMU Inverse Kinematics`:
///
/// ```
/// DataRate=200.000000
/// DataType=Quaternion
/// version=3
/// OpenSimVersion=4.2
/// endheader
/// time	pelvis_imu	tibia_r_imu
/// 0.000000	1.0000000,0.0000000,0.0000000,0.0000000	...
/// ```
///
/// One row per sample of the base sensor (the lumbar one, else the first); every other sensor
/// contributes its latest orientation (sample and hold, so different rates line up). Columns are the
/// sensors connected before the first sample: lumbar → `pelvis_imu`, right ankle → `tibia_r_imu`,
/// left ankle → `tibia_l_imu`, unassigned → `imu<N>`. Rows start once every column has a value.
/// The rate in the header is measured over the base sensor's first second (the rows before it are
/// held in memory until then); after that everything streams.
public final class OpenSenseWriter {
    private let file: ByteFileWriter
    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) private var columns: [(sensor: Int, placement: SensorPlacement)] = []
    @exclusivity(unchecked) private var columnOf: [Int] = []  // sensor index → column, -1 = none
    @exclusivity(unchecked) private var latest: [Quaternion] = []
    @exclusivity(unchecked) private var known: [Bool] = []
    @exclusivity(unchecked) private var started = false  // first sample seen: columns are fixed
    @exclusivity(unchecked) private var headerWritten = false
    @exclusivity(unchecked) private var pendingRows: [(Double, [Quaternion])] = []
    @exclusivity(unchecked) private var firstBaseTime: Double?
    @exclusivity(unchecked) private var baseSamples = 0

    /// Creates (truncates) `path`. - Throws: `ExportError` when it cannot be created.
    public init(path: String) throws(ExportError) {
        file = try ByteFileWriter(path: path)
    }

    /// The OpenSense column name of a sensor.
    public static func columnName(sensor: Int, placement: SensorPlacement) -> String {
        switch placement {
        case .lumbar: "pelvis_imu"
        case .rightAnkle: "tibia_r_imu"
        case .leftAnkle: "tibia_l_imu"
        case .unassigned: "imu\(sensor)"
        }
    }

    /// A sensor connected (index in connection order, as the pipeline numbers them).
    public func sensorConnected(index: Int, placement: SensorPlacement) {
        guard !started, !columns.contains(where: { $0.sensor == index }) else { return }
        columns.append((index, placement))
    }

    @inline(__always)
    public func write(_ s: SessionSample) {
        if !started { start() }
        guard s.sensor < columnOf.count else { return }
        let c = columnOf[s.sensor]
        guard c >= 0 else { return }
        latest[c] = s.orientation
        known[c] = true
        guard c == 0 else { return }
        baseSamples += 1
        if !headerWritten {
            let first = firstBaseTime ?? s.time
            firstBaseTime = first
            if known.allSatisfy({ $0 }) { pendingRows.append((s.time, latest)) }
            if s.time - first >= 1.0 { writeHeader(rate: Double(baseSamples - 1) / (s.time - first)) }
            return
        }
        row(s.time, latest)
    }

    /// Writes what is pending and closes the file. - Throws: the first write error.
    public func close() throws(ExportError) {
        if !headerWritten {
            let span = pendingRows.count > 1 ? pendingRows.last!.0 - pendingRows.first!.0 : 0
            writeHeader(rate: span > 0 ? Double(pendingRows.count - 1) / span : 0)
        }
        try file.close()
    }

    private func start() {
        started = true
        // The lumbar sensor is the base (first column) when present.
        columns.sort { a, b in
            (a.placement == .lumbar ? 0 : 1, a.sensor) < (b.placement == .lumbar ? 0 : 1, b.sensor)
        }
        let maxIndex = columns.map(\.sensor).max() ?? -1
        columnOf = Array(repeating: -1, count: maxIndex + 1)
        for (c, col) in columns.enumerated() { columnOf[col.sensor] = c }
        latest = Array(repeating: .identity, count: columns.count)
        known = Array(repeating: false, count: columns.count)
    }

    private func writeHeader(rate: Double) {
        headerWritten = true
        file.write("DataRate=")
        file.write(rate, decimals: 6)
        file.write("\nDataType=Quaternion\nversion=3\nOpenSimVersion=4.2\nendheader\ntime")
        for col in columns { file.write("\t" + Self.columnName(sensor: col.sensor, placement: col.placement)) }
        file.endLine()
        for (t, qs) in pendingRows { row(t, qs) }
        pendingRows = []
    }

    @inline(__always)
    private func row(_ time: Double, _ qs: [Quaternion]) {
        guard known.allSatisfy({ $0 }) else { return }
        file.write(time, decimals: 6)
        for q in qs {
            file.write(byte: 9)
            file.write(Double(q.w), decimals: 7)
            file.write(byte: UInt8(ascii: ","))
            file.write(Double(q.x), decimals: 7)
            file.write(byte: UInt8(ascii: ","))
            file.write(Double(q.y), decimals: 7)
            file.write(byte: UInt8(ascii: ","))
            file.write(Double(q.z), decimals: 7)
        }
        file.endLine()
    }
}
