import ArgumentParser
import LumbarSession

/// The files `lumbar export` writes, one option each (formats in the README's Formats section).
struct ExportOptions: ParsableArguments {
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

    // At least one file, or `--store`: checked by ExportCommand, which sees both.

    /// The exporter's options: the files named.
    var exporter: SessionExporter.Options {
        SessionExporter.Options(
            events: events, reps: reps, repsJSON: repsJSON, orientationDirectory: orientation, openSense: opensense,
            summary: summary, html: html)
    }
}
