import LumbarCore
import LumbarDevice
import LumbarIO
import LumbarProtocol

/// Runs a `DeviceSession` against emulated devices (`EmulatedFirmware`, the same firmware logic the
/// pseudo-terminal emulator runs) on a virtual clock, in 1 ms steps: what the session writes reaches
/// the device's firmware at once, the device's answers and its stream reach the session 1 ms later.
/// The session is ticked every 100 ms, as the daemon does. Nothing here sleeps or reads a clock.
struct DeviceBench {
    /// One emulated device on one path.
    struct Device {
        var path: String
        var serialNumber: String?
        var firmware: EmulatedFirmware
        /// Plugged in: discovery lists it, opening it works.
        var plugged = true
        /// Opening fails so, if set.
        var openFailure: OpenFailure.Kind?
        /// Sends 100 random bytes every 10 ms and nothing else.
        var babbles = false
        /// Random bytes between frames.
        var garbageBetweenFrames = false
        /// Answers to device-info requests come this long after the request (ns).
        var answerDelay: Int64 = 1_000_000
        /// A sample batch of 10 samples every 50 ms (200 Hz); a heartbeat every second.
        var nextBatchAt: Int64 = 0
        var nextHeartbeatAt: Int64 = 500_000_000
        var sequence: UInt32 = 0
        /// Bytes from the host are lost until this time (ns): a device still booting, a lost command.
        var deafUntil: Int64 = 0
        /// Open on this port (nil: closed).
        var port: DevicePort?
        /// Every byte of it that reached the host on the currently or last open port, in arrival order.
        var sent: [UInt8] = []
        /// Outputs produced so far (garbage goes after every tenth).
        var outputs = 0

        init(path: String, serialNumber: String? = nil, deviceID: UInt64, placement: SensorPlacement, behaviour: EmulatedSensor.Behaviour = .normal) {
            self.path = path
            self.serialNumber = serialNumber
            firmware = EmulatedFirmware(deviceInfo: DeviceBench.info(deviceID: deviceID, placement: placement), behaviour: behaviour)
        }
    }

    /// What the session did, in order, for the tests to read.
    enum Event: Equatable {
        case connected(id: String, path: String, at: Int64)
        case lost(id: String, SensorLossReason, at: Int64)
        case notice(DeviceNotice)
        case gaveUp
    }

    var session: DeviceSession
    var devices: [Device]
    var now: Int64 = 0
    var events: [Event] = []
    /// Bytes delivered to each sensor id, in order.
    var delivered: [String: [UInt8]] = [:]
    /// Commands each device received, by path.
    var commands: [String: [HostCommand.Action]] = [:]
    private var sensorOnPort: [DevicePort: String] = [:]
    private var inbox: [(due: Int64, port: DevicePort, bytes: [UInt8])] = []
    private var actions: [DeviceAction] = []
    private var random = SplitMix64(seed: 7)

    init(_ configuration: DeviceSessionConfiguration, devices: [Device]) {
        session = DeviceSession(configuration)
        self.devices = devices
        var actions: [DeviceAction] = []
        session.start(at: 0, into: &actions)
        apply(actions, current: [])
    }

    static func info(deviceID: UInt64, placement: SensorPlacement) -> DeviceInfo {
        DeviceInfo(
            firmwareVersion: FirmwareVersion(1, 2, 0), deviceID: deviceID, placement: placement, imuPartName: "LSM6DSO",
            accelerometerFullScale: 8, gyroscopeFullScale: 2000, accelerometerSensitivity: 0.244e-3,
            gyroscopeSensitivity: 70e-3, sampleRateMillihertz: 200_000, tickFrequency: 1_000_000)
    }

    /// Advances the virtual clock to `end` (ns) in 1 ms steps.
    mutating func run(until end: Int64) {
        while now < end {
            now += 1_000_000
            for d in devices.indices { produce(d) }
            let due = inbox.filter { $0.due <= now }
            inbox.removeAll { $0.due <= now }
            for message in due {
                guard let d = devices.firstIndex(where: { $0.port == message.port }) else { continue }
                devices[d].sent += message.bytes
                var out: [DeviceAction] = []
                session.received(message.bytes, on: message.port, at: now, into: &out)
                apply(out, current: message.bytes)
            }
            if now % 100_000_000 == 0 {
                var out: [DeviceAction] = []
                session.tick(at: now, into: &out)
                apply(out, current: [])
            }
        }
    }

    /// Runs for `seconds` more.
    mutating func run(seconds: Double) { run(until: now + Int64(seconds * 1e9)) }

    /// Unplugs device `d`: its port hangs up.
    mutating func unplug(_ d: Int) {
        devices[d].plugged = false
        guard let port = devices[d].port else { return }
        devices[d].port = nil
        var out: [DeviceAction] = []
        session.ended(port, .vanished(message: "'\(devices[d].path)' vanished"), at: now, into: &out)
        apply(out, current: [])
    }

    /// Plugs device `d` in again (under `path`), as USB hotplug reports it.
    mutating func replug(_ d: Int, path: String) {
        devices[d].path = path
        devices[d].plugged = true
        var out: [DeviceAction] = []
        session.hotplugChanged(at: now, into: &out)
        apply(out, current: [])
    }

    /// Device `d`'s MCU restarts behind its still-open port.
    mutating func restartFirmware(_ d: Int) {
        var hello: [UInt8] = []
        devices[d].firmware.restart(into: &hello)
        send(hello, from: d)
    }

    private mutating func send(_ bytes: [UInt8], from d: Int, delay: Int64 = 1_000_000) {
        guard !bytes.isEmpty, let port = devices[d].port else { return }
        inbox.append((now + delay, port, bytes))
    }

    /// What device `d` sends by itself at `now`: babble, sample batches while streaming, heartbeats.
    private mutating func produce(_ d: Int) {
        guard devices[d].port != nil else { return }
        if devices[d].babbles {
            if now % 10_000_000 == 0 { send((0..<100).map { _ in UInt8(truncatingIfNeeded: random.next()) }, from: d) }
            return
        }
        var out: [UInt8] = []
        if now >= devices[d].nextBatchAt {
            devices[d].nextBatchAt = now + 50_000_000
            let samples = (0..<10).map { i in
                RawImuSample(accelerometer: RawVector3(Int16(i), 0, 4096), gyroscope: RawVector3(0, 0, 0))
            }
            let batch = SampleBatch(sequence: devices[d].sequence, timestamp: UInt64(now / 1000), samplePeriod: 5000, samples: samples)
            if devices[d].firmware.send(.sampleBatch(batch), into: &out) { devices[d].sequence &+= 10 }
        }
        if now >= devices[d].nextHeartbeatAt {
            devices[d].nextHeartbeatAt = now + 1_000_000_000
            let status = DeviceStatus(
                timestamp: UInt64(now / 1000), batteryMillivolts: nil, batteryPercent: nil, isStreaming: true,
                temperatureCentidegrees: nil, samplesDropped: 0, errors: [])
            devices[d].firmware.send(.status(status), into: &out)
        }
        if !out.isEmpty { devices[d].outputs += 1 }
        if devices[d].garbageBetweenFrames, !out.isEmpty, devices[d].outputs % 10 == 0 {
            out += (0..<7).map { _ in UInt8(truncatingIfNeeded: random.next() | 1) }
        }
        send(out, from: d)
    }

    private mutating func apply(_ actions: [DeviceAction], current: [UInt8]) {
        for action in actions {
            switch action {
            case .open(let port, let path):
                var out: [DeviceAction] = []
                if let d = devices.firstIndex(where: { $0.path == path && $0.plugged }) {
                    if let kind = devices[d].openFailure {
                        session.openFailed(port, OpenFailure(kind, message: "'\(path)': \(kind)"), at: now, into: &out)
                    } else {
                        devices[d].port = port
                        devices[d].sent = []
                        session.opened(port, at: now, into: &out)
                    }
                } else {
                    session.openFailed(port, OpenFailure(.notFound, message: "'\(path)': no such device"), at: now, into: &out)
                }
                apply(out, current: [])
            case .close(let port):
                if let d = devices.firstIndex(where: { $0.port == port }) { devices[d].port = nil }
            case .setLineSpeed:
                break  // Lumbar firmware: never asked (only a WitMotion is)
            case .write(let port, let bytes):
                guard let d = devices.firstIndex(where: { $0.port == port }), now >= devices[d].deafUntil else { break }
                var answer: [UInt8] = []
                let received = bytes.withUnsafeBytes {
                    devices[d].firmware.receive($0, deviceTicks: UInt64(now / 1000), into: &answer)
                }
                commands[devices[d].path, default: []] += received.map(\.action)
                send(answer, from: d, delay: devices[d].answerDelay)
            case .scan:
                let found = devices.filter(\.plugged).map {
                    DiscoveredPort(path: $0.path, serialNumber: $0.serialNumber, usbID: "0403:6001")
                }
                var out: [DeviceAction] = []
                session.discovered(found, at: now, into: &out)
                apply(out, current: [])
            case .connect(let port, let identity, let at):
                sensorOnPort[port] = identity.id
                events.append(.connected(id: identity.id, path: identity.path, at: at))
            case .deliver(let port, _):
                delivered[sensorOnPort[port]!, default: []] += current
            case .deliverKept(let port, let bytes, _):
                delivered[sensorOnPort[port]!, default: []] += bytes
            case .lose(let port, let reason, let at):
                events.append(.lost(id: sensorOnPort[port]!, reason, at: at))
            case .notice(let notice):
                events.append(.notice(notice))
            case .giveUp:
                events.append(.gaveUp)
            }
        }
    }

    // MARK: Reading the record

    var connections: [(id: String, path: String, at: Int64)] {
        events.compactMap { if case .connected(let id, let path, let at) = $0 { (id, path, at) } else { nil } }
    }

    var losses: [(id: String, reason: SensorLossReason, at: Int64)] {
        events.compactMap { if case .lost(let id, let reason, let at) = $0 { (id, reason, at) } else { nil } }
    }

    var notices: [DeviceNotice] {
        events.compactMap { if case .notice(let n) = $0 { n } else { nil } }
    }

    /// True when sensor `sensor` got exactly the bytes of device `d` that reached the host, in order, each once.
    func deliveredEveryByteOnce(device d: Int, sensor: String) -> Bool {
        let got = delivered[sensor] ?? []
        return !got.isEmpty && got == devices[d].sent
    }

    /// How many device-info requests and start commands `path` received.
    func count(_ action: HostCommand.Action, to path: String) -> Int {
        commands[path, default: []].filter { $0 == action }.count
    }
}
