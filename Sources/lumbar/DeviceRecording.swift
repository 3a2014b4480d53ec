#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore
import LumbarDevice
import LumbarIO
import LumbarProtocol
import LumbarSession
import Synchronization

/// `lumbar record --device ...`: the device session (`DeviceSession` through `DeviceSessionDriver`)
/// on the calling thread, feeding one `LiveSession` (pipeline and recorder) in arrival order. The same
/// rules as `live`: handshake and resends, identification, duplicates, reopening, stalls restarted;
/// a sensor that sends no device info joins after 3 s anyway (id = its port, placement unassigned),
/// so that every byte it sent is recorded. Every received byte is recorded once.
struct DeviceRecording {
    var devices: [DeviceSpec]
    var output: String
    /// Replace `output` when it exists (otherwise the recording gets a numbered name next to it).
    var overwrite: Bool
    var duration: Double?
    /// Ping ports still unknown after the first ask, and x-IMU3s for their serial number (not with `--no-ping`).
    var pings: Bool
    var terminal: TerminalLines

    /// Set from the signal handler; read by the recording loop.
    private final class StopFlag: Sendable {
        let requested = Atomic<Bool>(false)
    }

    func run(into out: inout SessionExporter) throws {
        let driver: DeviceSessionDriver
        do {
            var configuration = DeviceSessionConfiguration(joinsUnidentified: true)
            configuration.use(devices)
            configuration.pingsUnidentifiedPorts = pings
            driver = try DeviceSessionDriver(configuration, settings: .default)
        } catch {
            throw LiveError(error.description)
        }
        let startHost = HostClock.nanoseconds()
        let header = RecordingHeader(
            startUnixNanoseconds: wallClockNanoseconds(), startHostNanoseconds: startHost,
            software: "lumbar 0.1.0", settings: KeyValueText([("source", "devices")]))
        let recorder = try Recorder(path: output, header: header, overwrite: overwrite)
        let session = LiveSession(pipeline: SessionPipeline(), recorder: recorder)
        let output = recorder.path
        if output != self.output { TerminalLines.standardError("'\(self.output)' exists: recording to '\(output)' instead") }

        // SIGINT (Ctrl-C) or SIGTERM: stop streaming, close the recording, print the summary.
        let stop = StopFlag()
        let waker = driver.ports.waker
        _ = stopOnSignals {
            stop.requested.store(true, ordering: .releasing)
            waker.wake()
        }
        var routing = DeviceRouting()
        var gaveUp = false
        func handle(_ action: DeviceAction, _ bytes: UnsafeRawBufferPointer) {
            if routing.apply(action, bytes, to: session, into: &out) { return }
            switch action {
            case .notice(let notice): if let line = notice.warningLine { terminal.warning(line) }
            case .giveUp: gaveUp = true
            default: break
            }
        }
        driver.start(at: startHost, handle)
        if !gaveUp { terminal.line("recording \(devices.count) sensor(s) to '\(output)'; Ctrl-C stops") }
        let deadline = duration.map { startHost + Int64($0 * 1e9) } ?? .max
        var nextTick = startHost + LiveDaemon.tickNanoseconds
        var failureSaid = false
        while !stop.requested.load(ordering: .acquiring), !gaveUp, driver.session.hasOpenPorts {
            let now = HostClock.nanoseconds()
            if now >= deadline { break }
            driver.poll(timeoutNanoseconds: max(0, min(nextTick, deadline) - now), handle)
            let after = HostClock.nanoseconds()
            guard after >= nextTick else { continue }
            nextTick = after + LiveDaemon.tickNanoseconds
            driver.tick(at: after, handle)
            session.advance(to: after, into: &out)
            // A write failure (full disk) is said within a second, not only when the recording is closed.
            if !failureSaid, let failure = recorder.failure {
                failureSaid = true
                TerminalLines.standardError("error: \(failure); the session goes on without recording")
            }
        }
        driver.shutdown(handle)
        let stats = try session.finish(into: &out)
        if gaveUp { throw LiveError("No sensor port can be used.") }
        terminal.line(
            "recorded '\(output)': \(stats?.dataRecords ?? 0) data records, \(stats?.droppedRecords ?? 0) dropped; "
                + StatisticsText.line(session.pipeline))
    }
}

extension DeviceNotice {
    /// The line `record` prints for a notice that needs the user's attention (nil for routine ones).
    var warningLine: String? {
        switch self {
        case .openFailed(_, _, let failure): failure.message
        case .notIdentified(_, let path, let diagnosis): "'\(path)' sent no device info (\(diagnosis)); recording it under its port name."
        case .duplicate(_, let path, let id, let other): "'\(path)' is the same sensor (\(id)) as '\(other)': ignoring it."
        case .stalled(_, let path, let id, let attempt, _) where attempt == 1: "Sensor \(id) on '\(path)' sends no samples (stalled): starting it again."
        case .resumed(_, let path, let id): "Sensor \(id) on '\(path)' streams again."
        case .ended(_, _, let end, _): end.message
        case .lineSpeedNotApplied: lineSpeedLine
        default: nil
        }
    }
}
