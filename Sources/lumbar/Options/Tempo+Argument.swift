import ArgumentParser
import LumbarMotion

/// `--tempo 2-1-2` or `--tempo 3-0-3,1-5-1`: concentric, hold and eccentric seconds, one per set, the last repeating.
extension TempoPrescription: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }

    /// The help of `--tempo`, the same for `live`, `replay` and `export`.
    static let optionHelp = ArgumentHelp(
        "The prescribed tempo, CONCENTRIC-HOLD-ECCENTRIC seconds (e.g. 2-1-2): a rep faster than it is too_fast. One per set, comma-separated, the last one repeating (e.g. 3-0-3,1-5-1: set 1 at 3-0-3, the others at 1-5-1).",
        valueName: "C-H-E[,C-H-E...]")
}
