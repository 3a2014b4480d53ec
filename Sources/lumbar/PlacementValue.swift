import ArgumentParser
import LumbarCore

/// A per-sensor number on the command line: `VALUE` (every sensor) or `PLACEMENT=VALUE`, where PLACEMENT
/// is `lumbar`, `left_ankle`, `right_ankle` or `ankle` (both ankles). `simulate --rate/--drift` and
/// `live --rate/--accel-range/--gyro-range` read them; the unit is the option's (Hz, ppm, g, °/s).
struct PlacementValue: Hashable {
    /// The sensors named; nil for a bare `VALUE` (every sensor).
    var placements: [SensorPlacement]?
    var value: Double

    /// Parses `text` given to `--option`.
    ///
    /// - Parameter requiresPlacement: true when a bare `VALUE` is not allowed.
    /// - Throws: `ValidationError` naming the option and the text.
    init(parsing text: String, option: String, requiresPlacement: Bool = false) throws(ValidationError) {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false)
        let form = requiresPlacement ? "PLACEMENT=VALUE" : "VALUE or PLACEMENT=VALUE"
        guard parts.count == 2 || (parts.count == 1 && !requiresPlacement) else {
            throw ValidationError("'\(text)' is not \(form) for --\(option).")
        }
        if parts.count == 2 {
            guard let named = Self.placements(parts[0]) else {
                throw ValidationError(
                    "'\(text)' names no placement for --\(option) (lumbar, left_ankle, right_ankle or ankle).")
            }
            placements = named
        }
        guard let number = Double(parts[parts.count - 1]), number.isFinite else {
            throw ValidationError("'\(text)' is not \(form) for --\(option): '\(parts[parts.count - 1])' is not a number.")
        }
        value = number
    }

    /// A placement word, or `ankle` for both ankles; nil for anything else.
    static func placements(_ word: some StringProtocol) -> [SensorPlacement]? {
        if word == "ankle" { return [.leftAnkle, .rightAnkle] }
        guard let p = SensorPlacement(rawValue: String(word)), p != .unassigned else { return nil }
        return [p]
    }
}
