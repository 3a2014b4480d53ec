/// Where the moving leg is in a rep.
public enum RepPhase: String, Sendable, Hashable, CaseIterable {
    /// No rep under way (leg at rest, or not yet calibrated).
    case rest
    /// Lifting: the leg moves away from its rest posture.
    case concentric
    /// Holding near the top (within 10 % of the rep's peak excursion, leg nearly still).
    case hold
    /// Lowering back to rest.
    case eccentric
}
