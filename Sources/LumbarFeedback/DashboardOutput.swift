import LumbarCore
import LumbarMotion
import LumbarSession

/// The dashboard as one of the session pipeline's outputs: events go to the hub as they happen, the
/// analysis' live state becomes a trace point every `snapshotInterval` (60 per second of session time).
///
/// Nothing here waits for a browser: `DashboardHub.publish` only queues.
///
/// ```swift
/// let hub = DashboardHub()
/// var outputs = SessionOutputPair(terminal, DashboardOutput(hub: hub, motion: settings.motion))
/// // … feed the pipeline with `into: &outputs`; between steps, about once a second:
/// outputs.second.refreshSensors(from: pipeline)
/// ```
public struct DashboardOutput: SessionOutput {
    public let hub: DashboardHub
    /// The analysis settings in force: the alert threshold shown is the current exercise's.
    public let motion: MotionAnalyzer.Settings
    private var meter = SensorStatusMeter()

    public init(hub: DashboardHub, motion: MotionAnalyzer.Settings = .default) {
        self.hub = hub
        self.motion = motion
    }

    /// Session seconds between trace points: the hub's `traceInterval` (≥ 30 per second).
    public var snapshotInterval: Double? { hub.settings.traceInterval ?? 1.0 / 60 }

    public mutating func sample(_ sample: SessionSample) {}

    public mutating func event(_ event: LumbarEvent) {
        hub.publish(event)
    }

    public mutating func snapshot(_ snapshot: MotionSnapshot) {
        let exercise = snapshot.exercise ?? motion.exercise
        let threshold =
            exercise.map { motion.profile(for: $0).lumbarThresholdDegrees }
            ?? ExerciseProfile.unknownExercise.lumbarThresholdDegrees
        hub.publish(DashboardTrace(snapshot, thresholdDegrees: threshold, sensors: meter.status))
    }

    /// Refreshes the sensors' rate and loss from the pipeline's counters (recomputed at most once per
    /// second of session time). Call it between pipeline steps, never from inside an output callback.
    public mutating func refreshSensors(from pipeline: SessionPipeline) {
        let sensors = pipeline.sensors
        _ = meter.update(
            time: pipeline.sessionTime, sensors: sensors, statistics: pipeline.statistics.sensors,
            active: sensors.indices.map { pipeline.isActive(sensor: $0) })
    }
}
