#if canImport(Glibc)
import Glibc
#endif
import LumbarCore
import LumbarFeedback
import LumbarMotion
import LumbarSession
import LumbarSound
import LumbarStore

/// Where `lumbar live` writes its JSON Lines events: a file or standard output, one `write(2)` per
/// event so each line leaves the process the moment the pipeline produced it.
///
/// A write that fails (a full disk, a reader that closed the pipe: EPIPE, SIGPIPE being ignored) closes
/// this output: it is reported at once through `report`, in one line, and later events are not written
/// there; the session goes on.
final class EventSink {
    /// The one buffered writer of JSON Lines and CSV outputs, flushed after every line here.
    private let writer: ByteFileWriter
    var path: String { writer.path }
    /// Says a write failure, once (e.g. an error log line).
    private let report: (String) -> Void
    /// The write failure, one line; nil while the output works.
    private(set) var failure: String?

    /// Opens `path` for writing (truncating), or standard output for "-"; never over a recording.
    init(path: String, report: @escaping (String) -> Void) throws {
        self.report = report
        do { writer = try ByteFileWriter(path: path) } catch { throw LiveError("Unable to write events to \(error).") }
    }

    /// Writes one line (a newline is added) and flushes it; nothing once the output failed.
    func write(line: String) {
        guard failure == nil else { return }
        writer.write(line)
        writer.endLine()
        writer.flush()
        if let error = writer.failure { fail(error.cause?.rawValue ?? EIO) }
    }

    private func fail(_ code: Int32) {
        let name = path == "-" ? "standard output" : "'\(path)'"
        let reason = code == EPIPE ? "its reader closed it (EPIPE)" : Errno(code).description
        let text = "Events output \(name) failed: \(reason); no more events are written there. The session goes on."
        failure = text
        report(text)
    }
}

/// What the daemon does with the pipeline's output: events to the sink, counters and the latest
/// snapshot for the status line, everything the final summary needs.
struct LiveOutput: SessionOutput {
    let sink: EventSink?
    /// Every event so far (rare: a few per rep).
    private(set) var events: [LumbarEvent] = []
    private(set) var reps: [RepRecord] = []
    private(set) var lastAlert: String?
    private(set) var snapshot: MotionSnapshot?
    /// Called for each event after it was written (for logging).
    let onEvent: (LumbarEvent) -> Void
    /// The web dashboard's feed, with `--http`.
    var dashboard: DashboardOutput?
    /// The machine's own sound, with `--sound`.
    var sound: SoundOutput?
    /// The session database (hands records to its writer thread; no I/O here).
    var store: StoreSessionOutput?

    init(sink: EventSink?, onEvent: @escaping (LumbarEvent) -> Void) {
        self.sink = sink
        self.onEvent = onEvent
    }

    mutating func sample(_ sample: SessionSample) { dashboard?.sample(sample) }

    mutating func event(_ event: LumbarEvent) {
        sound?.event(event)  // first: the cue is handed to the audio thread before any write
        sink?.write(line: event.jsonLine)
        events.append(event)
        switch event {
        case .repCompleted(_, let record): reps.append(record)
        case .lumbarMoved(_, let rep, let degrees, let direction):
            lastAlert = "\(direction.rawValue) \(FixedDecimal.format(Double(degrees), decimals: 1))° (rep \(rep))"
        default: break
        }
        onEvent(event)
        dashboard?.event(event)
        store?.event(event)
    }

    var snapshotInterval: Double? { dashboard?.snapshotInterval ?? 0.25 }

    mutating func snapshot(_ snapshot: MotionSnapshot) {
        self.snapshot = snapshot
        dashboard?.snapshot(snapshot)
    }
}

/// A failure of `lumbar live` that ends it, as one line.
struct LiveError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
