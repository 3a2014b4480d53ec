/// Why a leg movement was not counted as a rep (see `MotionAnalyzer.lastRejection`).
public enum RepRejection: String, Sendable, Hashable, CaseIterable {
    /// Shorter than `Settings.minimumRepDuration`: a foot tap.
    case tooShort = "too_short"
    /// Smaller than the exercise profile's `minimumExcursion`: a weight shift, a fidget.
    case tooSmall = "too_small"
    /// The shank did not turn about one axis (`Settings.minimumPlanarity`): a sensor handled.
    case notAHinge = "not_a_hinge"
    /// The axis was far from horizontal: not the hip's flexion–extension axis.
    case notAboutHipAxis = "not_about_hip_axis"
    /// The pelvis kept accelerating (`Settings.maximumLumbarActivityG`): walking.
    case pelvisMoving = "pelvis_moving"
    /// The trunk turned more than 30°: standing up, lying down, turning round.
    case postureChange = "posture_change"
    /// The other leg moved too: walking, repositioning.
    case bothLegsMoved = "both_legs_moved"
    /// The ankle came to rest inclined differently than it started (`Settings.maximumLandingTiltDegrees`):
    /// the sensor was re-strapped.
    case sensorResettled = "sensor_resettled"
    /// The ankle's samples stopped mid-rep for longer than `Settings.ankleGapDuration` (unplugged, radio gap):
    /// the rep is abandoned, since its end, leg ROM and phases were not seen.
    case ankleLost = "ankle_lost"
}
