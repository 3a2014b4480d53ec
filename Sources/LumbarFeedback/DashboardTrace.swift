import LumbarCore
import LumbarMotion

/// One point of the live trace the dashboard draws: what the pipeline knows at one instant.
///
/// The pipeline publishes one per fused sample (or fewer); the hub thins them to
/// `DashboardHub.Settings.traceInterval` of session time, which keeps the page at ≥ 30 updates per second
/// without sending every 400 Hz sample to a phone.
///
/// ```swift
/// hub.publish(DashboardTrace(time: 12.34, legAngleDegrees: 41, lumbarDeviationDegrees: 3.2,
///                            thresholdDegrees: 10, calibration: .calibrated, phase: .concentric))
/// ```
public struct DashboardTrace: Sendable, Hashable {
    /// Seconds since the session's first sample (session clock, like `LumbarEvent.time`).
    public var time: Double
    /// The moving leg's rotation from its rep-start (rest) posture, degrees.
    public var legAngleDegrees: Float
    /// Total rotation of the lumbar segment away from its rep-start orientation, degrees (≥ 0).
    public var lumbarDeviationDegrees: Float
    /// Flexion(−)/extension(+) component of the lumbar deviation, degrees.
    public var lumbarExtensionDegrees: Float
    /// Lateral flexion component, degrees, positive to the right.
    public var lumbarLateralDegrees: Float
    /// Axial rotation component, degrees, positive to the right.
    public var lumbarRotationDegrees: Float
    /// The lumbar alert threshold in force, degrees.
    public var thresholdDegrees: Float
    /// Where calibration stands (the page shows "hold still" until it is `.calibrated`).
    public var calibration: CalibrationState
    /// The phase of the current rep (LumbarMotion's: rest, concentric, hold, eccentric).
    public var phase: RepPhase
    /// Every known sensor's link status; empty means "unchanged since the last trace that had some".
    public var sensors: [SensorStatus]
    /// The exercise in use (forced or recognised from the reps) and its posture; nil until known. The
    /// `calibrated` event comes before recognition and says `auto`: the page and `/api/session` take these.
    public var exercise: Exercise?
    public var posture: Posture?

    public init(
        time: Double, legAngleDegrees: Float, lumbarDeviationDegrees: Float,
        lumbarExtensionDegrees: Float = 0, lumbarLateralDegrees: Float = 0, lumbarRotationDegrees: Float = 0,
        thresholdDegrees: Float, calibration: CalibrationState, phase: RepPhase, sensors: [SensorStatus] = [],
        exercise: Exercise? = nil, posture: Posture? = nil
    ) {
        self.time = time
        self.legAngleDegrees = legAngleDegrees
        self.lumbarDeviationDegrees = lumbarDeviationDegrees
        self.lumbarExtensionDegrees = lumbarExtensionDegrees
        self.lumbarLateralDegrees = lumbarLateralDegrees
        self.lumbarRotationDegrees = lumbarRotationDegrees
        self.thresholdDegrees = thresholdDegrees
        self.calibration = calibration
        self.phase = phase
        self.sensors = sensors
        self.exercise = exercise
        self.posture = posture
    }
}

/// Where the session's calibration stands, as the person on the mat needs to know it.
public enum CalibrationState: Sendable, Hashable {
    /// No still start posture yet: get into position.
    case waiting
    /// A still posture is being held; `progress` runs from 0 to 1 until the neutral is taken.
    case holdingStill(progress: Float)
    /// The neutral was taken; reps are counted.
    case calibrated

    /// The word used in the JSON forms: `waiting`, `holding_still`, `calibrated`.
    public var word: String {
        switch self {
        case .waiting: "waiting"
        case .holdingStill: "holding_still"
        case .calibrated: "calibrated"
        }
    }
}
