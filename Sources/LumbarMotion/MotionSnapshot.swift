import LumbarCore

/// What the analyzer knows right now, for a live display (read it at any rate; it is computed on demand).
/// Angles are degrees, times seconds of the session clock.
public struct MotionSnapshot: Sendable, Hashable {
    /// Where calibration stands.
    public enum Calibration: Sendable, Hashable {
        /// Waiting for the still start posture; `stillSeconds` of the required duration so far.
        case waiting(stillSeconds: Double, requiredSeconds: Double)
        case calibrated
    }

    /// Time of the latest sample, s.
    public var time: Double
    public var calibration: Calibration
    /// Total lumbar rotation from the reference (the current rep's start, else the calibration neutral).
    public var lumbarDeviationDegrees: Float
    /// Its anatomical components (extension +, lateral flexion right +, axial rotation right +).
    public var lumbarComponents: LumbarComponents
    /// True between `lumbar_moved` and `lumbar_settled` of the current rep.
    public var lumbarAlert: Bool
    /// Leg (ankle segment) rotation from its rest posture, of the leg that moved last.
    public var legAngleDegrees: Float
    /// Rise of that ankle above its rest posture, cm (integrated acceleration; drifts by a few cm while moving).
    public var legRiseCentimetres: Float
    /// The leg that moved last.
    public var leg: Leg
    /// Reps completed so far.
    public var repCount: Int
    /// Current set (0 before the first rep).
    public var set: Int
    public var phase: RepPhase
    /// The exercise (forced or recognised); nil until known.
    public var exercise: Exercise?
    /// The posture (from the exercise); nil until known.
    public var posture: Posture?
}
