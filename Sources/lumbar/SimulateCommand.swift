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
import Synchronization

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

    @Option(
        name: .customLong("connect"),
        help: "Play a sensor on an existing line: [PLACEMENT=]PATH, a Unix socket (QEMU usb-serial chardev) or a tty (repeatable).",
        transform: LineConnection.parse)
    var connections: [LineConnection] = []

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

    @Option(
        help: "With --sets: a lumbar fault at a rep (numbered across the session), REP:KIND:DEGREES with KIND one of \(SimulatedLumbarFault.allCases.map(\.rawValue).joined(separator: ", ")); then only these reps are faulty (repeatable).",
        transform: RepFault.parse)
    var fault: [RepFault] = []

    @Option(
        help: "Per-sensor sample rate, PLACEMENT=HZ; PLACEMENT may be 'ankle' (repeatable).",
        transform: PlacementValue.parser(.init(requiresPlacement: true, range: 10...4000, unit: "Hz")))
    var rate: [PlacementValue] = []

    @Option(help: "Per-sensor clock drift, PLACEMENT=PPM (repeatable).", transform: PlacementValue.parser(.init(requiresPlacement: true)))
    var drift: [PlacementValue] = []

    @Option(help: "Unplug a sensor for a while: PLACEMENT@START+SECONDS, session seconds (repeatable).", transform: SensorUnplug.parse)
    var unplug: [SensorUnplug] = []

    @Option(
        help: "Restart a sensor's MCU behind its open line at a session time: PLACEMENT@SECONDS (repeatable). It stops streaming until the host starts it again.",
        transform: SensorRestart.parse)
    var restart: [SensorRestart] = []

    @Flag(help: "Inject random bytes between frames on every sensor's line.")
    var garbage = false

    @Option(name: .customLong("garbage-every"), help: "With --garbage: frames between injections.")
    var garbageEvery: Int = 25

    @Option(help: "A sensor that streams but never sends device info nor answers commands (repeatable).")
    var mute: [SensorPlacement] = []

    @Flag(help: "Add a babbling device: random bytes, never a valid frame.")
    var babbler = false

    @Option(
        help: "Play sensors as another family, [PLACEMENT=]FAMILY with FAMILY one of ximu3, ximu3-ascii, ximu3-idle, witmotion, text (PLACEMENT may be 'ankle'; none: every sensor). They stream from the start (ximu3-idle: once told a rate) and answer their family's commands (repeatable).",
        transform: SimulatedFamily.parse)
    var family: [SimulatedFamily] = []

    @Option(
        help: "A WitMotion behind a UART at its own line speed, [PLACEMENT=]BAUD[:power-cycle] (a factory WT901C: 9600): it sends no more than the line carries (10 bits a byte), takes the BAUD command, and is garbage to a host at another speed; ':power-cycle': a model that takes a new baud only after a power cycle. Without it a WitMotion talks at any speed the host sets (repeatable).",
        transform: SimulatedBaud.parse)
    var baud: [SimulatedBaud] = []

    @Flag(name: .customLong("no-wait"), help: "Start the session clock at once instead of at the first start-streaming command.")
    var noWait = false

    @Flag(
        name: .customLong("wait-for-host-bytes"),
        help: "When every sensor is of another family (they get no start command): start the session clock at the first byte the host writes to any line (a daemon writes its handshake or ping to a port it does not know yet), not at once, so a host that starts late still gets the whole session.")
    var waitForHostBytes = false

    func validate() throws {
        guard pty != !connections.isEmpty else { throw ValidationError("Give either --pty or --connect PATH.") }
        if placement != nil || serial != nil, connections.count != 1 || connections[0].placement != nil {
            throw ValidationError("--placement and --serial go with exactly one --connect PATH.")
        }
        if !fault.isEmpty && sets == nil { throw ValidationError("--fault needs --sets (a seeded session of your own).") }
        let witMotions = Set(family.filter { $0.format.family == .witMotion }.flatMap(\.placements))
        for b in baud where !b.placements.contains(where: witMotions.contains) {
            throw ValidationError("--baud \(b.placements.map(\.rawValue).joined(separator: ",")): only a WitMotion (--family PLACEMENT=witmotion) has a UART to emulate.")
        }
    }

    /// The per-sensor options by placement.
    struct Scenario {
        var rates: [SensorPlacement: Double] = [:]
        var drifts: [SensorPlacement: Double] = [:]
        var unplugs: [SensorPlacement: [Range<Double>]] = [:]
        var restarts: [SensorPlacement: [Double]] = [:]
        var lines: [(SensorPlacement, String)] = []
        var faults: [Int: LumbarFaultScript] = [:]
        var families: [SensorPlacement: FamilyFormat] = [:]
    }

    func scenario() -> Scenario {
        var scenario = Scenario()
        for v in rate { for p in v.placements ?? [] { scenario.rates[p] = v.value } }
        for v in drift { for p in v.placements ?? [] { scenario.drifts[p] = v.value } }
        for f in fault { scenario.faults[f.rep] = f.fault }
        for u in unplug { for p in u.placements { scenario.unplugs[p, default: []].append(u.span) } }
        for r in restart { for p in r.placements { scenario.restarts[p, default: []].append(r.time) } }
        for f in family { for p in f.placements { scenario.families[p] = f.format } }
        for b in baud { for p in b.placements where scenario.families[p]?.family == .witMotion { scenario.families[p]?.uart = b.uart } }
        scenario.lines = connections.map { ($0.placement ?? placement ?? .lumbar, $0.path) }
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
        let scenario = scenario()
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
            sensor.format = scenario.families[site]
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
        // Each link made (path → the pseudo-terminal it points at, the latest).
        let links = Mutex<[String: String]>([:])
        let emulator = SensorEmulator(
            // Sensors of other families stream unasked: the session starts at once when all are (or, with
            // --wait-for-host-bytes, at the host's first byte).
            sensors: sensors,
            settings: .init(
                waitForHost: !noWait && (waitForHostBytes || sensors.contains { $0.format == nil }),
                startsAtFirstHostByte: waitForHostBytes && !sensors.contains { $0.format == nil }, seed: seed)
        ) { sensor throws(DeviceError) -> any SensorLine in
            if let path = paths[sensor.name] { return try openLine(path) }
            let terminal = try PseudoTerminal()
            if let linkDirectory {
                let name = linkDirectory + "/" + sensor.name
                link(terminal.devicePath, as: name)
                links.withLock { $0[name] = terminal.devicePath }
            }
            return terminal
        }
        // The sensors are gone with the session: their links go too (see `removeSymbolicLink`).
        defer { for (name, target) in links.withLock({ $0 }) { removeSymbolicLink(name, ifPointingTo: target) } }
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
        TerminalLines.standardError("error: cannot link '\(link)' to '\(target)': \(Errno(code))")
    }
}
