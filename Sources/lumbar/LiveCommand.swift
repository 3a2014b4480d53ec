import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import LumbarCore
import LumbarDevice
import LumbarFeedback
import LumbarIO
import LumbarMotion
import LumbarSession
import LumbarSound
import LumbarStore
import Logging

/// `lumbar live`: reads the sensors (USB discovery or `--device` ports) and runs the session pipeline
/// in real time until SIGINT/SIGTERM.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Reads the sensors live and reports calibration, reps and lumbar alerts as they happen.",
        discussion: """
            Without --device, finds the sensors over USB (vendor:product ids from the config's [usb] ids; \
            default \(USBDeviceID.defaultSensorIDs.map(\.description).joined(separator: ", "))) and follows \
            hotplug. Each port is asked for its device info and told to start streaming (after being \
            asked for --rate/--accel-range/--gyro-range, when given: what the device applied is logged). An unplugged \
            sensor gives a sensor_lost event and the session goes on; when it returns (recognised by its \
            id) it is re-synced and gives sensor_connected. Stops on SIGINT/SIGTERM: stop-streaming is \
            sent, the recording is closed and the session summary printed. Events are JSON Lines \
            (the README's Formats section); logs and the status line go to standard error.
            """
    )

    @Option(
        name: .customLong("device"),
        help: "A sensor port to read, \(DeviceSpec.syntax), e.g. /dev/ttyACM0, right_ankle=/dev/ttyUSB0:witmotion or a 'lumbar simulate --pty' path (repeatable; no USB discovery then). FAMILY (lumbar, ximu3, witmotion, text) skips detection; PLACEMENT places a sensor that cannot say.")
    var devices: [String] = []

    @Option(help: "Write the events as JSON Lines to FILE ('-' for standard output).")
    var events: String?

    @Option(help: "Record the raw bytes of every sensor with their receive times to FILE (replay with 'lumbar replay').")
    var record: String?

    @Flag(help: "Replace the --record file when it exists (by default a recording is never overwritten: it gets the next free numbered name, e.g. session-1.lrec).")
    var overwrite = false

    @OptionGroup(title: "Sensor discovery")
    var discovery: DiscoveryOptions

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Flag(name: .customLong("no-status"), help: "No status line, even on a terminal.")
    var noStatus = false

    @Flag(help: "Run the session thread under real-time scheduling (SCHED_FIFO): lower, steadier event latency on a busy machine. Needs root, CAP_SYS_NICE or an RLIMIT_RTPRIO grant (see packaging/).")
    var realtime = false

    @Option(
        help: "Ask the sensors for this sample rate, Hz: HZ for all, or PLACEMENT=HZ (lumbar, left_ankle, right_ankle, ankle); repeatable. The device picks the nearest it supports; a difference is logged.",
        transform: PlacementValue.parser(SensorSettingsRequest.rateRule))
    var rate: [PlacementValue] = []

    @Option(
        name: .customLong("accel-range"), help: "Ask the sensors for this accelerometer range, ± g: G or PLACEMENT=G; repeatable.",
        transform: PlacementValue.parser(SensorSettingsRequest.accelerometerRangeRule))
    var accelRange: [PlacementValue] = []

    @Option(
        name: .customLong("gyro-range"), help: "Ask the sensors for this gyroscope range, ± deg/s: DPS or PLACEMENT=DPS; repeatable.",
        transform: PlacementValue.parser(SensorSettingsRequest.gyroscopeRangeRule))
    var gyroRange: [PlacementValue] = []

    @Option(help: Exercise.optionHelp)
    var exercise: Exercise?

    @Option(help: TempoPrescription.optionHelp)
    var tempo: TempoPrescription?

    @OptionGroup(title: "Dashboard and sound")
    var feedback: FeedbackOptions

    @OptionGroup(title: "Session database")
    var store: StoreOptions

    @Flag(name: .customLong("no-store"), help: "Do not store this session in the session database.")
    var noStore = false

    func validate() throws {
        _ = try store.storedPerson()
        if noStore && (store.database != nil || store.person != nil) {
            throw ValidationError("'--no-store' stores nothing: drop '--database' and '--person', or '--no-store'.")
        }
        for path in try devices.map({ try DeviceSpec($0).path }) {
            // A folder would be reopened every 0.5 s forever: it can never become a sensor port.
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                throw ValidationError("'\(path)' is a folder, not a sensor port (e.g. /dev/ttyACM0).")
            }
        }
    }

    /// The analysis settings: the defaults, with `--exercise` and `--tempo` (per set, the last repeating) when given.
    var pipelineSettings: SessionPipeline.Settings { SessionPipeline.Settings(exercise: exercise, tempo: tempo) }

    /// Runs the daemon on this (the main) thread, which is the session thread: no task, no hop through the
    /// concurrency runtime between a readable port and the written event line, nothing left to join.
    func run() throws {
        let configuration = try discovery.configuration()
        let terminal = TerminalLog(showsStatus: !noStatus)
        let level = logLevel
        LoggingSystem.bootstrap { _ in TerminalLogHandler(terminal: terminal, logLevel: level) }
        let logger = Logger(label: "lumbar.live")
        let options = LiveDaemon.Options(
            devices: try devices.map(DeviceSpec.init), configuration: configuration, eventsPath: events, recordPath: record, overwriteRecording: overwrite,
            showsStatus: !noStatus, sysfs: discovery.sysfsTree, settings: pipelineSettings,
            recordedSettings: RecordingHeader.analysisSettings(exercise: exercise, tempo: tempo), http: feedback.http, tls: try feedback.dashboardTLS(),
            realtime: realtime,
            sensorSettings: SensorSettingsRequest(rates: rate, accelerometerRanges: accelRange, gyroscopeRanges: gyroRange),
            pings: discovery.ping.pings,
            sound: try feedback.sound.startPlayer(config: configuration.sound) { [logger] in logger.notice("\($0)") },
            store: noStore ? nil : (try store.address(config: configuration), try store.storedPerson()))
        let daemon: LiveDaemon
        do {
            daemon = try LiveDaemon(options: options, logger: logger, terminal: terminal)
        } catch let error as LiveError {
            terminal.log(error.description)
            throw ExitCode.failure
        }
        // SIGINT/SIGTERM, as for every long-running command: the first asks the session thread to stop
        // (stop-streaming, the recording closed, the summary); a second ends the process at once.
        stopOnSignals { [wakeups = daemon.wakeups] in wakeups.requestShutdown() }
        var failure: LiveError?
        do {
            try daemon.run()
        } catch let error as LiveError {
            failure = error
        }
        if let failure {
            terminal.log(failure.description)
            throw ExitCode.failure
        }
    }
}
