import ArgumentParser
import LumbarCore

/// A per-sensor number on the command line: `VALUE` (every sensor) or `PLACEMENT=VALUE`, where PLACEMENT
/// is `lumbar`, `left_ankle`, `right_ankle` or `ankle` (both ankles). `simulate --rate/--drift` and
/// `live --rate/--accel-range/--gyro-range` take them; the unit is the option's (Hz, ppm, g, °/s).
struct PlacementValue: Hashable, Sendable {
    /// The sensors named; nil for a bare `VALUE` (every sensor).
    var placements: [SensorPlacement]?
    var value: Double

    /// What an option accepts: whether a placement is required, the range, whole numbers only.
    struct Rule: Sendable {
        var requiresPlacement = false
        /// The values allowed, in the option's unit; nil = any finite number.
        var range: ClosedRange<Double>? = nil
        /// Only whole numbers within `range`.
        var wholeNumbers = false
        /// The unit named in the reason ("Hz", "g").
        var unit = ""
    }

    /// The parser of an option that follows `rule`, for `@Option(transform:)`.
    static func parser(_ rule: Rule) -> @Sendable (String) throws -> PlacementValue {
        { text in try PlacementValue(parsing: text, rule) }
    }

    /// Parses `text` as `rule` allows.
    /// - Throws: `ArgumentValueError` saying what is wrong (ArgumentParser names the option and the text).
    init(parsing text: String, _ rule: Rule = Rule()) throws(ArgumentValueError) {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false)
        let form = rule.requiresPlacement ? "PLACEMENT=VALUE" : "VALUE or PLACEMENT=VALUE"
        guard parts.count == 2 || (parts.count == 1 && !rule.requiresPlacement) else {
            throw ArgumentValueError("expected \(form)")
        }
        if parts.count == 2 {
            guard let named = Self.placements(parts[0]) else {
                throw ArgumentValueError("'\(parts[0])' is not a placement (lumbar, left_ankle, right_ankle or ankle)")
            }
            placements = named
        }
        let number = parts[parts.count - 1]
        guard let value = Double(number), value.isFinite else {
            throw ArgumentValueError("expected \(form): '\(number)' is not a number")
        }
        if let range = rule.range, !range.contains(value) || (rule.wholeNumbers && value != value.rounded()) {
            let kind = rule.wholeNumbers ? "a whole number" : "a number"
            let unit = rule.unit.isEmpty ? "" : " " + rule.unit
            throw ArgumentValueError("expected \(kind) from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))\(unit)")
        }
        self.value = value
    }

    /// A placement word, or `ankle` for both ankles; nil for anything else.
    static func placements(_ word: some StringProtocol) -> [SensorPlacement]? {
        if word == "ankle" { return [.leftAnkle, .rightAnkle] }
        guard let p = SensorPlacement(rawValue: String(word)), p != .unassigned else { return nil }
        return [p]
    }

    /// `10` for 10.0, `0.5` for 0.5.
    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
