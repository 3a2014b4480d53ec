import LumbarCore
import LumbarMotion

extension DashboardTrace {
    /// The trace point of the analysis' live state.
    ///
    /// - Parameters:
    ///   - snapshot: `MotionAnalyzer.snapshot` (the pipeline delivers it every `snapshotInterval`).
    ///   - thresholdDegrees: the lumbar alert threshold of the exercise in force, degrees.
    ///   - sensors: the sensors' link status (see `SensorStatusMeter`).
    public init(_ snapshot: MotionSnapshot, thresholdDegrees: Float, sensors: [SensorStatus]) {
        let calibration: CalibrationState =
            switch snapshot.calibration {
            case .calibrated: .calibrated
            case .waiting(let still, let required) where still > 0 && required > 0:
                .holdingStill(progress: Float(min(still / required, 1)))
            case .waiting: .waiting
            }
        self.init(
            time: snapshot.time, legAngleDegrees: snapshot.legAngleDegrees,
            lumbarDeviationDegrees: snapshot.lumbarDeviationDegrees,
            lumbarExtensionDegrees: snapshot.lumbarComponents.extension_,
            lumbarLateralDegrees: snapshot.lumbarComponents.lateral,
            lumbarRotationDegrees: snapshot.lumbarComponents.rotation, thresholdDegrees: thresholdDegrees,
            calibration: calibration, phase: snapshot.phase, sensors: sensors, exercise: snapshot.exercise,
            posture: snapshot.posture)
    }
}
