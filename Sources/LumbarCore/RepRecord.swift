/// A fault seen in one rep. Raw values are the words of the per-rep CSV `faults` column.
public enum RepFault: String, Sendable, Hashable, Codable, CaseIterable {
    /// The lower back arched (extended) beyond the threshold: the most common compensation.
    case lumbarExtension = "lumbar_extension"
    /// The lower back rounded (flexed) beyond the threshold.
    case lumbarFlexion = "lumbar_flexion"
    /// The pelvis rotated (axial rotation) beyond the threshold, usually toward the lifted leg.
    case lumbarRotation = "lumbar_rotation"
    /// The pelvis tilted sideways (lateral flexion) beyond the threshold.
    case lumbarLateral = "lumbar_lateral"
    /// The lower back moved in the sagittal plane beyond the threshold, and the session gave no evidence of
    /// which way is extension (no upright moment): said instead of guessing.
    case lumbarSagittal = "lumbar_sagittal"
    /// The lumbar sensor delivered nothing (missing, stalled, lost) during the rep: the back was not measured,
    /// so the rep is not clean. Its lumbar fields are empty (NaN in `RepRecord`, empty in CSV, null in JSON).
    case lumbarUnknown = "lumbar_unknown"
    /// The concentric (lifting) phase was shorter than the exercise profile allows: momentum, not glutes.
    case tooFast = "too_fast"
    /// The leg went higher than the exercise profile's limit (which forces the back into extension).
    case legTooHigh = "leg_too_high"
}

/// The direction of a lumbar movement in the exercise's anatomical frame.
/// Raw values are the words of the `lumbar_moved` event's `direction` field.
public enum LumbarDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case extension_ = "extension"
    case flexion
    case lateralLeft = "lateral_left"
    case lateralRight = "lateral_right"
    case rotationLeft = "rotation_left"
    case rotationRight = "rotation_right"
    /// Extension or flexion, the evidence not telling which (no upright moment in the session).
    case sagittal
}

/// Everything Lumbar measured about one rep: a row of the per-rep metrics CSV (FORMATS.md §3)
/// and the payload of the `rep_completed` event.
///
/// Times are seconds since the session's first sample; angles are degrees.
public struct RepRecord: Sendable, Hashable {
    /// 1-based rep number within the session.
    public var rep: Int
    /// 1-based set number (a set ends at a long pause or a change of leg or posture).
    public var set: Int
    public var leg: Leg
    /// Start of the concentric phase, s.
    public var startTime: Double
    /// Moment of the leg's peak excursion, s.
    public var peakTime: Double
    /// End of the eccentric phase, s.
    public var endTime: Double
    /// Concentric (lifting) phase duration, s.
    public var concentricDuration: Double
    /// Hold at the top, s.
    public var holdDuration: Double
    /// Eccentric (lowering) phase duration, s.
    public var eccentricDuration: Double
    /// Peak rotation of the ankle segment from the rep's starting posture, degrees.
    public var legROMDegrees: Float
    /// Peak angular speed of the ankle segment, degrees per second.
    public var peakLegAngularVelocityDps: Float
    /// Largest total rotation of the lumbar segment away from its rep-start orientation, degrees.
    public var lumbarMaxDeviationDegrees: Float
    /// Largest signed flexion(−)/extension(+) component, degrees (the one with the largest magnitude).
    public var lumbarExtensionDegrees: Float
    /// Largest signed lateral flexion component, degrees, positive to the right.
    public var lumbarLateralDegrees: Float
    /// Largest signed axial rotation component, degrees, positive to the right.
    public var lumbarRotationDegrees: Float
    /// True when a `lumbar_moved` alert fired during the rep.
    public var lumbarMoved: Bool
    /// The faults, in `RepFault.allCases` order, without repeats.
    public var faults: [RepFault]

    /// False when the lumbar sensor gave nothing during the rep (`lumbar_unknown`): the lumbar fields are NaN and
    /// must be shown empty, never as a good (zero) value.
    public var lumbarMeasured: Bool { lumbarMaxDeviationDegrees.isFinite }

    public init(
        rep: Int, set: Int, leg: Leg, startTime: Double, peakTime: Double, endTime: Double,
        concentricDuration: Double, holdDuration: Double, eccentricDuration: Double,
        legROMDegrees: Float, peakLegAngularVelocityDps: Float, lumbarMaxDeviationDegrees: Float,
        lumbarExtensionDegrees: Float, lumbarLateralDegrees: Float, lumbarRotationDegrees: Float,
        lumbarMoved: Bool, faults: [RepFault]
    ) {
        self.rep = rep
        self.set = set
        self.leg = leg
        self.startTime = startTime
        self.peakTime = peakTime
        self.endTime = endTime
        self.concentricDuration = concentricDuration
        self.holdDuration = holdDuration
        self.eccentricDuration = eccentricDuration
        self.legROMDegrees = legROMDegrees
        self.peakLegAngularVelocityDps = peakLegAngularVelocityDps
        self.lumbarMaxDeviationDegrees = lumbarMaxDeviationDegrees
        self.lumbarExtensionDegrees = lumbarExtensionDegrees
        self.lumbarLateralDegrees = lumbarLateralDegrees
        self.lumbarRotationDegrees = lumbarRotationDegrees
        self.lumbarMoved = lumbarMoved
        self.faults = faults
    }

    /// Total duration, s.
    public var duration: Double { endTime - startTime }
}
