import LumbarCore
import LumbarFeedback
import LumbarIO
import LumbarProtocol
import LumbarSession
import Logging
import Synchronization

/// The live daemon: one session thread that polls every sensor port (`PortMultiplexer`), reads the
/// bytes and runs the session (pipeline + recorder) on them at once, writing event lines with a direct
/// `write(2)`; the same thread does discovery and reconnection, the status line and the final summary.
///
/// Why one thread: the latency from a readable port to the written `lumbar_moved` line is then one
/// wake-up, with no hand-off to another thread or task (each hand-off is another wait for the
/// scheduler, which on a loaded machine is where the tail comes from). With `--realtime` that thread
/// runs under `SCHED_FIFO`.
///
/// A port is a `Slot`; a slot is waiting for device info until it has identified the sensor, then
/// streaming into the session under the sensor's id. An unplugged explicit `--device` slot is reopened
/// every `reopenInterval`; USB-discovered slots are found again by rescanning.
///
/// Other threads only set a flag and wake the session thread: a shutdown signal, a USB hotplug event.
final class LiveDaemon: @unchecked Sendable {
    // @unchecked: after `init`, every member is used by the session thread only (`run`); other threads
    // use `requestShutdown()` and the atomics it touches.

    /// A port and what is known about the sensor on it.
    struct Slot {
        enum State {
            case closed(retryAt: Int64)
            /// Opened at `since`, device-info requests sent so far, whether the silence was logged; what it
            /// sent meanwhile is in `waiter` and `kept`.
            case waiting(since: Int64, requests: Int, reported: Bool)
            case streaming(index: Int)
            case gone
        }

        let path: String
        let usb: USBSerialDevice?
        /// True for `--device` paths: reopened after a loss.
        let explicit: Bool
        /// True while the port is open (in the multiplexer, under the slot's index as tag).
        var isOpen = false
        var commander = SensorCommander()
        var state: State = .closed(retryAt: 0)
        /// While waiting: the decoder looking for the device info, and the bytes read so far (with their
        /// receive times) for the session once identified. Stored properties of the slot, not payloads of
        /// `state`, so that each read updates them in place: a copied payload made every read of a port
        /// that never identifies itself (a babbler) copy everything kept (see `HandshakeBuffer`).
        var waiter = DeviceInfoWaiter()
        var kept = HandshakeBuffer(limit: LiveDaemon.handshakeBufferLimit)
        /// The last open error of this port, nil after a successful open.
        var lastErrorCode: DeviceError.Code?
        /// After configuration commands: what was asked, since when (host ns), and the device's answer so far.
        var confirmation: (check: SettingsConfirmation, asked: SensorSettingsRequest.Values, since: Int64)?
    }

    struct Options {
        var devices: [String]
        var configuration: SensorConfiguration
        var eventsPath: String?
        var recordPath: String?
        /// Replace the recording when it exists (otherwise it gets a numbered name next to it).
        var overwriteRecording = false
        var showsStatus: Bool
        var sysfs: SysfsUSBTree
        var settings: SessionPipeline.Settings
        /// Where to serve the web dashboard (`--http`); nil = no dashboard.
        var http: HTTPAddress? = nil
        /// Run the session thread under `SCHED_FIFO` (`--realtime`).
        var realtime = false
        /// Sample rate and ranges to ask of the sensors (`--rate`, `--accel-range`, `--gyro-range`).
        var sensorSettings = SensorSettingsRequest()
    }

    static let tickNanoseconds: Int64 = 100_000_000
    static let reopenInterval: Int64 = 500_000_000
    static let rescanInterval: Int64 = 2_000_000_000
    /// A new port gets its device-info request again after this long, and is reported after `identifyTimeout`.
    static let resendInterval: Int64 = 1_000_000_000
    static let identifyTimeout: Int64 = 3_000_000_000
    /// Bytes kept from a port that has not identified itself yet.
    static let handshakeBufferLimit = 256 << 10

    let options: Options
    let logger: Logger
    let terminal: TerminalLog
    private let ports: PortMultiplexer
    private let stopRequested = Atomic<Bool>(false)
    private let usbChanged = Atomic<Bool>(false)
    private var slots: [Slot] = []
    private var session: LiveSession
    private var output: LiveOutput
    private var usb: USBContext?
    private var hotplug: USBHotplugMonitor?
    private var lastRescan: Int64 = 0
    /// Device-info id → the sensor id it was first seen under, to recognise a sensor that returns on another port.
    private var knownDevices: [String: String] = [:]
    private var lastStatus: Int64 = 0
    private var dashboard: DashboardRunner?
    /// The last open error logged per port path: a port that keeps failing the same way is logged once,
    /// also when USB rescans find it again under a new slot.
    private var reportedOpenErrors: [String: String] = [:]
    /// The recording's write failure, once it was logged (the tick after the flusher hit it).
    private var recordingFailure: RecordingError?

    init(options: Options, logger: Logger, terminal: TerminalLog) throws {
        self.options = options
        self.logger = logger
        self.terminal = terminal
        do {
            ports = try PortMultiplexer()
        } catch {
            throw LiveError(error.description)
        }
        let sink = try options.eventsPath.map { try EventSink(path: $0) { logger.error("\($0)") } }
        var recorder: Recorder?
        if let path = options.recordPath {
            do {
                let header = RecordingHeader(startUnixNanoseconds: wallClockNanoseconds(), startHostNanoseconds: HostClock.nanoseconds())
                let r = try Recorder(path: path, header: header, overwrite: options.overwriteRecording)
                if r.path != path { logger.notice("'\(path)' exists: recording to '\(r.path)' instead") }
                recorder = r
            } catch {
                throw LiveError(error.description)
            }
        }
        session = LiveSession(pipeline: SessionPipeline(settings: options.settings), recorder: recorder)
        let log = logger
        output = LiveOutput(sink: sink) { event in
            switch event {
            case .sensorConnected, .sensorLost, .calibrated: log.info("\(event.jsonLine)")
            default: log.debug("\(event.jsonLine)")
            }
        }
        if let address = options.http {
            do {
                let runner = try DashboardRunner.start(address, logger: logger)
                output.dashboard = DashboardOutput(hub: runner.hub, motion: options.settings.motion)
                dashboard = runner
                logger.notice("dashboard on \(runner.url)")
                if runner.access.token != nil { TerminalLines.printQRCode(runner.url) }
            } catch {
                throw LiveError(error.description)
            }
        }
    }

    /// Asks the session thread to shut down (from a signal handler task or any thread).
    func requestShutdown() {
        stopRequested.store(true, ordering: .releasing)
        ports.waker.wake()
    }

    /// Runs on the calling thread until `requestShutdown()` (or until no sensor can ever come: every
    /// `--device` refused for good), then shuts down gracefully.
    func run() throws {
        if options.realtime {
            do {
                try RealtimeScheduling.makeCurrentThreadRealtime()
                logger.info("Session thread under real-time scheduling (SCHED_FIFO \(RealtimeScheduling.defaultPriority))")
            } catch {
                logger.warning("\(error.description) Going on without it.")
            }
        }
        try start()
        var nextTick = HostClock.nanoseconds() + Self.tickNanoseconds
        while !stopRequested.load(ordering: .acquiring) {
            ports.poll(timeoutNanoseconds: max(0, nextTick - HostClock.nanoseconds())) { slot, event in
                switch event {
                case .bytes(let bytes, let receivedAt): received(bytes, at: receivedAt, slot: slot)
                case .ended(let error): ended(slot: slot, error: error)
                }
            }
            if usbChanged.exchange(false, ordering: .acquiringAndReleasing) { rescan(now: HostClock.nanoseconds()) }
            let now = HostClock.nanoseconds()
            if now >= nextTick {
                tick(now: now)
                nextTick = now + Self.tickNanoseconds
            }
        }
        shutdown()
        let failed = [output.sink?.failure, recordingFailure?.description].compactMap { $0 }
        if !failed.isEmpty {
            throw LiveError("Exiting with an error: an output failed (\(failed.count == 1 ? "see above" : "\(failed.count) outputs, see above")).")
        }
    }

    // MARK: Starting, discovery

    private func start() throws {
        let now = HostClock.nanoseconds()
        if options.devices.isEmpty {
            do {
                let usb = try USBContext()
                self.usb = usb
                hotplug = USBHotplugMonitor(usb: usb, ids: options.configuration.usbIDs) { [self] _ in
                    usbChanged.store(true, ordering: .releasing)
                    ports.waker.wake()
                }
                logger.info(
                    "Looking for sensors with USB ids \(options.configuration.usbIDs.map(\.description).joined(separator: ", ")) (\(hotplug == nil ? "polling every 2 s" : "hotplug"))")
            } catch {
                logger.warning("\(error.description) Falling back to scanning sysfs.")
            }
            rescan(now: now)
        } else {
            for path in options.devices { slots.append(Slot(path: path, usb: nil, explicit: true)) }
            var refused = 0
            for index in slots.indices {
                open(slot: index, now: now)
                if case .closed = slots[index].state, let error = slots[index].lastErrorCode,
                    // .busy: another daemon holds the port's lock; two on one port each get half the bytes.
                    error == .permissionDenied || error == .notATerminal || error == .busy
                {
                    refused += 1
                }
            }
            if refused == slots.count {
                throw LiveError("No sensor port can be used.")
            }
        }
    }

    /// Finds USB sensors not yet open (libusb, or sysfs alone when libusb is unavailable).
    private func rescan(now: Int64) {
        lastRescan = now
        let found = usb?.serialDevices(matching: options.configuration.usbIDs, sysfs: options.sysfs)
            ?? options.sysfs.serialDevices(matching: options.configuration.usbIDs)
        for device in found {
            guard let port = device.port else { continue }
            if slots.contains(where: { $0.path == port && !$0.isGone }) { continue }
            logger.info("Found \(device.id) serial \(device.serialNumber ?? "-") on \(port)")
            slots.append(Slot(path: port, usb: device, explicit: false))
            open(slot: slots.count - 1, now: now)
        }
    }

    // MARK: Ports

    private func open(slot index: Int, now: Int64) {
        let path = slots[index].path
        let port: SerialPort
        do {
            port = try SerialPort(path: path, settings: .init(baudRate: options.configuration.baudRate))
        } catch {
            if reportedOpenErrors[path] != error.description {
                logger.error("\(error.description)")
                reportedOpenErrors[path] = error.description
            }
            slots[index].lastErrorCode = error.code
            slots[index].state = slots[index].explicit ? .closed(retryAt: now + Self.reopenInterval) : .gone
            return
        }
        reportedOpenErrors[path] = nil
        slots[index].lastErrorCode = nil
        ports.add(port, tag: index)
        slots[index].isOpen = true
        slots[index].waiter = DeviceInfoWaiter()
        slots[index].kept.removeAll()
        slots[index].state = .waiting(since: now, requests: 1, reported: false)
        // A lone delimiter first (PROTOCOL.md 1.4): whatever partial frame the device's decoder holds
        // (line noise at plug-in, a host that went away mid-frame) ends there instead of swallowing
        // the first command.
        send(handshake, slot: index, leadingDelimiter: true)
        logger.debug("Opened \(path)")
    }

    /// What a new port is sent: the device-info request, and the start when no settings are to be
    /// asked first (otherwise streaming starts once the device is identified and configured).
    private var handshake: [HostCommand.Action] {
        options.sensorSettings.isEmpty ? [.requestDeviceInfo, .startStreaming] : [.requestDeviceInfo]
    }

    /// Writes commands to the slot's port; a failure is logged (the port's hang-up reports the loss).
    /// - Returns: the commands' tokens (empty when nothing was sent).
    @discardableResult
    private func send(_ actions: [HostCommand.Action], slot index: Int, leadingDelimiter: Bool = false) -> [UInt16] {
        guard slots[index].isOpen, let port = ports.port(tag: index) else { return [] }
        do {
            return try slots[index].commander.send(actions, to: port, leadingDelimiter: leadingDelimiter)
        } catch {
            logger.warning("\(error.description)")
            return []
        }
    }

    /// Asks the sensor on `slot` for the configured rate and ranges (stopping it first: a device may
    /// refuse changes while streaming) and for its device info, then starts it; the answer is checked
    /// in `confirm`.
    private func configure(slot index: Int, placement: SensorPlacement, at now: Int64) {
        guard !options.sensorSettings.isEmpty else { return }
        let asked = options.sensorSettings.values(for: placement)
        guard !asked.isEmpty else {
            send([.startStreaming], slot: index)
            return
        }
        let commands = asked.commands
        let tokens = send([.stopStreaming] + commands + [.requestDeviceInfo, .startStreaming], slot: index)
        guard tokens.count == commands.count + 3 else { return }
        slots[index].confirmation = (SettingsConfirmation(tokens: Array(tokens[1...commands.count + 1])), asked, now)
    }

    /// Looks for the device's answer to the configuration commands in bytes it sent.
    private func confirm(_ bytes: UnsafeRawBufferPointer, slot index: Int) {
        guard var pending = slots[index].confirmation else { return }
        guard let outcome = pending.check.feed(bytes) else {
            slots[index].confirmation = pending
            return
        }
        slots[index].confirmation = nil
        let info = outcome.deviceInfo
        let applied = "\(FixedDecimal.format(info.sampleRate, decimals: 0)) Hz, ±\(info.accelerometerFullScale) g, ±\(info.gyroscopeFullScale) dps"
        let differences = pending.asked.differences(from: info)
        let refused = outcome.refused.keys.sorted().map { "opcode \($0): \(outcome.refused[$0]!)" }
        if differences.isEmpty && refused.isEmpty {
            logger.info("'\(slots[index].path)' configured: \(applied)")
        } else {
            logger.warning(
                "'\(slots[index].path)' runs at \(applied): \((differences + refused).joined(separator: ", ")); the device picked what it supports.")
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer, at receivedAt: Int64, slot index: Int) {
        switch slots[index].state {
        case .streaming(let sensor):
            session.receive(bytes, from: sensor, at: receivedAt, into: &output)
            if slots[index].confirmation != nil { confirm(bytes, slot: index) }
        case .waiting:
            // In place: the cost of a read is its own bytes, however much the port sent before.
            let info = slots[index].waiter.feed(bytes)
            slots[index].kept.append(bytes, receivedAt: receivedAt)
            if let info { identified(slot: index, info: info, at: receivedAt) }
        case .closed, .gone:
            break
        }
    }

    /// The sensor on `slot` told who it is: connect it to the session (again) and replay its first bytes.
    private func identified(slot index: Int, info: DeviceInfo, at receiveTime: Int64) {
        let slot = slots[index]
        slots[index].kept = HandshakeBuffer(limit: Self.handshakeBufferLimit)
        let id = knownDevices[info.deviceIDString] ?? slot.usb?.serialNumber ?? info.deviceIDString
        knownDevices[info.deviceIDString] = id
        if let other = slots.indices.first(where: { $0 != index && slots[$0].streamingID(in: session) == id }) {
            logger.warning("'\(slot.path)' is the same sensor (\(id)) as '\(slots[other].path)': ignoring it.")
            ports.remove(tag: index)
            slots[index].isOpen = false
            slots[index].state = .gone
            return
        }
        let placement = options.configuration.placement(
            serialNumber: slot.usb?.serialNumber, deviceID: info.deviceIDString, reported: info.placement)
        var details = KeyValueText()
        details.append("device_id", info.deviceIDString)
        details.append("firmware", info.firmwareVersion.description)
        details.append("rate_hz", FixedDecimal.format(info.sampleRate, decimals: 3))
        if let usb = slot.usb { details.append("usb", usb.id.description) }
        let descriptor = SensorDescriptor(id: id, placement: placement, port: slot.path, details: details)
        let sensor = session.connect(descriptor, at: receiveTime, into: &output)
        slots[index].state = .streaming(index: sensor)
        logger.info(
            "Sensor \(id) (\(placement.rawValue)) on \(slot.path): firmware \(info.firmwareVersion), \(FixedDecimal.format(info.sampleRate, decimals: 0)) Hz, ±\(info.accelerometerFullScale) g, ±\(info.gyroscopeFullScale) dps")
        // The device info first, so samples that came before it are not thrown away.
        session.receive(DeviceInfoWaiter.leadingFrame(for: info), from: sensor, at: slot.kept.firstReceivedAt ?? receiveTime, into: &output)
        slot.kept.forEachRead { bytes, receivedAt in
            session.receive(bytes, from: sensor, at: receivedAt, into: &output)
        }
        configure(slot: index, placement: placement, at: receiveTime)
    }

    private func ended(slot index: Int, error: DeviceError?) {
        let now = HostClock.nanoseconds()
        slots[index].isOpen = false
        if case .streaming(let sensor) = slots[index].state {
            let reason = error?.code == .vanished ? "unplugged" : "read_error"
            session.lose(sensor: sensor, reason: reason, at: now, into: &output)
            logger.warning("\(error?.description ?? "Device '\(slots[index].path)' closed.") The session goes on without it.")
        } else if let error {
            logger.warning("\(error.description)")
        }
        slots[index].state = slots[index].explicit ? .closed(retryAt: now + Self.reopenInterval) : .gone
        slots[index].kept = HandshakeBuffer(limit: Self.handshakeBufferLimit)
        if !slots[index].explicit { lastRescan = 0 }
    }

    // MARK: Time passing

    private func tick(now: Int64) {
        session.advance(to: now, into: &output)
        reportRecordingFailure()
        output.dashboard?.refreshSensors(from: session.pipeline)
        for index in slots.indices {
            switch slots[index].state {
            case .closed(let retryAt) where now >= retryAt:
                open(slot: index, now: now)
            case .waiting(let since, let requests, let reported):
                var requests = requests, reported = reported
                if now - since >= Self.resendInterval * Int64(requests), requests < 3 {
                    send(handshake, slot: index, leadingDelimiter: true)
                    requests += 1
                }
                if !reported, now - since >= Self.identifyTimeout {
                    reported = true
                    logger.warning(
                        "'\(slots[index].path)' sent no device info within \(Self.identifyTimeout / 1_000_000_000) s (\(slots[index].waiter.diagnosis)); not using it until it does.")
                }
                slots[index].state = .waiting(since: since, requests: requests, reported: reported)
            case .streaming:
                if let pending = slots[index].confirmation, now - pending.since >= Self.identifyTimeout {
                    slots[index].confirmation = nil
                    logger.warning(
                        "'\(slots[index].path)' did not confirm the settings asked within \(Self.identifyTimeout / 1_000_000_000) s (no device info after the commands).")
                }
            default:
                break
            }
        }
        if options.devices.isEmpty, now - lastRescan >= Self.rescanInterval { rescan(now: now) }
        if terminal.showsStatus, now - lastStatus >= 500_000_000 {
            lastStatus = now
            terminal.status(statusLine())
        }
    }

    /// A recording write failure (full disk, I/O error) is said once, within a tick of the flush that hit it,
    /// in the log and on the dashboard (which also hears of a failed events output); the session goes on.
    private func reportRecordingFailure() {
        if let failure = output.sink?.failure { dashboard?.hub.publish(problem: failure) }  // the hub says it once
        guard recordingFailure == nil, let failure = session.recorder?.failure else { return }
        recordingFailure = failure
        let line = "\(failure.description). The session goes on (analysis, alerts and events); nothing more is recorded."
        logger.error("\(line)")
        dashboard?.hub.publish(problem: line)
    }

    /// Sensors and their rates, packet loss, calibration, reps, last alert.
    func statusLine() -> String {
        let statistics = session.pipeline.statistics
        var parts: [String] = []
        var sensors: [String] = []
        var lost: UInt64 = 0, samples: UInt64 = 0
        for (i, descriptor) in session.pipeline.sensors.enumerated() where i < statistics.sensors.count {
            let s = statistics.sensors[i]
            let live = slots.contains { if case .streaming(let k) = $0.state { k == i } else { false } }
            sensors.append("\(live ? "●" : "○") \(descriptor.displayName) \(FixedDecimal.format(s.sampleRate, decimals: 0)) Hz")
            lost += s.lostSamples
            samples += s.samples
        }
        parts.append(sensors.isEmpty ? "no sensors yet" : sensors.joined(separator: "  "))
        let loss = samples + lost > 0 ? 100 * Double(lost) / Double(samples + lost) : 0
        parts.append("loss \(FixedDecimal.format(loss, decimals: 1))%")
        switch output.snapshot?.calibration {
        case .calibrated?: parts.append("calibrated")
        case .waiting(let still, let required)?:
            parts.append("calibrating \(FixedDecimal.format(still, decimals: 1))/\(FixedDecimal.format(required, decimals: 0)) s")
        case nil: parts.append("not calibrated")
        }
        parts.append("reps \(output.reps.count)")
        if let alert = output.lastAlert { parts.append("last alert: \(alert)") }
        return parts.joined(separator: " | ")
    }

    // MARK: Shutdown

    private func shutdown() {
        logger.info("Stopping: telling the sensors to stop streaming")
        hotplug?.stop()
        for index in slots.indices where slots[index].isOpen {
            send([.stopStreaming], slot: index)
            ports.remove(tag: index)
            slots[index].isOpen = false
        }
        terminal.finish()
        do {
            if let statistics = try session.finish(into: &output) {
                logger.info("Recording closed: \(statistics.bytesWritten) bytes, \(statistics.droppedRecords) records dropped")
            }
        } catch {
            if recordingFailure == nil { logger.error("\(error.description)") }
            recordingFailure = error
        }
        var summary = SessionSummary(reps: output.reps, events: output.events, duration: session.pipeline.sessionTime)
        if let exercise = session.pipeline.exercise { summary.exercise = exercise.rawValue }
        terminal.log(summary.text)
    }
}

extension LiveDaemon.Slot {
    var isGone: Bool { if case .gone = state { true } else { false } }

    /// The session id of the sensor streaming on this slot, if any.
    func streamingID(in session: LiveSession) -> String? {
        guard case .streaming(let index) = state, index < session.pipeline.sensors.count else { return nil }
        return session.pipeline.sensors[index].id
    }
}

/// Wall-clock time now, ns since 1970 (the recording header's start time).
func wallClockNanoseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
}

#if canImport(Glibc)
import Glibc
#endif
