#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import LumbarCore
import LumbarIO
import LumbarProtocol
import LumbarSession
import LumbarSim
import LumbarSimDevices

/// `lumbar simulate`: plays a simulated session through emulated sensors that speak the real protocol:
/// pseudo-terminals (`--pty`) or sockets/ttys (`--connect`, QEMU's emulated USB serial devices).
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Emulates the sensors: a simulated session, in the firmware protocol, in real time.",
        discussion: """
            With --pty, creates one pseudo-terminal per sensor and prints 'NAME PATH' per line (again after \
            each scripted replug); `lumbar live --device PATH ...` reads them like USB sensors. Each sensor \
            sends its device info on connect, answers the host's commands (start/stop streaming, device \
            info, status, identify) and streams sample batches while started. The session clock starts at \
            the first start-streaming command (or at once with --no-wait). Sensors are named by placement: \
            lumbar, left_ankle, right_ankle.
            """
    )

    @Flag(help: "Create pseudo-terminals that behave like the sensors and print their paths.")
    var pty = false

    @Option(name: .customLong("link-dir"), help: "Keep a symbolic link DIR/NAME to each sensor's current pseudo-terminal (DIR is created if missing).")
    var linkDirectory: String?

    @Option(name: .customLong("connect"), help: "Play a sensor on an existing line: [PLACEMENT=]PATH, a Unix socket (QEMU usb-serial chardev) or a tty (repeatable).")
    var connections: [String] = []

    @Option(help: "With one --connect PATH: the placement of its sensor.")
    var placement: SensorPlacement?

    @Option(help: "With one --connect PATH: the sensor's serial number (its device id is derived from it).")
    var serial: String?

    @Option(help: "The exercise: \(Exercise.allCases.map(\.rawValue).joined(separator: ", ")).")
    var exercise: Exercise = .backKick

    @Option(help: "The random seed of the session.")
    var seed: UInt64 = 1

    @Option(help: "Sets of a seeded random session (default: the fixed demo session of 2 sets of 8 reps).")
    var sets: Int?

    @Option(help: "Reps per set of a seeded random session.")
    var reps: Int = 8

    @Option(name: .customLong("fault-probability"), help: "Probability of a lumbar fault per rep of a random session.")
    var faultProbability: Double = 0.35

    @Option(help: "With --sets: a lumbar fault at a rep (numbered across the session), REP:KIND:DEGREES with KIND one of \(SimulatedLumbarFault.allCases.map(\.rawValue).joined(separator: ", ")); then only these reps are faulty (repeatable).")
    var fault: [String] = []

    @Option(help: "Per-sensor sample rate, PLACEMENT=HZ; PLACEMENT may be 'ankle' (repeatable).")
    var rate: [String] = []

    @Option(help: "Per-sensor clock drift, PLACEMENT=PPM (repeatable).")
    var drift: [String] = []

    @Option(help: "Unplug a sensor for a while: PLACEMENT@START+SECONDS, session seconds (repeatable).")
    var unplug: [String] = []

    @Option(help: "Restart a sensor's MCU behind its open line at a session time: PLACEMENT@SECONDS (repeatable). It stops streaming until the host starts it again.")
    var restart: [String] = []

    @Flag(help: "Inject random bytes between frames on every sensor's line.")
    var garbage = false

    @Option(name: .customLong("garbage-every"), help: "With --garbage: frames between injections.")
    var garbageEvery: Int = 25

    @Option(help: "A sensor that streams but never sends device info nor answers commands (repeatable).")
    var mute: [SensorPlacement] = []

    @Flag(help: "Add a babbling device: random bytes, never a valid frame.")
    var babbler = false

    @Flag(name: .customLong("no-wait"), help: "Start the session clock at once instead of at the first start-streaming command.")
    var noWait = false

    func validate() throws {
        guard pty != !connections.isEmpty else { throw ValidationError("Give either --pty or --connect PATH.") }
        if placement != nil || serial != nil, connections.count != 1 || connections[0].contains("=") {
            throw ValidationError("--placement and --serial go with exactly one --connect PATH.")
        }
        _ = try scenario()
    }

    /// The parsed per-sensor options.
    struct Scenario {
        var rates: [SensorPlacement: Double] = [:]
        var drifts: [SensorPlacement: Double] = [:]
        var unplugs: [SensorPlacement: [Range<Double>]] = [:]
        var restarts: [SensorPlacement: [Double]] = [:]
        var lines: [(SensorPlacement, String)] = []
        var faults: [Int: LumbarFaultScript] = [:]
    }

    func scenario() throws -> Scenario {
        var scenario = Scenario()
        func pair(_ text: String, _ option: String) throws -> ([SensorPlacement], Double) {
            let parsed = try PlacementValue(parsing: text, option: option, requiresPlacement: true)
            return (parsed.placements ?? [], parsed.value)
        }
        for text in rate {
            let (p, v) = try pair(text, "rate")
            guard (10...4000).contains(v) else { throw ValidationError("'\(text)': the rate must be 10 to 4000 Hz.") }
            for p in p { scenario.rates[p] = v }
        }
        for text in drift { let (p, v) = try pair(text, "drift"); for p in p { scenario.drifts[p] = v } }
        for text in fault {
            let parts = text.split(separator: ":")
            guard parts.count == 3, let rep = Int(parts[0]), rep >= 1, let kind = SimulatedLumbarFault(rawValue: String(parts[1])),
                let degrees = Double(parts[2]), degrees > 0
            else { throw ValidationError("'\(text)' is not REP:KIND:DEGREES for --fault (e.g. 2:extension:12).") }
            scenario.faults[rep] = LumbarFaultScript(kind, degrees: degrees)
        }
        if !fault.isEmpty && sets == nil { throw ValidationError("--fault needs --sets (a seeded session of your own).") }
        for text in unplug {
            let at = text.split(separator: "@"), span = at.count == 2 ? at[1].split(separator: "+") : []
            guard at.count == 2, span.count == 2, let p = PlacementValue.placements(at[0]),
                let start = Double(span[0]), let length = Double(span[1]), start >= 0, length > 0
            else { throw ValidationError("'\(text)' is not PLACEMENT@START+SECONDS for --unplug (e.g. right_ankle@20+3).") }
            for p in p { scenario.unplugs[p, default: []].append(start..<(start + length)) }
        }
        for text in restart {
            let at = text.split(separator: "@")
            guard at.count == 2, let p = PlacementValue.placements(at[0]), let time = Double(at[1]), time >= 0, time.isFinite
            else { throw ValidationError("'\(text)' is not PLACEMENT@SECONDS for --restart (e.g. lumbar@8).") }
            for p in p { scenario.restarts[p, default: []].append(time) }
        }
        for text in connections {
            if let equals = text.firstIndex(of: "=") {
                guard let p = SensorPlacement(rawValue: String(text[..<equals])) else {
                    throw ValidationError("'\(text)' is not PLACEMENT=PATH for --connect.")
                }
                scenario.lines.append((p, String(text[text.index(after: equals)...])))
            } else {
                scenario.lines.append((placement ?? .lumbar, text))
            }
        }
        return scenario
    }

    /// The session script with the per-sensor options applied.
    func script(_ scenario: Scenario) -> SessionScript {
        var script: SessionScript
        if let sets {
            script = .random(
                exercise, seed: seed, sets: sets, repsPerSet: reps, faultProbability: scenario.faults.isEmpty ? faultProbability : 0)
            var number = 0
            for s in script.sets.indices {
                for r in script.sets[s].reps.indices {
                    number += 1
                    if let fault = scenario.faults[number] { script.sets[s].reps[r].fault = fault }
                }
            }
        } else {
            script = .demo(exercise, seed: seed)
        }
        for i in script.sensors.indices {
            let site = script.sensors[i].site
            if let r = scenario.rates[site] { script.sensors[i].sampleRateHz = r }
            if let d = scenario.drifts[site] { script.sensors[i].clockDriftPPM = d }
            if let p = placement, serial != nil || placement != nil, scenario.lines.count == 1, site == p || (p.isAnkle && site.isAnkle) {
                script.sensors[i].reportedPlacement = p
                if let serial { script.sensors[i].serial = serial }
            }
        }
        return script
    }

    func run() throws {
        if let linkDirectory {
            // The quick start's `--link-dir /tmp/sensors` on a fresh machine: the folder does not exist yet.
            do { try Folder.create(linkDirectory) } catch {
                throw ValidationError("'\(linkDirectory)': cannot create the --link-dir folder: \(error)")
            }
        }
        let scenario = try scenario()
        let script = script(scenario)
        let demux = SimulationDemux(script)
        var infos = demux.deviceInfos
        // Which script sensors are played, on which line.
        var played: [(index: Int, name: String, path: String?)] = []
        if pty {
            for (i, s) in script.sensors.enumerated() { played.append((i, s.site.rawValue, nil)) }
        } else {
            for (wanted, path) in scenario.lines {
                guard let i = script.sensors.firstIndex(where: { $0.site == wanted })
                    ?? script.sensors.firstIndex(where: { $0.site.isAnkle && wanted.isAnkle })
                else { throw ValidationError("The session has no \(wanted.rawValue) sensor for '\(path)'.") }
                played.append((i, wanted.rawValue, path))
            }
        }
        if let serial, let only = played.first {
            // FNV-1a of the serial: a sensor named by its serial keeps one id across runs.
            infos[only.index].deviceID = FNV1a.hash64(serial.utf8)
            infos[only.index].placement = placement ?? infos[only.index].placement
        }
        let ignored = script.sensors.indices.filter { i in !played.contains { $0.index == i } }
        var sensors: [EmulatedSensor] = played.map { entry in
            let site = script.sensors[entry.index].site
            var sensor = EmulatedSensor(
                name: entry.name, deviceInfo: infos[entry.index],
                source: SimulatedSensorSource(demux: demux, index: entry.index, ignored: ignored),
                behaviour: mute.contains(site) ? .neverSendsDeviceInfo : .normal,
                garbageEveryFrames: garbage ? garbageEvery : nil, unplugged: scenario.unplugs[site] ?? [])
            sensor.restarts = (scenario.restarts[site] ?? []).sorted()
            return sensor
        }
        if babbler {
            sensors.append(EmulatedSensor(
                name: "babbler", deviceInfo: infos[0], source: PacketList([TimedPacket(time: demux.duration, packet: .status(
                    DeviceStatus(timestamp: 0, batteryMillivolts: nil, batteryPercent: nil, isStreaming: false,
                                 temperatureCentidegrees: nil, samplesDropped: 0, errors: [])))]),
                behaviour: .babbling))
        }
        let paths = Dictionary(uniqueKeysWithValues: played.compactMap { e in e.path.map { (e.name, $0) } })
        let linkDirectory = linkDirectory
        let emulator = SensorEmulator(
            sensors: sensors, settings: .init(waitForHost: !noWait, seed: seed)
        ) { sensor throws(DeviceError) -> any SensorLine in
            if let path = paths[sensor.name] { return try openLine(path) }
            let terminal = try PseudoTerminal()
            if let linkDirectory { link(terminal.devicePath, as: linkDirectory + "/" + sensor.name) }
            return terminal
        }
        stopOnSignals { emulator.stop() }
        do {
            try emulator.run { event in
                switch event {
                case .lineOpened(let sensor, let path): emit("\(sensor) \(path)")
                case .lineClosed(let sensor): emit("\(sensor) unplugged")
                case .restarted(let sensor): emit("\(sensor) restarted")
                case .failed(let sensor, let error): emit("\(sensor) \(error)")
                case .ready: emit("ready")
                default: break
                }
            }
        } catch {
            throw ValidationError(error.description)
        }
        emit("session finished")
    }
}

extension SensorPlacement: ExpressibleByArgument {}
extension Exercise: ExpressibleByArgument {}

/// Prints a line on standard output at once (tests and scripts read the paths while we run).
func emit(_ line: String) {
    print(line)
    fflush(nil)
}

/// The line at `path`: a Unix socket (QEMU's chardev) or a tty (a gadget's `/dev/ttyGS0`).
func openLine(_ path: String) throws(DeviceError) -> any SensorLine {
    var info = stat()
    if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK { return try UnixSocketLink(connectingTo: path) }
    return try SerialPort(path: path, settings: .init(exclusive: false))
}

/// Points the symbolic link `link` at `target`, replacing it atomically; a failure is said on stderr.
func link(_ target: String, as link: String) {
    if let code = replaceSymbolicLink(link, pointingTo: target) {
        TerminalLines.standardError("error: cannot link '\(link)' to '\(target)': \(FileErrno(code))")
    }
}
