import ArgumentParser
import LumbarSession
import LumbarStore

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

    @Argument(help: "The recording (.lrec), Sample CSV, x-IMU3 logged-data folder, or x-IMU3 .ximu3 file(s).")
    var file: String

    @OptionGroup(title: "Files")
    var files: ExportOptions

    @OptionGroup
    var analysis: AnalysisOptions

    @OptionGroup var storing: FileStoreOptions

    func validate() throws {
        // Storing the session is an export of its own: no file needs naming then.
        if files.exporter.paths.isEmpty && !storing.store {
            throw ValidationError("nothing to export: name at least one of --reps, --reps-json, --events, "
                + "--orientation, --opensense, --summary, --html, or --store")
        }
    }

    func run() throws {
        let options = files.exporter
        try options.refuseOverwriting(input: file)
        var exporter = try SessionExporter(options: options)
        exporter.failureLine = { TerminalLines.standardError("error: \($0); the export goes on") }
        let terminal = TerminalLines(eventsToStandardError: true)
        let runner = SessionFileRunner(
            path: file, exercise: analysis.exercise, tempo: analysis.tempo, placements: analysis.placement.byKey, speed: nil, showProgress: true)
        exporter.recordedAtUnixNanoseconds = SessionFileRunner.recordedAt(file)
        let store = try storing.start(source: .export, file: file)
        let pipeline: SessionPipeline
        if let store {
            var pair = SessionOutputPair(exporter, store.output)
            pipeline = try runner.run(into: &pair, terminal: terminal)
            exporter = pair.first
        } else {
            pipeline = try runner.run(into: &exporter, terminal: terminal)
        }
        exporter.exercise = pipeline.exercise
        try exporter.finish(title: file, duration: pipeline.sessionTime, thresholdDegrees: pipeline.lumbarThresholdDegrees)
        if let store, !store.finishFile(exporter: exporter, pipeline: pipeline, file: file) { throw ExitCode.failure }
    }
}
