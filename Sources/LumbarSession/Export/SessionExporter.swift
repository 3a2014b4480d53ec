import LumbarCore
import LumbarMotion

/// The `SessionOutput` behind `lumbar replay` and `lumbar export`: streams events (JSON Lines, terminal
/// lines), per-sensor orientations and the OpenSense file while the session runs, and writes the
/// per-rep tables, the summary and the HTML report at the end. Memory grows only with events and reps.
public struct SessionExporter: SessionOutput {
    /// Which files to write (nil = not asked for). `-` means standard output for `events`.
    public struct Options: Sendable, Hashable {
        public var events: String?
        public var reps: String?
        public var repsJSON: String?
        public var orientationDirectory: String?
        public var openSense: String?
        public var summary: String?
        public var html: String?

        /// Every output path asked for (files and the orientation folder).
        public var paths: [String] {
            [events, reps, repsJSON, orientationDirectory, openSense, summary, html].compactMap { $0 }
        }

        /// Refuses outputs that are `input` (or a recording), before anything is truncated.
        ///
        /// - Throws: `ExportError` naming the first such output.
        public func refuseOverwriting(input: String) throws(ExportError) {
            for p in paths { try OutputGuard.check(p, input: input) }
        }

        public init(
            events: String? = nil, reps: String? = nil, repsJSON: String? = nil, orientationDirectory: String? = nil,
            openSense: String? = nil, summary: String? = nil, html: String? = nil
        ) {
            self.events = events
            self.reps = reps
            self.repsJSON = repsJSON
            self.orientationDirectory = orientationDirectory
            self.openSense = openSense
            self.summary = summary
            self.html = html
        }
    }

    public let options: Options
    /// Every event so far, in order.
    public private(set) var events: [LumbarEvent] = []
    /// Every completed rep so far.
    public private(set) var reps: [RepRecord] = []
    /// Called with each event's terminal line (e.g. print it); nil = no terminal output.
    public var eventLine: ((LumbarEvent) -> Void)?
    /// Called once, at once, when writing the events file fails (full disk, closed pipe), with the error
    /// line; `finish` throws it again at the end.
    public var failureLine: ((String) -> Void)?
    private var eventsFailureSaid = false

    private let eventsFile: ByteFileWriter?
    /// The per-sample exports (orientation CSV, OpenSense), written on their own thread; nil when not asked for.
    private let perSample: SampleWriterStage?
    private var traces: RepTraces?
    /// `RepTraces.interval` when traces are kept. Stored: reading `traces != nil` here crashed the Swift 6.3.1
    /// optimiser (ownership verifier) in release builds of `lumbar`, in SessionOutputPair's specialisation.
    public let snapshotInterval: Double?
    private var sensorIDs: [String] = []

    /// Opens the streamed outputs (events, orientation folder, OpenSense file).
    ///
    /// - Throws: `ExportError` naming the file that cannot be created.
    public init(options: Options) throws(ExportError) {
        self.options = options
        eventsFile = try options.events.map { p throws(ExportError) in try ByteFileWriter(path: p) }
        var orientation: OrientationExporter?
        if let dir = options.orientationDirectory {
            try FileSystem.makeDirectory(dir)
            orientation = OrientationExporter(directory: dir)
        }
        let openSense = try options.openSense.map { p throws(ExportError) in try OpenSenseWriter(path: p) }
        perSample = orientation == nil && openSense == nil
            ? nil : SampleWriterStage(orientation: orientation, openSense: openSense)
        traces = options.html != nil ? RepTraces() : nil
        snapshotInterval = options.html != nil ? RepTraces.interval : nil
    }

    @inline(__always)
    public mutating func sample(_ s: SessionSample) {
        perSample?.write(s)
    }

    public mutating func event(_ e: LumbarEvent) {
        events.append(e)
        if case .repCompleted(_, let r) = e { reps.append(r) }
        if case .sensorConnected(_, let id, let placement) = e, !sensorIDs.contains(id) {
            perSample?.sensorConnected(index: sensorIDs.count, placement: placement)
            sensorIDs.append(id)
        }
        if let f = eventsFile {
            f.write(e.jsonLine)
            f.endLine()
            if options.events == "-" { f.flush() }
            if !eventsFailureSaid, let failure = f.failure {
                eventsFailureSaid = true
                failureLine?(failure.description)
            }
        }
        traces?.add(e)
        eventLine?(e)
    }

    public mutating func snapshot(_ s: MotionSnapshot) {
        traces?.add(s)
    }

    /// CPU seconds of the thread that wrote the per-sample exports (after `finish`; nil without them).
    public var perSampleWriterCPUSeconds: Double? { perSample?.cpuSeconds }

    /// The exercise in use at the end (forced or recognised, e.g. `SessionPipeline.exercise`): the summary
    /// and report show it instead of the `calibrated` event's word, which comes before recognition (`auto`).
    public var exercise: Exercise?
    /// When the session was recorded (a recording's header), for the report; nil for a Sample CSV.
    public var recordedAtUnixNanoseconds: Int64?

    /// The summary of what was seen so far.
    public func summary(duration: Double) -> SessionSummary {
        var s = SessionSummary(reps: reps, events: events, duration: duration)
        if let exercise { s.exercise = exercise.rawValue }
        return s
    }

    /// Writes the end-of-session files and closes everything.
    ///
    /// - Parameters:
    ///   - title: the report's title (the input file).
    ///   - duration: session seconds covered.
    ///   - thresholdDegrees: the lumbar alert threshold in force (for the report's plots).
    /// - Throws: the first `ExportError`.
    public func finish(title: String, duration: Double, thresholdDegrees: Float) throws(ExportError) {
        var failure: ExportError?
        func attempt(_ body: () throws(ExportError) -> Void) {
            do { try body() } catch { if failure == nil { failure = error } }
        }
        attempt { () throws(ExportError) in try eventsFile?.close() }
        attempt { () throws(ExportError) in try perSample?.close() }
        if let p = options.reps { attempt { () throws(ExportError) in try FileSystem.write(RepTable.csv(reps), to: p) } }
        if let p = options.repsJSON {
            attempt { () throws(ExportError) in try FileSystem.write(RepTable.json(reps), to: p) }
        }
        let summary = summary(duration: duration)
        if let p = options.summary { attempt { () throws(ExportError) in try FileSystem.write(summary.text, to: p) } }
        if let p = options.html, let traces {
            let doc = HTMLReport.document(
                title: title, summary: summary, reps: traces.reps, thresholdDegrees: thresholdDegrees,
                recordedAt: recordedAtUnixNanoseconds.map { UTCTimestamp.iso8601(unixNanoseconds: $0) })
            attempt { () throws(ExportError) in try FileSystem.write(doc, to: p) }
        }
        if let failure { throw failure }
    }
}

/// Whole-file writes and folders for the exports.
enum FileSystem {
    /// Writes `text` to `path` (`-` = standard output).
    static func write(_ text: String, to path: String) throws(ExportError) {
        let w = try ByteFileWriter(path: path)
        w.write(text)
        try w.close()
    }

    /// Creates `path` (and its parents) if missing.
    static func makeDirectory(_ path: String) throws(ExportError) {
        if case .failure(let e) = FileDescriptorIO.makeDirectories(path) {
            throw ExportError(path: path, message: "cannot create the folder: \(e)")
        }
    }
}
