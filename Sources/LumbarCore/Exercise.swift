/// The hip-extension exercises Lumbar knows (DOMAIN.md). Raw values are the words of the CLI
/// (`--exercise NAME`) and of the `calibrated` event's `exercise` field.
///
/// Shared by the simulator (which poses a body for each) and the motion analysis (whose exercise
/// profiles are keyed by it).
public enum Exercise: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Bent-knee back kick (donkey kick): quadruped, knee held ~90°, thigh from vertical toward horizontal.
    case backKick = "back_kick"
    /// Straight-leg quadruped kick: the knee straightens while the leg lifts back to about hip height.
    case straightLegKick = "straight_leg_kick"
    /// Bird dog: as the straight-leg kick, slower, often with a hold; legs may alternate every rep.
    case birdDog = "bird_dog"
    /// Prone straight-leg raise: lying face down, the straight leg lifts 10–25°.
    case proneLegRaise = "prone_leg_raise"
    /// Standing kickback: upright, hands on a support, the leg swings back 20–35°.
    case standingKickback = "standing_kickback"

    /// The still posture the exercise starts from.
    public var startPosture: Posture {
        switch self {
        case .backKick, .straightLegKick, .birdDog: .quadruped
        case .proneLegRaise: .prone
        case .standingKickback: .standing
        }
    }

    public var description: String { rawValue }
}

/// A whole-body start posture. Raw values are the words of the `calibrated` event's `posture` field.
public enum Posture: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// On hands and knees, trunk horizontal.
    case quadruped
    /// Lying face down.
    case prone
    /// Upright (hands on a support).
    case standing

    public var description: String { rawValue }
}
