import LumbarCore

/// A session file to replay: a Lumbar recording, a Sample CSV (FORMATS.md §1), told apart by the
/// recording's magic bytes, or x-IMU3 logged data (`XIMU3LoggedData`: a folder the GUI logged, or
/// the device's own `.ximu3` files). Streams: one record
/// or row per `step`, constant memory.
///
/// ```swift
/// let input = try SessionInput(path: "recordings/clean-back-kick.lrec")
/// let pipeline = SessionPipeline()
/// while let t = try input.step(into: pipeline, output: &output) { /* t: input seconds, for pacing */ }
/// pipeline.finish(into: &output)
/// ```
public final class SessionInput {
    public enum Kind: Sendable, Hashable {
        case recording
        case sampleCSV
        /// A folder the x-IMU3 GUI logged (one device folder, or one per device).
        case xIMU3Folder
        /// An x-IMU3 data logger file (`.ximu3`, from the device's microSD card).
        case xIMU3File
    }

    public let path: String
    public let kind: Kind
    /// The recording's header (nil for CSV).
    public var recordingHeader: RecordingHeader? { recording?.header }

    private let recording: RecordingReader?
    private let csv: SampleCSVReader?
    private let xIMU3: XIMU3LoggedData?
    /// x-IMU3 device → pipeline index (-1: not connected yet).
    private var xIMU3Index: [Int] = []
    private let csvPlacement: SensorPlacement
    /// Recording sensor index → pipeline index.
    private var indexMap = [Int](repeating: -1, count: RecordingFormat.maximumSensors + 1)
    /// CSV sensor word → pipeline index.
    private var csvIndex: [SampleCSVSensor?: Int] = [:]
    /// The sensor of the previous CSV row (rows of one sensor come in runs: no dictionary lookup per row).
    private var lastCSVSensor: (word: SampleCSVSensor?, index: Int)?
    private var firstTime: Int64?
    private var firstCSVTime: Double?

    /// Opens `path`.
    ///
    /// - Parameters:
    ///   - path: a `.lrec` recording, a Sample CSV file, an x-IMU3 logged folder or `.ximu3` file.
    ///   - csvPlacement: where the sensor of a CSV without a `sensor` column is worn.
    ///   - placements: where x-IMU3 devices are worn, by lowercased serial number or device folder name.
    /// - Throws: `SessionInputError` naming the file and what is wrong with it.
    public init(path: String, csvPlacement: SensorPlacement = .lumbar, placements: [String: SensorPlacement] = [:]) throws(SessionInputError) {
        self.path = path
        self.csvPlacement = csvPlacement
        let folder = XIMU3LoggedData.isFolder(path)
        if folder || XIMU3DataLoggerFile.looksLikeXIMU3(path) {
            kind = folder ? .xIMU3Folder : .xIMU3File
            recording = nil
            csv = nil
            do { xIMU3 = try XIMU3LoggedData(path: path, placements: placements) } catch { throw SessionInputError(message: error.description) }
            xIMU3Index = Array(repeating: -1, count: xIMU3!.devices.count)
            return
        }
        xIMU3 = nil
        if Self.looksLikeRecording(path) {
            kind = .recording
            do { recording = try RecordingReader(path: path) } catch { throw SessionInputError(message: error.description) }
            csv = nil
        } else {
            kind = .sampleCSV
            recording = nil
            if Self.looksBinary(path) {
                throw SessionInputError(
                    message: "'\(path)': neither a Lumbar recording (it does not start with 'LUMBREC') nor a Sample CSV "
                        + "(it holds binary data)")
            }
            do { csv = try SampleCSVReader(path: path) } catch { throw SessionInputError(message: error.description) }
        }
    }

    /// True when the file starts with the recording magic's first 7 bytes.
    public static func looksLikeRecording(_ path: String) -> Bool {
        guard case .success(let fd) = FileDescriptorIO.openForReading(path) else { return false }
        defer { FileDescriptorIO.close(fd) }
        var head = [UInt8](repeating: 0, count: 7)
        let n = head.withUnsafeMutableBytes { b in
            (try? FileDescriptorIO.read(fd, into: b.baseAddress!, count: 7).get()) ?? 0
        }
        return n == 7 && head == Array(RecordingFormat.magic[0..<7])
    }

    /// True when the file's first 512 bytes hold a NUL byte or are not UTF-8 (cut at the end): no CSV.
    static func looksBinary(_ path: String) -> Bool {
        guard case .success(let fd) = FileDescriptorIO.openForReading(path) else { return false }
        defer { FileDescriptorIO.close(fd) }
        var head = [UInt8](repeating: 0, count: 512)
        let n = head.withUnsafeMutableBytes { b in
            (try? FileDescriptorIO.read(fd, into: b.baseAddress!, count: 512).get()) ?? 0
        }
        let bytes = head[0..<n]
        if bytes.contains(0) { return true }
        // A multi-byte character cut by the 512-byte limit is fine: drop up to 3 trailing bytes.
        for cut in 0...min(3, n) where String(validating: bytes.dropLast(cut), as: UTF8.self) != nil { return false }
        return true
    }

    /// Fraction of the input consumed, 0…1, by bytes read (0 when the size is unknown).
    public var progress: Double {
        if let csv { return csv.progress }
        if let xIMU3 { return xIMU3.progress }
        guard let r = recording, r.fileSize > 0 else { return 0 }
        return min(1, Double(r.bytesRead) / Double(r.fileSize))
    }

    /// Damage found in a recording (torn tail, skipped records), as one-line warnings.
    public var warnings: [String] {
        if let xIMU3 { return xIMU3.warnings }
        guard let r = recording else { return [] }
        return r.damage.map { "'\(path)': \($0.description(sessionStart: r.header.startHostNanoseconds))" }
    }

    /// Feeds the next record (recording) or row (CSV) to `pipeline`.
    ///
    /// - Returns: seconds of input time since the input's first record or row (for pacing), nil at the end.
    /// - Throws: `SessionInputError` for a read error or a malformed CSV row.
    // Exported specialisation for the exporter (`lumbar export`, the replay benchmark): without
    // `-cross-module-optimization` (an unsafe flag) a client cannot specialise this generic itself, and
    // the unspecialised per-sample path is several times slower.
    @_specialize(exported: true, where Output == SessionExporter)
    public func step<Output: SessionOutput>(
        into pipeline: SessionPipeline, output: inout Output
    ) throws(SessionInputError) -> Double? {
        try withUnsafeMutablePointer(to: &output) { (p) throws(SessionInputError) -> Double? in
            var driver = PipelineInputDriver(pipeline: pipeline, output: p)
            return try step(into: &driver)
        }
    }

    /// Feeds the next record or row to `driver`.
    ///
    /// - Returns: seconds of input time since the input's first record or row, nil at the end.
    package func step<Driver: SessionInputDriver>(into driver: inout Driver) throws(SessionInputError) -> Double? {
        if let recording {
            let record: RecordingReader.Record?
            do { record = try recording.next() } catch { throw SessionInputError(message: error.description) }
            guard let r = record else { return nil }
            let first = firstTime ?? r.receiveTime
            if r.type != .end { firstTime = first }
            let sensor = Int(r.sensor)
            switch r.type {
            case .sensorConnected:
                let d = SensorDescriptor(text: KeyValueText(decoding: r.payload))
                indexMap[sensor] = driver.connect(d, at: r.receiveTime)
            case .data where indexMap[sensor] >= 0:
                driver.receive(r.payload, from: indexMap[sensor], at: r.receiveTime)
            case .sensorLost where indexMap[sensor] >= 0:
                let reason = SensorLossReason(rawValue: String(decoding: r.payload, as: UTF8.self))
                driver.lose(sensor: indexMap[sensor], reason: reason, at: r.receiveTime)
            default:
                break  // header, dropped (the decoder sees the gap), end, unknown types
            }
            return Double(r.receiveTime &- first) * 1e-9
        }
        if let xIMU3 { return try step(xIMU3, into: &driver) }
        guard let csv else { return nil }
        let row: SampleCSVRecord?
        do { row = try csv.next() } catch { throw SessionInputError(message: error.description) }
        guard let row else { return nil }
        let index: Int
        if let last = lastCSVSensor, last.word == row.sensor {
            index = last.index
        } else if let known = csvIndex[row.sensor] {
            index = known
        } else {
            let placement = row.sensor.map { $0.placement ?? .rightAnkle } ?? csvPlacement
            let id = "csv-" + (row.sensor?.rawValue ?? placement.rawValue)
            index = driver.connect(SensorDescriptor(id: id, placement: placement, port: path), at: 0)
            csvIndex[row.sensor] = index
        }
        lastCSVSensor = (row.sensor, index)
        driver.receive(timed: row.sample, from: index)
        let first = firstCSVTime ?? row.sample.time
        firstCSVTime = first
        return row.sample.time - first
    }
}

extension SessionInput {
    /// Feeds the next x-IMU3 sample (its device joins at its first sample). - Returns: its time, s.
    private func step<Driver: SessionInputDriver>(_ data: XIMU3LoggedData, into driver: inout Driver) throws(SessionInputError) -> Double? {
        let next: (device: Int, sample: ImuSample)?
        do { next = try data.next() } catch { throw SessionInputError(message: error.description) }
        guard let (device, sample) = next else { return nil }
        if xIMU3Index[device] < 0 {
            let d = data.devices[device]
            var details = KeyValueText()
            details.append("source", d.source)
            if let started = data.startedAt(device) { details.append("device_clock_at_start", started) }
            if let alignment = data.clockAlignment, data.devices.count > 1 { details.append("aligned_by", alignment.key) }
            if let name = d.deviceName { details.append("device_name", name) }
            xIMU3Index[device] = driver.connect(
                SensorDescriptor(id: d.id, placement: d.placement, port: d.folder, details: details),
                at: Int64((sample.time * 1e9).rounded()))
        }
        driver.receive(timed: sample, from: xIMU3Index[device])
        return sample.time
    }
}

/// A session file could not be read: the one-line message names the file (and line, for CSV).
public struct SessionInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
