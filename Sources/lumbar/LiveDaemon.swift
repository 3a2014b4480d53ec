import LumbarCore
import LumbarFeedback
import LumbarIO
import LumbarProtocol
import LumbarSession
import Logging
import Synchronization

/// The live daemon: one reader thread per sensor port feeding a bounded inbox, one loop that owns the
/// session (pipeline + recorder), discovery and reconnection, the status line and the final summary.
///
/// Readers never wait: chunks beyond `inboxCapacity` bytes are dropped (and counted) when the loop
/// falls behind. A port is a `Slot`; a slot is waiting for device info until it has identified the
/// sensor, then streaming into the session under the sensor's id. An unplugged explicit `--device`
/// slot is reopened every `reopenInterval`; USB-discovered slots are found again by rescanning.
@MainActor
final class LiveDaemon {
    /// What the loop reacts to.
    enum Input: Sendable {
        case chunk(slot: Int, generation: Int, SerialChunk)
        case ended(slot: Int, generation: Int, DeviceError?)
        case tick
        case usbChanged
        case shutdown
    }

    /// A port and what is known about the sensor on it.
    struct Slot {
        enum State {
            case closed(retryAt: Int64)
            case waiting(DeviceInfoWaiter, buffered: [SerialChunk], since: Int64, requests: Int, reported: Bool)
            case streaming(index: Int)
            case gone
        }

        let path: String
        let usb: USBSerialDevice?
        /// True for `--device` paths: reopened after a loss.
        let explicit: Bool
        var generation = 0
        var reader: SerialReader?
        var commander = SensorCommander()
        var state: State = .closed(retryAt: 0)
        /// The last error logged for this port, so a failing reopen is logged once.
        var lastError: String?
        var lastErrorCode: DeviceError.Code?
        /// The reader's share of the inbox.
        var gauge: QueueGauge?
    }

    struct Options {
        var devices: [String]
        var configuration: SensorConfiguration
        var eventsPath: String?
        var recordPath: String?
        var showsStatus: Bool
        var sysfs: SysfsUSBTree
        var settings: SessionPipeline.Settings
        /// Where to serve the web dashboard (`--http`); nil = no dashboard.
        var http: HTTPAddress? = nil
    }

    /// Bytes one reader may have waiting in the inbox (about 20 s of a 400 Hz sensor).
    static let inboxCapacity = 1 << 20
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
    private let inbox: AsyncStream<Input>
    private let inboxInput: AsyncStream<Input>.Continuation
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

    init(options: Options, logger: Logger, terminal: TerminalLog) throws {
        self.options = options
        self.logger = logger
        self.terminal = terminal
        (inbox, inboxInput) = AsyncStream.makeStream(of: Input.self)
        let sink = try options.eventsPath.map { try EventSink(path: $0) }
        var recorder: Recorder?
        if let path = options.recordPath {
            do {
                recorder = try Recorder(
                    path: path,
                    header: RecordingHeader(startUnixNanoseconds: wallClockNanoseconds(), startHostNanoseconds: HostClock.nanoseconds()))
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
            } catch {
                throw LiveError(error.description)
            }
        }
    }

    /// Runs until SIGINT/SIGTERM (or until no sensor can ever come: every `--device` refused for good).
    func run() async throws {
        let inboxInput = self.inboxInput
        stopOnSignals { inboxInput.yield(.shutdown) }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Self.tickNanoseconds / 1_000_000))
                inboxInput.yield(.tick)
            }
        }
        defer { ticker.cancel() }
        try start()
        loop: for await input in inbox {
            switch input {
            case .chunk(let index, let generation, let chunk):
                guard slots[index].generation == generation else { continue }
                received(chunk, slot: index)
            case .ended(let index, let generation, let error):
                guard slots[index].generation == generation else { continue }
                ended(slot: index, error: error)
            case .tick:
                tick()
            case .usbChanged:
                rescan(now: HostClock.nanoseconds())
            case .shutdown:
                break loop
            }
        }
        shutdown()
    }

    // MARK: Starting, discovery

    private func start() throws {
        let now = HostClock.nanoseconds()
        if options.devices.isEmpty {
            do {
                let usb = try USBContext()
                self.usb = usb
                let inboxInput = self.inboxInput
                hotplug = USBHotplugMonitor(usb: usb, ids: options.configuration.usbIDs) { _ in inboxInput.yield(.usbChanged) }
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
                    error == .permissionDenied || error == .notATerminal
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
            if slots[index].lastError != error.description {
                logger.error("\(error.description)")
                slots[index].lastError = error.description
                slots[index].lastErrorCode = error.code
            }
            slots[index].state = slots[index].explicit ? .closed(retryAt: now + Self.reopenInterval) : .gone
            return
        }
        slots[index].lastError = nil
        slots[index].generation += 1
        let generation = slots[index].generation
        let inboxInput = self.inboxInput
        let queued = QueueGauge(limit: Self.inboxCapacity)
        do {
            slots[index].reader = try SerialReader(port: port) { event in
                switch event {
                case .chunk(let chunk):
                    guard queued.admit(chunk.bytes.count) else { return }
                    inboxInput.yield(.chunk(slot: index, generation: generation, chunk))
                case .ended(let error):
                    inboxInput.yield(.ended(slot: index, generation: generation, error))
                }
            }
            slots[index].gauge = queued
            try slots[index].commander.send([.requestDeviceInfo, .startStreaming], to: port)
        } catch {
            logger.error("\(error.description)")
        }
        slots[index].state = .waiting(DeviceInfoWaiter(), buffered: [], since: now, requests: 1, reported: false)
        logger.debug("Opened \(path)")
    }

    private func received(_ chunk: SerialChunk, slot index: Int) {
        slots[index].gauge?.release(chunk.bytes.count)
        switch slots[index].state {
        case .streaming(let sensor):
            session.receive(chunk.bytes, from: sensor, at: chunk.receivedAt, into: &output)
        case .waiting(var waiter, var buffered, let since, let requests, let reported):
            let info = waiter.feed(chunk.bytes)
            buffered.append(chunk)
            var size = buffered.reduce(0) { $0 + $1.bytes.count }
            while size > Self.handshakeBufferLimit, buffered.count > 1 { size -= buffered.removeFirst().bytes.count }
            if let info {
                identified(slot: index, info: info, buffered: buffered, at: chunk.receivedAt)
            } else {
                slots[index].state = .waiting(waiter, buffered: buffered, since: since, requests: requests, reported: reported)
            }
        case .closed, .gone:
            break
        }
    }

    /// The sensor on `slot` told who it is: connect it to the session (again) and replay its first bytes.
    private func identified(slot index: Int, info: DeviceInfo, buffered: [SerialChunk], at receiveTime: Int64) {
        let slot = slots[index]
        let id = knownDevices[info.deviceIDString] ?? slot.usb?.serialNumber ?? info.deviceIDString
        knownDevices[info.deviceIDString] = id
        if let other = slots.indices.first(where: { $0 != index && slots[$0].streamingID(in: session) == id }) {
            logger.warning("'\(slot.path)' is the same sensor (\(id)) as '\(slots[other].path)': ignoring it.")
            slots[index].reader?.stop()
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
        for chunk in buffered {
            session.receive(chunk.bytes, from: sensor, at: chunk.receivedAt, into: &output)
        }
    }

    private func ended(slot index: Int, error: DeviceError?) {
        let now = HostClock.nanoseconds()
        slots[index].reader?.stop()
        slots[index].reader = nil
        if case .streaming(let sensor) = slots[index].state {
            let reason = error?.code == .vanished ? "unplugged" : "read_error"
            session.lose(sensor: sensor, reason: reason, at: now, into: &output)
            logger.warning("\(error?.description ?? "Device '\(slots[index].path)' closed.") The session goes on without it.")
        } else if let error {
            logger.warning("\(error.description)")
        }
        slots[index].state = slots[index].explicit ? .closed(retryAt: now + Self.reopenInterval) : .gone
        if !slots[index].explicit { lastRescan = 0 }
    }

    // MARK: Time passing

    private func tick() {
        let now = HostClock.nanoseconds()
        session.advance(to: now, into: &output)
        output.dashboard?.refreshSensors(from: session.pipeline)
        for index in slots.indices {
            switch slots[index].state {
            case .closed(let retryAt) where now >= retryAt:
                open(slot: index, now: now)
            case .waiting(let waiter, let buffered, let since, let requests, let reported):
                var requests = requests, reported = reported
                if now - since >= Self.resendInterval * Int64(requests), requests < 3 {
                    try? slots[index].reader.map { try slots[index].commander.send([.requestDeviceInfo, .startStreaming], to: $0.port) }
                    requests += 1
                }
                if !reported, now - since >= Self.identifyTimeout {
                    reported = true
                    logger.warning(
                        "'\(slots[index].path)' sent no device info within \(Self.identifyTimeout / 1_000_000_000) s (\(waiter.diagnosis)); not using it until it does.")
                }
                slots[index].state = .waiting(waiter, buffered: buffered, since: since, requests: requests, reported: reported)
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
        let dropped = slots.reduce(0) { $0 + ($1.gauge?.refusedChunks ?? 0) }
        if dropped > 0 { parts.append("dropped chunks \(dropped)") }
        return parts.joined(separator: " | ")
    }

    // MARK: Shutdown

    private func shutdown() {
        logger.info("Stopping: telling the sensors to stop streaming")
        hotplug?.stop()
        for index in slots.indices {
            if let reader = slots[index].reader {
                try? slots[index].commander.send([.stopStreaming], to: reader.port)
                reader.stop()
            }
        }
        terminal.finish()
        do {
            if let statistics = try session.finish(into: &output) {
                logger.info("Recording closed: \(statistics.bytesWritten) bytes, \(statistics.droppedRecords) records dropped")
            }
        } catch {
            logger.error("\(error.description)")
        }
        let summary = SessionSummary(reps: output.reps, events: output.events, duration: session.pipeline.sessionTime)
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

/// Bytes queued in the inbox by one reader; chunks beyond the limit are refused (the reader never waits).
final class QueueGauge: Sendable {
    private let bytes = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Counts `count` bytes in; false (and counted as dropped) when that would pass the limit.
    func admit(_ count: Int) -> Bool {
        if bytes.load(ordering: .relaxed) + count > limit {
            refused.add(1, ordering: .relaxed)
            return false
        }
        bytes.add(count, ordering: .relaxed)
        return true
    }

    func release(_ count: Int) { bytes.subtract(count, ordering: .relaxed) }

    /// Chunks refused so far.
    var refusedChunks: Int { refused.load(ordering: .relaxed) }
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
