#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import LumbarCore
import LumbarIO
import LumbarProtocol
import LumbarSession

/// `lumbar record --device ...`: reads each serial port on its own thread (LumbarIO's `SerialReader`),
/// and feeds one `LiveSession` (pipeline and recorder) from a single task, in arrival order.
///
/// A sensor joins the session when its device-info packet arrives (its id and placement come from it;
/// bytes before it are kept and fed after it), or after 3 s without one (id = port, placement
/// unassigned). The request is sent again every second until then.
struct DeviceRecording {
    var devices: [String]
    var output: String
    /// Replace `output` when it exists (otherwise the recording gets a numbered name next to it).
    var overwrite: Bool
    var duration: Double?
    var terminal: TerminalLines

    private enum Input: Sendable {
        case read(Int, SerialReader.Event)
        case resend
        case stop
    }

    /// Without device info after this long, a sensor joins anyway (id = its port, placement unassigned).
    static let identifyTimeout: Int64 = 3_000_000_000

    func run(into out: inout SessionExporter) async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .bufferingOldest(65_536))
        var readers: [SerialReader] = []
        var commanders = [SensorCommander](repeating: SensorCommander(), count: devices.count)
        for (i, path) in devices.enumerated() {
            let port = try SerialPort(path: path)
            // The reader first, then the request: nothing the device answers can arrive unread.
            readers.append(try SerialReader(port: port) { event in continuation.yield(.read(i, event)) })
            try commanders[i].send([.requestDeviceInfo, .startStreaming], to: port, leadingDelimiter: true)
        }
        // Asks again, once a second, the sensors whose device info has not come (a lost request).
        let resend = DispatchSource.makeTimerSource(queue: .global())
        resend.schedule(deadline: .now() + 1, repeating: 1)
        resend.setEventHandler { continuation.yield(.resend) }
        resend.resume()
        // SIGINT (Ctrl-C) or SIGTERM: stop streaming, close the recording, print the summary.
        stopOnSignals { continuation.yield(.stop) }
        if let duration {
            DispatchQueue.global().asyncAfter(deadline: .now() + duration) { continuation.yield(.stop) }
        }

        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let startHost = HostClock.nanoseconds()
        let header = RecordingHeader(
            startUnixNanoseconds: Int64(wall.tv_sec) * 1_000_000_000 + Int64(wall.tv_nsec), startHostNanoseconds: startHost,
            software: "lumbar 0.1.0", settings: KeyValueText([("source", "devices")]))
        let recorder = try Recorder(path: output, header: header, overwrite: overwrite)
        let session = LiveSession(pipeline: SessionPipeline(), recorder: recorder)
        let output = recorder.path
        if output != self.output { TerminalLines.standardError("'\(self.output)' exists: recording to '\(output)' instead") }
        terminal.line("recording \(devices.count) sensor(s) to '\(output)'; Ctrl-C stops")

        var index = [Int?](repeating: nil, count: devices.count)
        var decoders = [FrameDecoder](repeating: FrameDecoder(), count: devices.count)
        var waiting = [[(Int64, [UInt8])]](repeating: [], count: devices.count)
        var firstSeen = [Int64?](repeating: nil, count: devices.count)
        var failureSaid = false
        loop: for await input in stream {
            switch input {
            case .stop:
                break loop
            case .resend:
                // A write failure (full disk) is said within a second, not only when the recording is closed.
                if !failureSaid, let failure = recorder.failure {
                    failureSaid = true
                    TerminalLines.standardError("error: \(failure); the session goes on without recording")
                }
                for i in devices.indices where index[i] == nil && readers[i].port.fileDescriptor >= 0 {
                    try? commanders[i].send([.requestDeviceInfo, .startStreaming], to: readers[i].port, leadingDelimiter: true)
                }
            case .read(let i, .chunk(let chunk)):
                let t = chunk.receivedAt
                if let s = index[i] {
                    session.receive(chunk.bytes, from: s, at: t, into: &out)
                    continue
                }
                // Not yet joined: look for the device info in what arrived so far.
                waiting[i].append((t, chunk.bytes))
                let first = firstSeen[i] ?? t
                firstSeen[i] = first
                var info: DeviceInfo?
                decoders[i].decode(chunk.bytes) { if case .packet(.deviceInfo(let d)) = $0 { info = d } }
                guard info != nil || t - first > Self.identifyTimeout else { continue }
                let descriptor = info.map {
                    SensorDescriptor(
                        id: $0.deviceIDString, placement: $0.placement, port: devices[i],
                        details: KeyValueText([("firmware", "\($0.firmwareVersion)"), ("rate_hz", String($0.sampleRate))]))
                } ?? SensorDescriptor(id: devices[i], placement: .unassigned, port: devices[i])
                let s = session.connect(descriptor, at: waiting[i][0].0, into: &out)
                index[i] = s
                // The device info first, so samples that came before it are not thrown away.
                if let info { session.receive(DeviceInfoWaiter.leadingFrame(for: info), from: s, at: waiting[i][0].0, into: &out) }
                for (wt, bytes) in waiting[i] { session.receive(bytes, from: s, at: wt, into: &out) }
                waiting[i] = []
            case .read(let i, .ended(let error)):
                if let s = index[i] {
                    let reason = error.map { $0.code == .vanished ? "unplugged" : $0.code.rawValue } ?? "stopped"
                    session.lose(sensor: s, reason: reason, at: HostClock.nanoseconds(), into: &out)
                }
                if let error { terminal.warning("\(error)") }
                if readers.allSatisfy({ $0.port.fileDescriptor < 0 }) { break loop }
            }
        }
        resend.cancel()
        for (i, r) in readers.enumerated() {
            try? commanders[i].send([.stopStreaming], to: r.port)
            r.stop()
        }
        let stats = try session.finish(into: &out)
        terminal.line(
            "recorded '\(output)': \(stats?.dataRecords ?? 0) data records, \(stats?.droppedRecords ?? 0) dropped; "
                + StatisticsText.line(session.pipeline))
    }
}
