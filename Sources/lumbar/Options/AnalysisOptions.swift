import ArgumentParser
import LumbarCore
import LumbarMotion

/// What `replay` and `export` may tell the analysis instead of letting it find out: the exercise, the
/// prescribed tempo, and where the sensors of an x-IMU3 logged-data folder were worn.
struct AnalysisOptions: ParsableArguments {
    @Option(help: "Force the exercise instead of recognising it.")
    var exercise: Exercise?

    @Option(help: ArgumentHelp(
        "The prescribed tempo, CONCENTRIC-HOLD-ECCENTRIC seconds (e.g. 2-1-2): a rep faster than it is too_fast. One per set, comma-separated, the last one repeating (e.g. 3-0-3,1-5-1: set 1 at 3-0-3, the others at 1-5-1).",
        valueName: "C-H-E[,C-H-E...]"))
    var tempo: TempoPrescription?

    @Option(
        help: "With x-IMU3 logged data or .ximu3 files: where a device was worn, SERIAL=PLACEMENT (its serial number, device folder name or file name; repeatable). Without: a device named after its placement, or the only device on the lumbar.",
        transform: PlacementOverride.parse)
    var placement: [PlacementOverride] = []
}
