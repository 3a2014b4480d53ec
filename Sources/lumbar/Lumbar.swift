import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The `lumbar` command: live biofeedback, recording, replay and export of lumbar-stability sessions.
@main
struct Lumbar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lumbar",
        abstract: "Watches the lower back during hip-extension exercises, from wearable IMUs.",
        version: "0.1.0",
        subcommands: Lumbar.allSubcommands
    )

    /// Runs the command. SIGPIPE is ignored first: a reader that closes an output (`lumbar live --events - |
    /// head -3`) makes writes fail with EPIPE, which each output reports as a closed output, instead of
    /// killing the process before it stops the sensors, closes the recording and prints the summary.
    ///
    /// Every command runs synchronously on the main thread (no async context is entered, so nothing blocks
    /// one); long-running commands stop on SIGINT/SIGTERM through `stopOnSignals`.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    /// Every subcommand, one per line so that adding one touches one line.
    static let allSubcommands: [any ParsableCommand.Type] = [
        FuseCommand.self,
        ReplayCommand.self,
        ExportCommand.self,
        RecordCommand.self,
        DevicesCommand.self,
        SimulateCommand.self,
        LiveCommand.self,
        HistoryCommand.self,
    ]
}
