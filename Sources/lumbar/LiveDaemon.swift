import LumbarCore
import LumbarDevice
import LumbarFeedback
import LumbarIO
import LumbarProtocol
import LumbarSession
import LumbarSound
import LumbarStore
import Logging
import Synchronization

/// The live daemon: one session thread that runs the device session (`DeviceSession`, through
/// `DeviceSessionDriver`: one `poll` over every sensor port) and the session (pipeline + recorder) on
/// the bytes at once, writing event lines with a direct `write(2)`; the same thread does reconnection,
/// the status line and the final summary. Listing the USB ports (libusb, sysfs) runs on the driver's
/// scanner thread (`PortScanner`): the session thread only asks and, woken, takes the result.
///
/// Why one thread: the latency from a readable port to the written `lumbar_moved` line is then one
/// wake-up, with no hand-off to another thread or task (each hand-off is another wait for the
/// scheduler, which on a loaded machine is where the tail comes from). With `--realtime` that thread
/// runs under `SCHED_FIFO`.
///
/// Every decision about ports and sensors (handshake, identification, duplicates, reopening,
/// rescanning, settings, stalls and restarts, loss reasons) is the device session's; this type only
/// carries out its actions: a sensor joins the `LiveSession`, bytes go to it, a loss, a log line.
///
/// Other threads only set a flag and wake the session thread: a shutdown signal, a USB hotplug event, a
/// finished USB scan.
final class LiveDaemon {
    // Not Sendable: every member is used by the session thread only (`run`). Other threads get only
    // `wakeups` (Sendable: two atomic flags and the poll's waker).

    struct Options {
        var devices: [DeviceSpec]
        var configuration: SensorConfiguration
        var eventsPath: String?
        var recordPath: String?
        /// Replace the recording when it exists (otherwise it gets a numbered name next to it).
        var overwriteRecording = false
        var showsStatus: Bool
        var sysfs: SysfsUSBTree
        var settings: SessionPipeline.Settings
        /// What the recording's header keeps of `settings` for its replay (`RecordingHeader.analysisSettings`).
        var recordedSettings = KeyValueText()
        /// Where to serve the web dashboard (`--http`); nil = no dashboard.
        var http: HTTPAddress? = nil
        /// HTTPS for the dashboard (`--tls-cert/--tls-key`), already read and checked.
        var tls: DashboardTLS? = nil
        /// Run the session thread under `SCHED_FIFO` (`--realtime`).
        var realtime = false
        /// Sample rate and ranges to ask of the sensors (`--rate`, `--accel-range`, `--gyro-range`).
        var sensorSettings = SensorSettingsRequest()
        /// Ping ports still unknown after the first ask, for an x-IMU3 (not with `--no-ping`).
        var pings = true
        /// The machine's own sound (`--sound`), started before the daemon; nil = none.
        var sound: SoundOutput? = nil
        /// The session database and whose session it is; nil = not stored (`--no-store`).
        var store: (address: StoreAddress, person: StoredPerson?)? = nil
    }

    static let tickNanoseconds: Int64 = 100_000_000
    /// A poll that returns this much later than asked, or this long between a poll and the tick after
    /// it, means the host stood still (the driver's `.late`, `ReadSilenceWatch.threshold`).
    static let pauseNanoseconds: Int64 = 250_000_000

    let options: Options
    let logger: Logger
    let terminal: TerminalLog
    private let driver: DeviceSessionDriver
    /// What other threads may do to the session thread: ask it to stop, tell it USB changed.
    let wakeups: Wakeups
    /// Which session sensor each port's sensor is.
    private var routing = DeviceRouting()
    /// The device session found that no port can ever be used.
    private var gaveUp = false
    private var session: LiveSession
    private var output: LiveOutput
    private var usb: USBContext?
    private var hotplug: USBHotplugMonitor?
    private var lastStatus: Int64 = 0
    private var dashboard: DashboardRunner?
    /// The recording's write failure, once it was logged (the tick after the flusher hit it).
    private var recordingFailure: RecordingError?
    /// The session database's writer, when storing.
    private var storing: SessionStoring?
    /// The dashboard's person picker and "last time" (storing with a dashboard).
    private var clinic: DashboardClinic?

    init(options: Options, logger: Logger, terminal: TerminalLog) throws {
        self.options = options
        self.logger = logger
        self.terminal = terminal
        var configuration = DeviceSessionConfiguration(placements: options.configuration.placements, settings: options.sensorSettings)
        configuration.use(options.configuration)
        configuration.use(options.devices)
        configuration.pingsUnidentifiedPorts = options.pings
        var usb: USBContext?
        if options.devices.isEmpty {
            do {
                usb = try USBContext()
            } catch {
                logger.warning("\(error.description) Falling back to scanning sysfs.")
            }
        }
        self.usb = usb
        let ids = options.configuration.usbIDs, sysfs = options.sysfs
        do {
            driver = try DeviceSessionDriver(configuration, settings: .init(baudRate: options.configuration.baudRate)) { [usb] in
                (usb?.serialDevices(matching: ids, sysfs: sysfs) ?? sysfs.serialDevices(matching: ids)).compactMap(\.discovered)
            }
        } catch {
            throw LiveError(error.description)
        }
        wakeups = Wakeups(waker: driver.ports.waker)
        let sink = try options.eventsPath.map { try EventSink(path: $0) { logger.error("\($0)") } }
        var recorder: Recorder?
        if let path = options.recordPath {
            do {
                let header = RecordingHeader(
                    startUnixNanoseconds: wallClockNanoseconds(), startHostNanoseconds: HostClock.nanoseconds(),
                    settings: options.recordedSettings)
                let r = try Recorder(path: path, header: header, overwrite: options.overwriteRecording)
                if r.path != path { logger.notice("'\(path)' exists: recording to '\(r.path)' instead") }
                recorder = r
            } catch {
                throw LiveError(error.description)
            }
        }
        session = LiveSession(pipeline: SessionPipeline(settings: options.settings), recorder: recorder)
        routing.settings = options.sensorSettings
        let log = logger
        let upright = FirstStillPosture()
        output = LiveOutput(sink: sink) { event in
            switch event {
            case .calibrated(let t, _, _) where !upright.taken:
                // The session's first still posture: the upright moment when the person stood (see README).
                upright.taken = true
                log.info("\(event.jsonLine)")
                log.notice("Got it: still at \(FixedDecimal.format(t, decimals: 1)) s (standing upright, this tells an arching back from a rounding one). Now get into position and hold still 2 s.")
            case .sensorConnected, .sensorLost, .calibrated: log.info("\(event.jsonLine)")
            default: log.debug("\(event.jsonLine)")
            }
        }
        logger.notice("Once the sensors are on: stand still, upright, for 3 s.")
        output.sound = options.sound
        if let store = options.store {
            let start = StoredSessionStart(
                id: StoreDatabase.newSessionID(), person: store.person, source: .live,
                startedUnixNanoseconds: wallClockNanoseconds(), station: StoreDatabase.hostName(),
                thresholdDegrees: Double(session.pipeline.lumbarThresholdDegrees), recordingPath: recorder.map { absolutePath($0.path) })
            let s = SessionStoring(address: store.address, start: start)
            storing = s
            output.store = s.output
            logger.info("Storing session \(start.id) in \(store.address)\(store.person.map { " for \($0.name)" } ?? "")")
        }
        if let address = options.http {
            do {
                let runner = try DashboardRunner.start(address, tls: options.tls, logger: logger)
                output.dashboard = DashboardOutput(hub: runner.hub, motion: options.settings.motion)
                dashboard = runner
                logger.notice("dashboard on \(runner.url)")
                if runner.access.token != nil { TerminalLines.printQRCode(runner.url) }
                if let player = options.sound?.player { runner.hub.onMute { player.setMuted($0) } }
                if let storing, let store = options.store {
                    clinic = DashboardClinic(hub: runner.hub, address: store.address, sessionID: storing.output.sessionID, person: store.person)
                } else {
                    runner.hub.publish(clinic: ClinicPanel(
                        unavailable: "This session is not stored (--no-store): no person to choose, no last time to compare."))
                }
            } catch {
                throw LiveError(error.description)
            }
        }
    }

    /// Flags another thread sets, each followed by a wake-up of the session thread's poll.
    final class Wakeups: Sendable {
        fileprivate let stopRequested = Atomic<Bool>(false)
        fileprivate let usbChanged = Atomic<Bool>(false)
        private let waker: PortMultiplexer.Waker

        init(waker: PortMultiplexer.Waker) { self.waker = waker }

        /// Asks the session thread to shut down (from a signal handler or any thread).
        func requestShutdown() {
            stopRequested.store(true, ordering: .releasing)
            waker.wake()
        }

        /// A USB device came or went (the hotplug thread).
        func usbDidChange() {
            usbChanged.store(true, ordering: .releasing)
            waker.wake()
        }
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
        start()
        var nextTick = HostClock.nanoseconds() + Self.tickNanoseconds
        while !wakeups.stopRequested.load(ordering: .acquiring), !gaveUp {
            driver.poll(timeoutNanoseconds: max(0, nextTick - HostClock.nanoseconds()), handle)
            let polled = HostClock.nanoseconds()
            if wakeups.usbChanged.exchange(false, ordering: .acquiringAndReleasing) { driver.hotplugChanged(at: polled, handle) }
            let now = HostClock.nanoseconds()
            // Stood still since the poll (descheduled, a paused VM): no read came after it yet.
            if now - polled > Self.pauseNanoseconds { session.hostResumed(at: now) }
            if now >= nextTick {
                tick(now: now)
                nextTick = now + Self.tickNanoseconds
            }
        }
        shutdown()
        if gaveUp { throw LiveError("No sensor port can be used.") }
        let failed = [output.sink?.failure, recordingFailure?.description].compactMap { $0 }
        if !failed.isEmpty {
            throw LiveError("Exiting with an error: an output failed (\(failed.count == 1 ? "see above" : "\(failed.count) outputs, see above")).")
        }
    }

    // MARK: Starting

    /// Starts USB hotplug (when discovering) and the device session.
    ///
    /// The device session asks for the USB ports (libusb, or sysfs alone) at start, on each hotplug
    /// notice, every 2 s, and at once after a discovered port is lost; the scanner thread lists them.
    private func start() {
        if options.devices.isEmpty, let usb {
            hotplug = USBHotplugMonitor(usb: usb, ids: options.configuration.usbIDs) { [wakeups] _ in
                wakeups.usbDidChange()
            }
            logger.info(
                "Looking for sensors with USB ids \(options.configuration.usbIDs.map(\.description).joined(separator: ", ")) (\(hotplug == nil ? "polling every 2 s" : "hotplug"))")
        }
        driver.observe = { [unowned self] in observed($0) }
        driver.start(at: HostClock.nanoseconds(), handle)
    }

    /// A poll that came back late means the host stood still: that is no sensor's silence (see
    /// `SessionPipeline.hostResumed`). Everything is logged at debug level.
    private func observed(_ observation: DeviceSessionDriver.Observation) {
        if case .late(_, let to) = observation { session.hostResumed(at: to) }
        Self.log(observation, logger)
    }

    // MARK: The device session's decisions

    /// Carries out what the device session decided for the session: a sensor joins, bytes for it, a
    /// loss, a log line.
    private func handle(_ action: DeviceAction, _ bytes: UnsafeRawBufferPointer) {
        if routing.apply(action, bytes, to: session, into: &output) { return }
        switch action {
        case .notice(let notice): log(notice)
        case .giveUp: gaveUp = true
        default: break
        }
    }

    private func log(_ notice: DeviceNotice) {
        switch notice {
        case .found(_, let device):
            logger.info("Found \(device.usbID) serial \(device.serialNumber ?? "-") on \(device.path)")
        case .openFailed(_, _, let failure):
            logger.error("\(failure.message)")
        case .identified(_, let s):
            guard let info = s.deviceInfo else {
                logger.info("Sensor \(s.id) (\(s.placement.rawValue)) on \(s.path): \(s.family.displayName)")
                if s.placement == .unassigned {
                    logger.warning(
                        "'\(s.path)' (\(s.family.displayName)) cannot say where it is worn: give --device PLACEMENT=\(s.path) or a [placement] line in the config; its samples are not analysed until then.")
                }
                return
            }
            logger.info(
                "Sensor \(s.id) (\(s.placement.rawValue)) on \(s.path): firmware \(info.firmwareVersion), \(FixedDecimal.format(info.sampleRate, decimals: 0)) Hz, ±\(info.accelerometerFullScale) g, ±\(info.gyroscopeFullScale) dps")
        case .notIdentified(_, let path, let diagnosis):
            logger.warning(
                "'\(path)' sent no device info within \(driver.session.configuration.timing.identifyTimeout / 1_000_000_000) s (\(diagnosis)); not using it until it does.")
        case .duplicate(_, let path, let id, let other):
            logger.warning("'\(path)' is the same sensor (\(id)) as '\(other)': ignoring it.")
        case .settingsApplied(_, let path, let asked, let info, let refused):
            let applied = "\(FixedDecimal.format(info.sampleRate, decimals: 0)) Hz, ±\(info.accelerometerFullScale) g, ±\(info.gyroscopeFullScale) dps"
            let differences = asked.differences(from: info) + refused.keys.sorted().map { "opcode \($0): \(refused[$0]!)" }
            if differences.isEmpty {
                logger.info("'\(path)' configured: \(applied)")
            } else {
                logger.warning("'\(path)' runs at \(applied): \(differences.joined(separator: ", ")); the device picked what it supports.")
            }
        case .familySettingsApplied(_, let path, let family, let asked, let applied, let refused, let measured):
            let outcome = FamilySettingsExchange.Outcome(applied: applied, refused: refused)
            let differences = outcome.differences(from: asked) + refused
            // Which way the rate was confirmed: what the device reported, or the packets it sends.
            let how = measured.map {
                " (rate from the packets received: \($0.packets) in \(FixedDecimal.format($0.seconds, decimals: 2)) s, "
                    + "\(FixedDecimal.format($0.hertz, decimals: 1)) Hz; no register read-back)"
            } ?? ""
            if differences.isEmpty {
                logger.info("'\(path)' (\(family.displayName)) configured: \(outcome.summary)\(how)")
            } else {
                logger.warning("'\(path)' (\(family.displayName)) runs at \(outcome.summary): \(differences.joined(separator: ", "))\(how).")
            }
        case .lineSpeedRaised, .lineSpeedNotApplied:
            if let line = notice.lineSpeedLine { notice.isWarning ? logger.warning("\(line)") : logger.info("\(line)") }
        case .settingsUnconfirmed(_, let path):
            logger.warning(
                "'\(path)' did not confirm the settings asked within \(driver.session.configuration.timing.settingsTimeout / 1_000_000_000) s (no device info after the commands).")
        case .stalled(_, let path, let id, let attempt, let retryIn):
            let next = FixedDecimal.format(Double(retryIn) / 1e9, decimals: 1)
            if attempt == 1 {
                logger.warning("Sensor \(id) on '\(path)' sends no samples (stalled): starting it again (next try in \(next) s).")
            } else {
                logger.info("Sensor \(id) on '\(path)' still stalled: start-streaming again, try \(attempt) (next in \(next) s).")
            }
        case .resumed(_, let path, let id):
            logger.notice("Sensor \(id) on '\(path)' streams again.")
        case .ended(_, _, let end, let wasStreaming):
            logger.warning("\(end.message)\(wasStreaming ? " The session goes on without it." : "")")
        }
    }

    /// What the driver saw of the host (debug level): scans, stretches without a byte, a late poll.
    /// Times are the host's monotonic clock in seconds (in a VM guest: its uptime).
    private static func log(_ observation: DeviceSessionDriver.Observation, _ logger: Logger) {
        guard logger.logLevel <= .debug else { return }
        func s(_ ns: Int64) -> String { FixedDecimal.format(Double(ns) / 1e9, decimals: 3) }
        switch observation {
        case .scan(let scan):
            logger.debug("USB scan: \(scan.ports.count) ports in \(s(scan.endedAt - scan.startedAt)) s (\(s(scan.startedAt))-\(s(scan.endedAt)))")
        case .silence(let silence):
            logger.debug(
                "No byte from \(silence.ports.rawValue) for \(s(silence.to - silence.from)) s (\(s(silence.from))-\(s(silence.to)))\(silence.duringScan ? ", a USB scan asked for or running meanwhile" : ", no USB scan meanwhile")")
        case .late(let from, let to):
            logger.debug("The session thread's poll returned \(s(to - from)) s late (\(s(from))-\(s(to)))")
        }
    }

    // MARK: Time passing

    private func tick(now: Int64) {
        // The device session first: a sensor that talks without samples is `stalled` (its own reason)
        // before the pipeline's silence check could call the same moment a `timeout`.
        driver.tick(at: now, handle)
        session.advance(to: now, into: &output)
        reportRecordingFailure()
        reportStoreNotices()
        storeChosenPerson()
        output.dashboard?.refreshSensors(from: session.pipeline)
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

    /// A person chosen on the dashboard: the whole session becomes theirs (its reps so far included), stored
    /// through the session's writer after everything already measured.
    private func storeChosenPerson() {
        guard let storing, let person = clinic?.takeChoice() else { return }
        storing.writer.submit(.person(session: storing.output.sessionID, person, unixNanoseconds: wallClockNanoseconds()))
        logger.notice("Session \(storing.output.sessionID) is \(person.name)'s (chosen on the dashboard; its \(output.reps.count) reps so far included)")
    }

    /// The session database's failure and recovery, each said once, in the log and (a failure) on the dashboard.
    private func reportStoreNotices() {
        guard let storing else { return }
        for notice in storing.notices() {
            if notice.isProblem {
                logger.error("\(notice.line)")
                dashboard?.hub.publish(problem: notice.line)
            } else {
                logger.notice("\(notice.line)")
            }
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
            let live = routing.sensorOfPort.contains { port, sensor in sensor == i && driver.session.posture(of: DevicePort(port)) == .streaming }
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
            parts.append("stand still, upright: \(FixedDecimal.format(still, decimals: 1))/\(FixedDecimal.format(required, decimals: 0)) s")
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
        driver.shutdown(handle)
        terminal.finish()
        defer { output.sound?.finish() }
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
        storeChosenPerson()
        clinic?.stop()
        if let storing {
            let recording = session.recorder.map { absolutePath($0.path) }
            let end = StoredSessionEnd(
                endedUnixNanoseconds: wallClockNanoseconds(), summary: summary,
                thresholdDegrees: Double(session.pipeline.lumbarThresholdDegrees),
                recordingSHA256: recordingFailure == nil ? recording.flatMap { RecordingHash.hex(ofFile: $0) } : nil,
                sensors: StoreSessionOutput.sensors(of: session.pipeline))
            let (lines, failed) = storing.finish(end, recording: recording)
            for line in lines { failed ? logger.error("\(line)") : logger.info("\(line)") }
        }
        dashboard?.stopAndWait()
    }
}

extension USBSerialDevice {
    /// The device session's view of a discovered port (nil while it has no tty yet).
    var discovered: DiscoveredPort? {
        port.map { DiscoveredPort(path: $0, serialNumber: serialNumber, usbID: id.description) }
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

/// Whether a live session's first still posture (the upright moment, when the person stood) was taken: the
/// event handler says "got it" once.
private final class FirstStillPosture {
    var taken = false
}
