import ArgumentParser
import LumbarCore
import LumbarMotion

/// What `replay` and `export` may tell the analysis instead of letting it find out: the exercise, the
/// prescribed tempo, and where the sensors of an x-IMU3 logged-data folder were worn.
struct AnalysisOptions: ParsableArguments {
    @Option(help: Exercise.optionHelp)
    var exercise: Exercise?

    @Option(help: TempoPrescription.optionHelp)
    var tempo: TempoPrescription?

    @Option(
        help: "With x-IMU3 logged data or .ximu3 files: where a device was worn, SERIAL=PLACEMENT (its serial number, device folder name or file name; repeatable). Without: a device named after its placement, or the only device on the lumbar.",
        transform: PlacementOverride.parse)
    var placement: [PlacementOverride] = []
}
