/// Everything the sound output can play: beeps, the tick and the spoken words, each one clip of the
/// bank rendered at start-up.
public enum Clip: Sendable, Hashable {
    /// The sharp cue of a rep's first lumbar alert: two harsh low beeps (as the dashboard's).
    case alertFirst
    /// A repeat alert in the same rep: one shorter, higher beep.
    case alertRepeat
    /// A clean rep: a soft high blip.
    case tick
    /// A spoken phrase.
    case phrase(Phrase)
    /// "not counted: <reason>" for a rep_rejected.
    case notCounted(RepRejectionWords)
    /// A spoken number, 0...`SoundBank.largestNumber`.
    case number(Int)
}

/// The fixed spoken phrases (English text, spoken with the configured espeak-ng language).
public enum Phrase: Int, Sendable, Hashable, CaseIterable {
    case standStill, ready, backArched, backRounding, backMoving, pelvisTurning, hipsTilting, slower, set, reps, clean

    /// What espeak-ng reads.
    public var text: String {
        switch self {
        case .standStill: "stand still, upright"
        case .ready: "ready"
        case .backArched: "back arched"
        case .backRounding: "back rounding"
        case .backMoving: "back moving"
        case .pelvisTurning: "pelvis turning"
        case .hipsTilting: "hips tilting"
        case .slower: "slower"
        case .set: "set"
        case .reps: "reps"
        case .clean: "clean"
        }
    }
}

import LumbarCore

/// A rep_rejected reason as words ("too small"), by the reason's position in `RepRejection.allCases`.
public struct RepRejectionWords: Sendable, Hashable {
    public let index: Int
    public init(_ reason: RepRejection) { index = Self.indexOfReason[reason] ?? 0 }
    /// Every reason, in `RepRejection.allCases` order.
    static let reasons: [RepRejection] = RepRejection.allCases
    static let indexOfReason: [RepRejection: Int] = Dictionary(
        uniqueKeysWithValues: reasons.enumerated().map { ($1, $0) })
    /// "not counted: too small": the reason's raw word with spaces.
    var text: String { "not counted: " + Self.reasons[index].rawValue.replacingUnderscores() }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
