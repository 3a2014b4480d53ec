import LumbarCore
import LumbarProtocol

/// The device session of `lumbar live`, `record` and `devices`: which ports to open, the handshake and
/// its resends, identification, duplicate sensors, reopening and rescanning, settings and their
/// confirmation, stalls and restarts, and why a sensor was lost. A state machine in the swift-nio
/// style: inputs are values (bytes received on a port at a time, a port opened or not, a scan's
/// result, the time), outputs are `DeviceAction`s for a driver to carry out. No I/O, clock or thread
/// inside: the tests run it on a virtual clock, in milliseconds.
///
/// ```swift
/// var session = DeviceSession(configuration)
/// var actions: [DeviceAction] = []
/// session.start(at: now, into: &actions)            // .open / .scan
/// session.opened(port, at: now, into: &actions)     // .write(handshake)
/// session.received(bytes, on: port, at: t, into: &actions)   // .connect, .deliverKept, .deliver ...
/// session.tick(at: now, into: &actions)             // resends, reopen, rescan, stall restarts
/// ```
/// Actions are appended to a caller-owned array (cleared and reused by the driver): a read of a
/// streaming port appends one `.deliver` and allocates nothing.
public struct DeviceSession: Sendable {
    /// How a port stands.
    public enum Posture: Sendable, Hashable {
        /// Not open; a `--device` path is opened again at `retryAt`.
        case closed(retryAt: Int64)
        /// `.open` was asked; waiting for `opened` or `openFailed`.
        case opening
        /// Open, waiting for the device info.
        case identifying
        /// Its sensor is in the session and sends samples.
        case streaming
        /// Its sensor talks but sends no samples; start-streaming is being sent again.
        case stalled
        /// Done with (discovery port lost, duplicate, probed): never used again.
        case gone
    }

    /// What the session knows of one port.
    struct Slot: Sendable {
        let path: String
        let discovered: DiscoveredPort?
        var posture: Posture
        var commands = CommandWriter()
        /// While identifying: since when, asks so far, whether the silence was reported.
        var identifySince: Int64 = 0
        var requests = 0
        var reportedSilence = false
        var waiter = DeviceInfoWaiter()
        var kept: HandshakeBuffer
        /// Once streaming.
        var sensor: SensorIdentity?
        var watch = StreamWatch(startedAt: 0)
        /// Rate and ranges asked, awaiting the device's answer since when (Lumbar's or a family's own commands).
        var confirmation: (pending: PendingSettings, since: Int64)?
        /// The last open failure (nil once opened).
        var lastFailure: OpenFailure?
        /// Opened at least once.
        var everOpened = false
        /// When the last handshake (with its start command) went out.
        var handshakeAt: Int64 = 0
        /// The family of the current stream when it is not Lumbar's (forced or detected): such a port
        /// is sent nothing more and has no stall watch (no start command is known to be safe for it).
        var family: SensorFamily?
        /// The first bytes of an identifying port, for `SensorFamilyDetector` (at most `detectionLimit`).
        var detectBytes: [UInt8] = []
        /// The x-IMU3 ping went to this opening of the port; its answers are looked for here.
        var ping: XIMU3ResponseScanner?
        /// A known x-IMU3 (told by its bytes, or named) waits for its ping answer since then (host ns), to
        /// join under the serial number it reports; its bytes are kept meanwhile.
        var serialAwaitedSince: Int64?
        /// The line speed the port is at, bit/s (what it was opened at, or raised to).
        var lineSpeed = 0
        /// A WitMotion's line speed being raised for the rate asked, or raised (or not) already in this
        /// opening of the port (its `outcome` set): the settings exchange waits for it.
        var baudChange: WitMotionBaudChange?
        /// A WitMotion identified while its line speed is being raised: it joins when the change ends, since
        /// the rate it is asked (and its clock is modelled on) depends on the outcome; its bytes are kept.
        var joining: SensorIdentity?

        var isOpen: Bool {
            switch posture {
            case .identifying, .streaming, .stalled: true
            case .closed, .opening, .gone: false
            }
        }
    }

    public let configuration: DeviceSessionConfiguration
    private var slots: [Slot] = []
    /// Device id → the sensor id it was first seen under, so a sensor that returns on another port
    /// (replugged, a new tty name) keeps its id.
    private var knownDevices: [String: String] = [:]
    /// When USB discovery listed the ports last; nil: as soon as possible.
    private var lastScan: Int64?
    /// Open failures said already, per path: a port that keeps failing the same way is said once.
    private var reportedFailures: [String: OpenFailure.Kind] = [:]
    private var gaveUp = false
    /// Line speeds a WitMotion was raised to, by USB serial number, else port path: the port opens at it
    /// again (a replugged sensor talks at the speed its settings were saved with).
    private var raisedSpeeds: [String: Int] = [:]

    public init(_ configuration: DeviceSessionConfiguration) {
        self.configuration = configuration
    }

    /// Bytes of an identifying port the family detector looks at: a family that streams unasked
    /// (x-IMU3, WitMotion, a maker board) shows its three messages well within them.
    public static let detectionLimit = 4096

    private var timing: DeviceSessionConfiguration.Timing { configuration.timing }
    private var discovers: Bool { configuration.devices.isEmpty }

    // MARK: What the driver may ask

    /// Every port heard of, in order: its path and posture.
    public var ports: [(port: DevicePort, path: String, posture: Posture)] {
        slots.indices.map { (DevicePort($0), slots[$0].path, slots[$0].posture) }
    }

    public func posture(of port: DevicePort) -> Posture { slots[port.index].posture }

    /// The line speed (bit/s) to open `port` at, when one is configured for it or its family
    /// (`DeviceSessionConfiguration.baudRate(path:discovered:)`); nil: the driver's default.
    /// A speed a WitMotion on that port was raised to in this session comes first.
    public func baudRate(of port: DevicePort) -> Int? {
        raisedSpeeds[speedKey(port.index)] ?? configuration.baudRate(path: slots[port.index].path, discovered: slots[port.index].discovered)
    }

    /// The line speed `port` is at, bit/s.
    public func lineSpeed(of port: DevicePort) -> Int { slots[port.index].lineSpeed }

    private func speedKey(_ i: Int) -> String { slots[i].discovered?.serialNumber.map { "serial:" + $0 } ?? slots[i].path }

    /// The sensor on `port`, once it joined.
    public func sensor(on port: DevicePort) -> SensorIdentity? { slots[port.index].sensor }

    /// True while some port is open or being opened (`record` ends when none is).
    public var hasOpenPorts: Bool {
        slots.contains { $0.isOpen || $0.posture == .opening }
    }

    // MARK: Inputs

    /// Starts: opens each `--device` path, or asks for a USB scan.
    public mutating func start(at now: Int64, into actions: inout [DeviceAction]) {
        if discovers {
            lastScan = now
            actions.append(.scan)
        } else {
            for path in configuration.devices { addSlot(path: path, discovered: nil, into: &actions) }
        }
    }

    /// The result of a `.scan`: ports not yet in use are opened.
    public mutating func discovered(_ found: [DiscoveredPort], at now: Int64, into actions: inout [DeviceAction]) {
        lastScan = now
        for device in found where !slots.contains(where: { $0.path == device.path && $0.posture != .gone }) {
            addSlot(path: device.path, discovered: device, into: &actions)
            actions.append(.notice(.found(DevicePort(slots.count - 1), device)))
        }
    }

    /// A USB device was added or removed (hotplug): list the ports again.
    public mutating func hotplugChanged(at now: Int64, into actions: inout [DeviceAction]) {
        guard discovers else { return }
        lastScan = now
        actions.append(.scan)
    }

    /// `.open` succeeded: the handshake goes out (a lone delimiter, the device-info request, and the
    /// start unless settings are to be asked first or this is a probe).
    public mutating func opened(_ port: DevicePort, at now: Int64, into actions: inout [DeviceAction]) {
        let i = port.index
        guard slots[i].posture == .opening else { return }
        reportedFailures[slots[i].path] = nil
        slots[i].lastFailure = nil
        slots[i].everOpened = true
        slots[i].posture = .identifying
        slots[i].identifySince = now
        slots[i].requests = 1
        slots[i].reportedSilence = false
        slots[i].waiter = DeviceInfoWaiter()
        slots[i].kept.removeAll()
        slots[i].ping = nil
        slots[i].serialAwaitedSince = nil
        slots[i].lineSpeed = baudRate(of: port) ?? configuration.defaultBaudRate
        if let family = configuration.families[slots[i].path], family != .lumbar {
            // Named by `--device PATH:FAMILY`: no Lumbar handshake to a device of another protocol.
            knownFamily(i, family, at: now, into: &actions)
            return
        }
        sendHandshake(i, at: now, into: &actions)
    }

    /// `.open` failed: said once per path and kind; a `--device` path is tried again later.
    public mutating func openFailed(_ port: DevicePort, _ failure: OpenFailure, at now: Int64, into actions: inout [DeviceAction]) {
        let i = port.index
        guard slots[i].posture == .opening else { return }
        if reportedFailures[slots[i].path] != failure.kind {
            reportedFailures[slots[i].path] = failure.kind
            actions.append(.notice(.openFailed(port, path: slots[i].path, failure)))
        }
        slots[i].lastFailure = failure
        let retries = slots[i].discovered == nil && configuration.purpose == .stream
        slots[i].posture = retries ? .closed(retryAt: now + timing.reopenInterval) : .gone
        checkGiveUp(into: &actions)
    }

    /// Bytes read from `port` at `now` (host ns). A streaming port's bytes go to its sensor
    /// (`.deliver`); an identifying port's are kept until the device info arrives.
    public mutating func received(_ bytes: UnsafeRawBufferPointer, on port: DevicePort, at now: Int64, into actions: inout [DeviceAction]) {
        let i = port.index
        switch slots[i].posture {
        case .streaming, .stalled:
            actions.append(.deliver(port, at: now))
            if slots[i].confirmation != nil { confirm(bytes, slot: i, at: now, into: &actions) }
            guard slots[i].family == nil else { return }
            if slots[i].watch.observe(bytes, at: now, startGrace: timing.startGrace) == .resumed {
                slots[i].posture = .streaming
                actions.append(.notice(.resumed(port, path: slots[i].path, id: slots[i].sensor?.id ?? slots[i].path)))
            } else if slots[i].watch.reportedStopped, !slots[i].watch.isStalled {
                checkStall(i, at: now, into: &actions)
            }
        case .identifying:
            if slots[i].joining != nil {
                // A WitMotion whose line speed is being raised: its bytes wait for it to join.
                slots[i].kept.append(bytes, receivedAt: now)
                if var change = slots[i].baudChange, change.outcome == nil {
                    let step = change.feed(bytes, at: now)
                    slots[i].baudChange = change
                    if let step { baudStep(i, step, at: now, into: &actions) }
                }
                return
            }
            // In place: the cost of a read is its own bytes, however much the port sent before.
            if slots[i].serialAwaitedSince != nil {
                // A known x-IMU3: only its ping answer is looked for.
                slots[i].kept.append(bytes, receivedAt: now)
                if let serial = pingAnswer(bytes, slot: i) { joinFamily(i, .xIMU3, serialNumber: serial, at: now, into: &actions) }
                return
            }
            let info = slots[i].waiter.feed(bytes)
            slots[i].kept.append(bytes, receivedAt: now)
            if info == nil, let serial = pingAnswer(bytes, slot: i) {
                joinFamily(i, .xIMU3, serialNumber: serial, at: now, into: &actions)
                return
            }
            if let info {
                if configuration.purpose == .probe {
                    let identity = identity(of: i, info: info)
                    actions.append(.notice(.identified(port, identity)))
                    close(i, into: &actions)
                } else {
                    join(i, info: info, at: now, into: &actions)
                }
            } else if configuration.families[slots[i].path] == nil, slots[i].detectBytes.count < Self.detectionLimit {
                slots[i].detectBytes.append(contentsOf: bytes.prefix(Self.detectionLimit - slots[i].detectBytes.count))
                if case .family(let family, _) = SensorFamilyDetector.detect(slots[i].detectBytes), family != .lumbar {
                    knownFamily(i, family, at: now, into: &actions)
                }
            }
        case .closed, .opening, .gone:
            break
        }
    }

    /// Bytes held in an array.
    public mutating func received(_ bytes: [UInt8], on port: DevicePort, at now: Int64, into actions: inout [DeviceAction]) {
        bytes.withUnsafeBytes { received($0, on: port, at: now, into: &actions) }
    }

    /// The port hung up or failed (the driver closed it). Its sensor is lost; a `--device` path is
    /// reopened later, a discovered port found again by the next scan (at once).
    public mutating func ended(_ port: DevicePort, _ end: PortEnd, at now: Int64, into actions: inout [DeviceAction]) {
        let i = port.index
        guard slots[i].isOpen else { return }
        let wasStreaming = slots[i].sensor != nil
        if wasStreaming { actions.append(.lose(port, end.lossReason, at: now)) }
        actions.append(.notice(.ended(port, path: slots[i].path, end, wasStreaming: wasStreaming)))
        resetStream(i)
        if configuration.purpose == .probe {
            slots[i].posture = .gone
        } else if slots[i].discovered == nil {
            slots[i].posture = .closed(retryAt: now + timing.reopenInterval)
        } else {
            slots[i].posture = .gone
            lastScan = nil
        }
    }

    /// Time passes (a few times a second): resends, identify and settings timeouts, reopening,
    /// rescanning, stalled sensors restarted.
    public mutating func tick(at now: Int64, into actions: inout [DeviceAction]) {
        for i in slots.indices {
            switch slots[i].posture {
            case .closed(let retryAt) where now >= retryAt:
                slots[i].posture = .opening
                actions.append(.open(DevicePort(i), path: slots[i].path))
            case .identifying:
                identifyTick(i, at: now, into: &actions)
            case .streaming, .stalled:
                if let pending = slots[i].confirmation, now - pending.since >= timing.settingsTimeout {
                    slots[i].confirmation = nil
                    actions.append(.notice(.settingsUnconfirmed(DevicePort(i), path: slots[i].path)))
                }
                if slots[i].family == nil { checkStall(i, at: now, into: &actions) }
            default:
                break
            }
        }
        if discovers, configuration.purpose == .stream, lastScan.map({ now - $0 >= timing.rescanInterval }) ?? true {
            lastScan = now
            actions.append(.scan)
        }
    }

    /// Ends the session: streaming ports are told to stop, every open port is closed.
    public mutating func shutdown(into actions: inout [DeviceAction]) {
        for i in slots.indices where slots[i].isOpen {
            if configuration.purpose == .stream, slots[i].family == nil {
                actions.append(.write(DevicePort(i), slots[i].commands.frames([.stopStreaming]).bytes))
            }
            close(i, into: &actions)
        }
    }

    // MARK: Steps

    private mutating func addSlot(path: String, discovered: DiscoveredPort?, into actions: inout [DeviceAction]) {
        slots.append(Slot(path: path, discovered: discovered, posture: .opening, kept: HandshakeBuffer(limit: configuration.handshakeBufferLimit)))
        actions.append(.open(DevicePort(slots.count - 1), path: path))
    }

    private var handshake: [HostCommand.Action] {
        configuration.purpose == .stream && configuration.settings.isEmpty ? [.requestDeviceInfo, .startStreaming] : [.requestDeviceInfo]
    }

    private mutating func sendHandshake(_ i: Int, at now: Int64, into actions: inout [DeviceAction]) {
        slots[i].handshakeAt = now
        actions.append(.write(DevicePort(i), slots[i].commands.frames(handshake, leadingDelimiter: true).bytes))
    }

    private mutating func identifyTick(_ i: Int, at now: Int64, into actions: inout [DeviceAction]) {
        if slots[i].joining != nil {
            // A WitMotion whose line speed is being raised: no handshake, no identify timeout, only the change's.
            if var change = slots[i].baudChange, change.outcome == nil {
                let step = change.tick(at: now)
                slots[i].baudChange = change
                if let step { baudStep(i, step, at: now, into: &actions) }
            }
            return
        }
        if let asked = slots[i].serialAwaitedSince {
            // A known x-IMU3 that did not answer its ping: it joins under its USB serial number or path.
            if now - asked >= timing.serialTimeout { joinFamily(i, .xIMU3, at: now, into: &actions) }
            return
        }
        let since = slots[i].identifySince
        if configuration.pingsUnidentifiedPorts, slots[i].ping == nil, now - since >= timing.resendInterval {
            // Still nothing known after the first ask: the x-IMU3's polite probe, once per opening. An
            // x-IMU3 that is not streaming stays silent until asked; the ping holds no byte another
            // family acts on (no 0x00, no 0xFF 0xAA).
            slots[i].ping = XIMU3ResponseScanner()
            actions.append(.write(DevicePort(i), XIMU3Command.ping))
        }
        if slots[i].requests < timing.maximumRequests, now - since >= timing.resendInterval * Int64(slots[i].requests) {
            sendHandshake(i, at: now, into: &actions)
            slots[i].requests += 1
        }
        guard !slots[i].reportedSilence, now - since >= timing.identifyTimeout else { return }
        slots[i].reportedSilence = true
        let port = DevicePort(i)
        var diagnosis = slots[i].waiter.diagnosis
        if slots[i].waiter.validFrames == 0, slots[i].waiter.bytesSeen > 0 {
            diagnosis += ", nor x-IMU3, WitMotion or text lines"
        }
        actions.append(.notice(.notIdentified(port, path: slots[i].path, diagnosis: diagnosis)))
        if configuration.purpose == .probe {
            close(i, into: &actions)
        } else if configuration.joinsUnidentified {
            let identity = SensorIdentity(
                id: slots[i].path, placement: .unassigned, path: slots[i].path, deviceInfo: nil, usbID: slots[i].discovered?.usbID)
            connect(i, identity, at: slots[i].kept.firstReceivedAt ?? now, into: &actions)
        }
    }

    private func identity(of i: Int, info: DeviceInfo) -> SensorIdentity {
        let serial = slots[i].discovered?.serialNumber
        let id = knownDevices[info.deviceIDString] ?? serial ?? info.deviceIDString
        let placement = configuration.placement(serialNumber: serial, deviceID: info.deviceIDString, reported: info.placement)
        return SensorIdentity(id: id, placement: placement, path: slots[i].path, deviceInfo: info, usbID: slots[i].discovered?.usbID)
    }

    /// The device on slot `i` told who it is: it joins the session, unless the same sensor already
    /// streams on another port.
    private mutating func join(_ i: Int, info: DeviceInfo, at now: Int64, into actions: inout [DeviceAction]) {
        let identity = identity(of: i, info: info)
        knownDevices[info.deviceIDString] = identity.id
        let port = DevicePort(i)
        if let other = slots.indices.first(where: { $0 != i && slots[$0].isOpen && slots[$0].sensor?.id == identity.id }) {
            actions.append(.notice(.duplicate(port, path: slots[i].path, id: identity.id, otherPath: slots[other].path)))
            close(i, into: &actions)
            return
        }
        actions.append(.notice(.identified(port, identity)))
        connect(i, identity, at: slots[i].kept.firstReceivedAt ?? now, into: &actions)
        configure(i, placement: identity.placement, at: now, into: &actions)
    }

    /// The port on slot `i` is known to speak `family` (named, or told by its first bytes). An x-IMU3 is
    /// first asked its serial number (the ping, unless `--no-ping`) and joins when it
    /// answers, or after `serialTimeout`: the serial number it reports is its id however it was found (the
    /// ping of a port still unknown gives the same), the one x-io's software and its logged files name it
    /// by, on any link (a Bluetooth serial port or a `--device` path has no USB serial number). Other
    /// families join at once.
    private mutating func knownFamily(_ i: Int, _ family: SensorFamily, at now: Int64, into actions: inout [DeviceAction]) {
        guard family == .xIMU3, configuration.pingsUnidentifiedPorts else {
            joinFamily(i, family, at: now, into: &actions)
            return
        }
        slots[i].family = family
        slots[i].detectBytes = []
        slots[i].serialAwaitedSince = now
        // Pinged now even when this port was pinged as unknown before: that ping may have gone to a device
        // not yet listening (switched on after the daemon opened its port). An answer to either is taken.
        if slots[i].ping == nil { slots[i].ping = XIMU3ResponseScanner() }
        actions.append(.write(DevicePort(i), XIMU3Command.ping))
    }

    /// The port on slot `i` speaks `family` (named, or told by its first bytes): its sensor joins under
    /// its USB serial number, else its path, placed by the config (serial number or path) or unassigned,
    /// and gets every byte kept so far. `devices` (probe) only notes it and closes the port.
    private mutating func joinFamily(
        _ i: Int, _ family: SensorFamily, serialNumber reported: String? = nil, at now: Int64, into actions: inout [DeviceAction]
    ) {
        let usbSerial = slots[i].discovered?.serialNumber
        let serial = reported ?? usbSerial
        let path = slots[i].path
        // The config may name either serial number: the one the device reported (an x-IMU3's ping answer)
        // or the port's USB one, which `lumbar devices` lists for a port found streaming; the device's
        // own first, then the USB one (in the device id's place: the same table), then the path.
        let placement = configuration.placement(
            serialNumber: serial, deviceID: reported == nil ? nil : usbSerial, path: path, reported: .unassigned)
        let identity = SensorIdentity(
            id: serial ?? path, placement: placement,
            path: path, deviceInfo: nil, usbID: slots[i].discovered?.usbID, family: family, serialNumber: reported)
        let port = DevicePort(i)
        slots[i].family = family
        slots[i].detectBytes = []
        slots[i].serialAwaitedSince = nil
        if configuration.purpose == .probe {
            actions.append(.notice(.identified(port, identity)))
            close(i, into: &actions)
            return
        }
        if let other = slots.indices.first(where: { $0 != i && slots[$0].isOpen && slots[$0].sensor?.id == identity.id }) {
            actions.append(.notice(.duplicate(port, path: path, id: identity.id, otherPath: slots[other].path)))
            close(i, into: &actions)
            return
        }
        actions.append(.notice(.identified(port, identity)))
        if family == .witMotion, startBaudChange(i, placement: identity.placement, at: now) {
            slots[i].joining = identity
            return
        }
        connect(i, identity, at: slots[i].kept.firstReceivedAt ?? now, into: &actions)
        configureFamily(i, family, placement: identity.placement, at: now, into: &actions)
    }

    /// The serial number in an x-IMU3 ping answer among `bytes`, when this port was pinged.
    private mutating func pingAnswer(_ bytes: UnsafeRawBufferPointer, slot i: Int) -> String? {
        guard var scanner = slots[i].ping else { return nil }
        var serial: String?
        scanner.feed(bytes) { response in
            if serial == nil, let ping = response.ping { serial = ping.serialNumber }
        }
        slots[i].ping = scanner
        return serial
    }

    /// Starts raising the line speed of a WitMotion on slot `i` when the rate asked of it needs a faster one
    /// (`WitMotionBaud.raise`, `WitMotionBaudChange`): it joins, and is configured, once the change ended
    /// (`baudStep`). - Returns: whether a change started.
    private mutating func startBaudChange(_ i: Int, placement: SensorPlacement, at now: Int64) -> Bool {
        guard configuration.purpose == .stream, !configuration.settings.isEmpty, slots[i].baudChange == nil,
            let rate = configuration.settings.values(for: placement).rateHz,
            let to = WitMotionBaud.raise(from: slots[i].lineSpeed, for: WitMotionCommand.outputRate(nearest: rate).hertz),
            let change = WitMotionBaudChange(from: slots[i].lineSpeed, to: to, at: now)
        else { return false }
        // Bytes kept before were for the detection: a packet after them shows it talks at this speed.
        slots[i].baudChange = change
        return true
    }

    /// Asks a sensor of another family, positively identified, for the configured rate and ranges in its
    /// own commands (`FamilySettingsExchange`); its answer is checked in `confirmFamily`. A sensor asked
    /// another rate than the configured one (`SensorIdentity.rateHz`: a WitMotion whose line speed was not
    /// raised) is asked that one.
    private mutating func configureFamily(_ i: Int, _ family: SensorFamily, placement: SensorPlacement, at now: Int64, into actions: inout [DeviceAction]) {
        guard !configuration.settings.isEmpty else { return }
        let asked = slots[i].sensor?.asked(of: configuration.settings) ?? configuration.settings.values(for: placement)
        let port = DevicePort(i)
        guard !asked.isEmpty, let exchange = FamilySettingsExchange(family: family, asked: asked, sentAt: now) else { return }
        if let outcome = exchange.outcome {
            // Nothing could be sent (text lines, an x-IMU3 asked only ranges): said at once.
            actions.append(.notice(.familySettingsApplied(
                port, path: slots[i].path, family: family, asked: asked, applied: outcome.applied, refused: outcome.refused)))
            return
        }
        actions.append(.write(port, exchange.bytes))
        slots[i].confirmation = (.family(exchange), now)
    }

    /// A step of a WitMotion's line speed change: the command and the new speed once it was heard at the old
    /// one; its end: raised (the port stays at the new speed, and opens at it again), not applied (the port
    /// goes back to the old one, and the sensor is asked the rate that one carries,
    /// `WitMotionBaud.carriedRate`), each said in one notice, or never heard (nothing said: the settings'
    /// own confirmation says it); then the sensor joins, with every byte kept meanwhile, and the settings
    /// follow.
    private mutating func baudStep(_ i: Int, _ step: WitMotionBaudChange.Step, at now: Int64, into actions: inout [DeviceAction]) {
        let port = DevicePort(i)
        guard case .ended(let outcome) = step else {
            if case .send(let bytes, let speed) = step {
                actions.append(.write(port, bytes))
                actions.append(.setLineSpeed(port, bitsPerSecond: speed))
            }
            return
        }
        guard var identity = slots[i].joining else { return }
        let rate = configuration.settings.values(for: identity.placement).rateHz ?? 0
        switch outcome {
        case .unheard:
            break
        case .raised(let from, let to):
            slots[i].lineSpeed = to
            raisedSpeeds[speedKey(i)] = to
            actions.append(.notice(.lineSpeedRaised(port, path: slots[i].path, from: from, to: to, rateHz: rate)))
        case .notApplied(let from, let to):
            // Saved at the old speed: after a power cycle (unplug, plug in) such a model talks at `to`, which the
            // port is opened at then. Until then it is asked what `from` carries: asked more, it would skip cycles
            // its receive clock (`ReceiveClock`, modelled on the rate asked) counts as lost.
            raisedSpeeds[speedKey(i)] = to
            let carried = WitMotionBaud.carriedRate(at: from, for: rate).hertz
            identity.rateHz = carried
            actions.append(.setLineSpeed(port, bitsPerSecond: from))
            actions.append(.notice(.lineSpeedNotApplied(port, path: slots[i].path, from: from, to: to, rateHz: rate, carriedHz: carried)))
        }
        slots[i].joining = nil
        connect(i, identity, at: slots[i].kept.firstReceivedAt ?? now, into: &actions)
        configureFamily(i, .witMotion, placement: identity.placement, at: now, into: &actions)
    }

    /// Connects slot `i`'s sensor and hands it every byte kept so far, once, in order.
    private mutating func connect(_ i: Int, _ identity: SensorIdentity, at time: Int64, into actions: inout [DeviceAction]) {
        let port = DevicePort(i)
        slots[i].sensor = identity
        slots[i].posture = .streaming
        var watch = StreamWatch(startedAt: time)
        actions.append(.connect(port, identity, at: time))
        let grace = timing.startGrace
        slots[i].kept.forEachRead { bytes, receivedAt in
            actions.append(.deliverKept(port, Array(bytes), at: receivedAt))
            _ = watch.observe(bytes, at: receivedAt, startGrace: grace)
        }
        watch.started(at: slots[i].handshakeAt)
        slots[i].watch = watch
        slots[i].kept = HandshakeBuffer(limit: configuration.handshakeBufferLimit)
    }

    /// Asks the sensor for the configured rate and ranges (stopping it first: a device may refuse
    /// changes while streaming) and for its device info, then starts it; the answer is checked in `confirm`.
    private mutating func configure(_ i: Int, placement: SensorPlacement, at now: Int64, into actions: inout [DeviceAction]) {
        guard !configuration.settings.isEmpty else { return }
        let asked = configuration.settings.values(for: placement)
        let port = DevicePort(i)
        guard !asked.isEmpty else {
            actions.append(.write(port, slots[i].commands.frames([.startStreaming]).bytes))
            slots[i].watch.started(at: now)
            return
        }
        let commands = asked.commands
        let framed = slots[i].commands.frames([.stopStreaming] + commands + [.requestDeviceInfo, .startStreaming])
        actions.append(.write(port, framed.bytes))
        slots[i].watch.started(at: now)
        slots[i].confirmation = (.lumbar(SettingsConfirmation(tokens: Array(framed.tokens[1...commands.count + 1])), asked: asked), now)
    }

    /// Feeds a streaming sensor's bytes to the settings awaiting its answer; says the outcome once complete.
    private mutating func confirm(_ bytes: UnsafeRawBufferPointer, slot i: Int, at now: Int64, into actions: inout [DeviceAction]) {
        guard var pending = slots[i].confirmation else { return }
        let notice = pending.pending.feed(bytes, port: DevicePort(i), path: slots[i].path, at: now)
        slots[i].confirmation = notice == nil ? pending : nil
        if let notice { actions.append(.notice(notice)) }
    }

    /// A stalled sensor: lost as `stalled` the first time, and start-streaming again as the backoff says.
    private mutating func checkStall(_ i: Int, at now: Int64, into actions: inout [DeviceAction]) {
        guard let due = slots[i].watch.restartDue(at: now, timing: timing) else { return }
        let port = DevicePort(i)
        if due.attempt == 1 {
            slots[i].posture = .stalled
            actions.append(.lose(port, .stalled, at: now))
        }
        actions.append(.write(port, slots[i].commands.frames([.startStreaming]).bytes))
        actions.append(.notice(.stalled(port, path: slots[i].path, id: slots[i].sensor?.id ?? slots[i].path, attempt: due.attempt, retryIn: due.retryIn)))
    }

    private mutating func close(_ i: Int, into actions: inout [DeviceAction]) {
        actions.append(.close(DevicePort(i)))
        resetStream(i)
        slots[i].posture = .gone
    }

    private mutating func resetStream(_ i: Int) {
        slots[i].sensor = nil
        slots[i].confirmation = nil
        slots[i].kept = HandshakeBuffer(limit: configuration.handshakeBufferLimit)
        slots[i].waiter = DeviceInfoWaiter()
        slots[i].family = nil
        slots[i].detectBytes = []
        slots[i].ping = nil
        slots[i].serialAwaitedSince = nil
        slots[i].baudChange = nil
        slots[i].joining = nil
    }

    /// Every `--device` path failed to open for good (and none ever opened): nothing can come.
    private mutating func checkGiveUp(into actions: inout [DeviceAction]) {
        guard !gaveUp, !discovers, !slots.isEmpty else { return }
        guard slots.allSatisfy({ !$0.everOpened && ($0.lastFailure?.isPermanent ?? false) }) else { return }
        gaveUp = true
        actions.append(.giveUp)
    }
}

/// Settings asked of a sensor and awaiting its answer: the Lumbar protocol's acknowledgements and device
/// info (`SettingsConfirmation`), or a sensor family's own answers (`FamilySettingsExchange`).
enum PendingSettings: Sendable {
    case lumbar(SettingsConfirmation, asked: SensorSettingsRequest.Values)
    case family(FamilySettingsExchange)

    /// Feeds bytes read from the sensor on `port` at `now` (ns); the notice saying what it runs once its
    /// answer is complete.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, port: DevicePort, path: String, at now: Int64) -> DeviceNotice? {
        switch self {
        case .lumbar(var check, let asked):
            let outcome = check.feed(bytes)
            self = .lumbar(check, asked: asked)
            return outcome.map { .settingsApplied(port, path: path, asked: asked, applied: $0.deviceInfo, refused: $0.refused) }
        case .family(var exchange):
            let outcome = exchange.feed(bytes, at: now)
            self = .family(exchange)
            return outcome.map {
                .familySettingsApplied(
                    port, path: path, family: exchange.family, asked: exchange.asked, applied: $0.applied, refused: $0.refused,
                    measured: $0.measured)
            }
        }
    }
}
