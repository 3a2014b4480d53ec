import LumbarCore

/// Writes one Orientation CSV (FORMATS.md §2) per sensor into a folder: `lumbar.csv`,
/// `left_ankle.csv`, `right_ankle.csv` (`sensor<N>.csv` for unassigned sensors), with
/// `time_s` in session seconds (6 decimals) and the quaternion components (7 decimals).
public final class OrientationExporter {
    public let directory: String
    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) private var writers: [ByteFileWriter?] = []
    @exclusivity(unchecked) private var failure: ExportError?

    /// - Parameter directory: an existing folder (created by the caller).
    public init(directory: String) {
        self.directory = directory
    }

    /// The file name used for a sensor.
    public static func fileName(sensor: Int, placement: SensorPlacement) -> String {
        (placement == .unassigned ? "sensor\(sensor)" : placement.rawValue) + ".csv"
    }

    @inline(__always)
    public func write(_ s: SessionSample) {
        if s.sensor >= writers.count || writers[s.sensor] == nil { open(s) }
        guard let w = writers[s.sensor] else { return }
        let q = s.orientation
        w.write(s.time, decimals: 6)
        w.write(byte: UInt8(ascii: ","))
        w.write(Double(q.w), decimals: 7)
        w.write(byte: UInt8(ascii: ","))
        w.write(Double(q.x), decimals: 7)
        w.write(byte: UInt8(ascii: ","))
        w.write(Double(q.y), decimals: 7)
        w.write(byte: UInt8(ascii: ","))
        w.write(Double(q.z), decimals: 7)
        w.endLine()
    }

    private func open(_ s: SessionSample) {
        while writers.count <= s.sensor { writers.append(nil) }
        let path = directory + "/" + Self.fileName(sensor: s.sensor, placement: s.placement)
        do {
            let w = try ByteFileWriter(path: path)
            w.write("time_s,qw,qx,qy,qz\n")
            writers[s.sensor] = w
        } catch {
            if failure == nil { failure = error }
        }
    }

    /// Closes every file. - Throws: the first error.
    public func close() throws(ExportError) {
        for w in writers {
            do { try w?.close() } catch { if failure == nil { failure = error } }
        }
        if let failure { throw failure }
    }
}
