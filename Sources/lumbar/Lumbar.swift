import ArgumentParser

/// The `lumbar` command: live biofeedback, recording, replay and export of lumbar-stability sessions.
@main
struct Lumbar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lumbar",
        abstract: "Watches the lower back during hip-extension exercises, from wearable IMUs.",
        version: "0.1.0",
        subcommands: Lumbar.allSubcommands
    )

    /// Every subcommand, one per line so that adding one touches one line.
    static let allSubcommands: [any ParsableCommand.Type] = [
        FuseCommand.self,
        ReplayCommand.self,
        ExportCommand.self,
        RecordCommand.self,
        DevicesCommand.self,
        SimulateCommand.self,
        LiveCommand.self,
        BenchLiveCommand.self,
    ]
}
