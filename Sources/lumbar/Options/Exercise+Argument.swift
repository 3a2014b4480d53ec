import ArgumentParser
import LumbarCore

/// `--exercise bird_dog`: one of the exercises by its event name.
extension Exercise: ExpressibleByArgument {
    /// The help of `--exercise` in `live`, `replay` and `export`: the analysis takes the exercise's profile
    /// (its thresholds and default tempo) from the first rep instead of recognising it.
    static let optionHelp = ArgumentHelp(
        "Force the exercise instead of recognising it: \(Exercise.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "EXERCISE")
}
