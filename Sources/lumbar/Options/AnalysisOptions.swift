import ArgumentParser
import LumbarCore
import LumbarMotion

/// What `replay` and `export` may tell the analysis instead of letting it find out: the exercise and
/// the prescribed tempo.
struct AnalysisOptions: ParsableArguments {
    @Option(help: "Force the exercise instead of recognising it.")
    var exercise: Exercise?

    @Option(help: ArgumentHelp(
        "The prescribed tempo, CONCENTRIC-HOLD-ECCENTRIC seconds (e.g. 2-1-2): a rep faster than it is too_fast.",
        valueName: "C-H-E"))
    var tempo: Tempo?
}
