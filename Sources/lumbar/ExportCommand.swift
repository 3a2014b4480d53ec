import ArgumentParser
import LumbarCore
import LumbarMotion
import LumbarSession

/// `lumbar export FILE --reps PATH ...`: the session's results as files.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Runs a recording (.lrec) or Sample CSV through the pipeline and writes the files named.",
        discussion: """
            --reps writes the per-rep metrics CSV (columns in the README's Formats section), --reps-json the same as JSON, \
            --events the events as JSON Lines, --orientation one Orientation CSV per sensor into a folder, \
            --opensense an OpenSim OpenSense quaternion .sto file (pelvis_imu, tibia_r_imu, tibia_l_imu), \
            --summary a text summary (reps per set and leg, faults, tempo, trend), --html a self-contained \
            report with a plot per rep. The same input always gives byte-identical files.
            """
    )

    @Argument(help: "The recording (.lrec) or Sample CSV.")
    var file: String

    @Option(help: "Per-rep metrics CSV.")
    var reps: String?
    @Option(name: .customLong("reps-json"), help: "Per-rep metrics as JSON.")
    var repsJSON: String?
    @Option(help: "Events as JSON Lines ('-' = standard output).")
    var events: String?
    @Option(help: "Folder for one Orientation CSV per sensor (created if missing).")
    var orientation: String?
    @Option(help: "OpenSim OpenSense quaternion file (.sto).")
    var opensense: String?
    @Option(help: "Session summary (text).")
    var summary: String?
    @Option(help: "Self-contained HTML report.")
    var html: String?
    @Option(help: "Force the exercise: \(Exercise.allCases.map(\.rawValue).joined(separator: ", ")).")
    var exercise: Exercise?

    @Option(help: ArgumentHelp(
        "The prescribed tempo, CONCENTRIC-HOLD-ECCENTRIC seconds (e.g. 2-1-2): a rep faster than it is too_fast.",
        valueName: "C-H-E"))
    var tempo: Tempo?

    func validate() throws {
        if [reps, repsJSON, events, orientation, opensense, summary, html].allSatisfy({ $0 == nil }) {
            throw ValidationError("nothing to export: name at least one of --reps, --reps-json, --events, "
                + "--orientation, --opensense, --summary, --html")
        }
    }

    func run() throws {
        let options = SessionExporter.Options(
            events: events, reps: reps, repsJSON: repsJSON, orientationDirectory: orientation, openSense: opensense,
            summary: summary, html: html)
        try options.refuseOverwriting(input: file)
        var exporter = try SessionExporter(options: options)
        exporter.failureLine = { TerminalLines.standardError("error: \($0); the export goes on") }
        let terminal = TerminalLines(eventsToStandardError: true)
        let runner = SessionFileRunner(path: file, exercise: exercise, tempo: tempo, speed: nil, showProgress: true)
        exporter.recordedAtUnixNanoseconds = SessionFileRunner.recordedAt(file)
        let pipeline = try runner.run(into: &exporter, terminal: terminal)
        exporter.exercise = pipeline.exercise
        try exporter.finish(title: file, duration: pipeline.sessionTime, thresholdDegrees: pipeline.lumbarThresholdDegrees)
    }
}
