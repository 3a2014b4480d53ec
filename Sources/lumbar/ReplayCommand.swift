import ArgumentParser
import Dispatch
import LumbarCore
import LumbarMotion
import LumbarFeedback
import LumbarSession
import LumbarSound
import LumbarStore
import Logging

/// `lumbar replay FILE`: a recording or Sample CSV through the live pipeline, events printed as they happen.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replays a recording (.lrec) or a Sample CSV through the live pipeline and prints its events.",
        discussion: """
            Feeds the recorded bytes with their recorded receive times through the same decoder, clock \
            alignment, fusion and motion analysis as 'lumbar live', so it finds the same events. By \
            default it runs as fast as possible; '--speed 1' paces it like the real session. Replaying \
            the same file twice gives byte-identical output.
            """
    )

    @Argument(help: "The recording (.lrec), Sample CSV, x-IMU3 logged-data folder or x-IMU3 .ximu3 file(s) to replay.")
    var file: String

    // `.unconditional`: `--speed -1` is a value to refuse with a reason, not a missing value.
    @Option(parsing: .unconditional, help: "Pace: input seconds per wall second (1 = real time, 0.001 or more). Default: as fast as possible.")
    var speed: Double?

    @Option(help: "Also write the events as JSON Lines to this file ('-' = standard output; the terminal lines then go to stderr).")
    var events: String?

    @OptionGroup
    var analysis: AnalysisOptions

    @Flag(name: .shortAndLong, help: "Do not print events to the terminal.")
    var quiet = false

    @OptionGroup(title: "Dashboard and sound")
    var feedback: FeedbackOptions

    @OptionGroup var storing: FileStoreOptions

    func validate() throws {
        if feedback.sound.sound && speed == nil {
            throw ValidationError("'--sound' plays the cues as the session happens: give '--speed 1' (real time).")
        }
        if let speed, !(speed >= Self.slowestSpeed && speed.isFinite) {
            throw ValidationError("'--speed' must be a number from \(Self.slowestSpeed) up (input seconds per wall second), got '\(speed)'")
        }
    }

    /// The slowest pace, input seconds per wall second: slower, one second of input would take over 16 minutes.
    static let slowestSpeed = 0.001

    func run() throws {
        let terminal = TerminalLines(eventsToStandardError: events == "-")
        let options = SessionExporter.Options(events: events)
        try options.refuseOverwriting(input: file)
        var exporter = try SessionExporter(options: options)
        if !quiet { exporter.eventLine = { terminal.event($0) } }
        exporter.failureLine = { TerminalLines.standardError("error: \($0); the replay goes on") }
        let runner = SessionFileRunner(
            path: file, exercise: analysis.exercise, tempo: analysis.tempo, placements: analysis.placement.byKey, speed: speed, showProgress: !quiet)
        exporter.recordedAtUnixNanoseconds = SessionFileRunner.recordedAt(file)
        let tls = try feedback.dashboardTLS()
        let dashboard = try feedback.http.map { try Self.startDashboard($0, tls: tls) }
        let soundOutput = try feedback.sound.startPlayer { TerminalLines.standardError($0) }
        let store = try storing.start(source: .replay, file: file)
        let pipeline: SessionPipeline
        if dashboard != nil || soundOutput != nil || store != nil {
            // Sound first: the cue is handed over before the terminal and the page get the event.
            var extras = ReplayExtras(sound: soundOutput, dashboard: dashboard.map { DashboardOutput(hub: $0.hub) }, store: store?.output)
            if let player = soundOutput?.player { dashboard?.hub.onMute { player.setMuted($0) } }
            var outputs = SessionOutputPair(extras, exporter)
            // Link status (packet loss, battery) as the live daemon shows it, at each point of the session.
            let refresh: ((SessionPipeline, inout SessionOutputPair<ReplayExtras, SessionExporter>) -> Void)? =
                dashboard == nil ? nil : { $1.first.dashboard?.refreshSensors(from: $0) }
            pipeline = try runner.run(into: &outputs, terminal: terminal, afterStep: refresh)
            extras = outputs.first
            exporter = outputs.second
            extras.sound?.finish()
        } else {
            pipeline = try runner.run(into: &exporter, terminal: terminal)
        }
        exporter.exercise = pipeline.exercise
        try exporter.finish(title: file, duration: pipeline.sessionTime, thresholdDegrees: pipeline.lumbarThresholdDegrees)
        let stored = store.map { $0.finishFile(exporter: exporter, pipeline: pipeline, file: file) } ?? true
        if !quiet {
            let s = exporter.summary(duration: pipeline.sessionTime)
            terminal.line(
                "\(s.reps) reps (\(s.faultedReps) with faults) in \(FixedDecimal.format(s.duration, decimals: 1)) s; "
                    + StatisticsText.line(pipeline))
        }
        if terminal.outputFailure != nil || !stored { throw ExitCode.failure }
        if let dashboard {
            // SIGINT/SIGTERM as for every long-running command: the first stops the server (and this
            // command, once it has ended); a second ends the process at once.
            let interrupted = DispatchSemaphore(value: 0)
            stopOnSignals { interrupted.signal() }
            TerminalLines.standardError("replay finished; the dashboard stays on \(dashboard.urlWithoutToken) until interrupted")
            interrupted.wait()
            dashboard.stopAndWait()
        }
    }
}

extension ReplayCommand {
    /// Starts the dashboard server (`--http`) and says where it is, on stderr.
    static func startDashboard(_ address: HTTPAddress, tls: DashboardTLS?) throws -> DashboardRunner {
        var logger = Logger(label: "lumbar.dashboard")
        logger.logLevel = .warning
        do {
            let runner = try DashboardRunner.start(address, tls: tls, logger: logger)
            TerminalLines.standardError("dashboard on \(runner.url)")
            if runner.access.token != nil { TerminalLines.printQRCode(runner.url) }
            return runner
        } catch {
            TerminalLines.standardError("error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// The replay's optional outputs beside the exporter: the machine's sound, the web dashboard, the database.
struct ReplayExtras: SessionOutput {
    var sound: SoundOutput?
    var dashboard: DashboardOutput?
    var store: StoreSessionOutput?

    mutating func sample(_ sample: SessionSample) { dashboard?.sample(sample) }

    mutating func event(_ event: LumbarEvent) {
        sound?.event(event)
        dashboard?.event(event)
        store?.event(event)
    }

    var snapshotInterval: Double? { dashboard?.snapshotInterval }

    mutating func snapshot(_ snapshot: MotionSnapshot) { dashboard?.snapshot(snapshot) }
}

/// One line of stream statistics per session: samples, packets, CRC errors, lost samples.
enum StatisticsText {
    static func line(_ pipeline: SessionPipeline) -> String {
        let stats = pipeline.statistics
        let parts = zip(pipeline.sensors, stats.sensors).map { d, s in
            "\(d.displayName): \(s.samples) samples, \(s.packets) packets, \(s.crcErrors) CRC errors, "
                + "\(s.lostSamples) lost"
        }
        return parts.isEmpty ? "no sensor data" : parts.joined(separator: "; ")
    }
}
