/// Something that happened in a session, as the live outputs (terminal, JSON Lines, dashboard) and the
/// recorder see it. The JSON Lines form is FORMATS.md §4 (see `LumbarEvent.jsonLine`).
///
/// `time` is seconds since the session's first sample, on the session clock.
public enum LumbarEvent: Sendable, Hashable {
    /// The still start posture was detected and the sensors calibrated (neutral taken).
    case calibrated(time: Double, posture: String, exercise: String)
    /// A rep began (the moving leg left its rest posture).
    case repStarted(time: Double, rep: Int, set: Int, leg: Leg)
    /// The lumbar segment moved past the threshold from its rep-start orientation during a rep.
    case lumbarMoved(time: Double, rep: Int, deviationDegrees: Float, direction: LumbarDirection)
    /// The lumbar deviation fell back below the hysteresis level.
    case lumbarSettled(time: Double, rep: Int, deviationDegrees: Float)
    /// A rep ended; carries its metrics.
    case repCompleted(time: Double, record: RepRecord)
    /// A leg movement that began a rep candidate was not counted: why, and the measured value that decided it
    /// against its limit (units of the reason: see `RepRejection`). `time` is when the decision was made.
    case repRejected(time: Double, rejection: RejectedMovement)
    /// A sensor appeared (first time or again after being lost).
    case sensorConnected(time: Double, sensor: String, placement: SensorPlacement)
    /// A sensor stopped delivering (unplugged, hung up, or silent past the timeout).
    case sensorLost(time: Double, sensor: String, placement: SensorPlacement, reason: SensorLossReason)

    /// The event's `type` word in FORMATS.md §4.
    public var type: String {
        switch self {
        case .calibrated: "calibrated"
        case .repStarted: "rep_started"
        case .lumbarMoved: "lumbar_moved"
        case .lumbarSettled: "lumbar_settled"
        case .repCompleted: "rep_completed"
        case .repRejected: "rep_rejected"
        case .sensorConnected: "sensor_connected"
        case .sensorLost: "sensor_lost"
        }
    }

    /// Seconds since session start.
    public var time: Double {
        switch self {
        case .calibrated(let t, _, _), .repStarted(let t, _, _, _), .lumbarMoved(let t, _, _, _),
            .lumbarSettled(let t, _, _), .repCompleted(let t, _), .repRejected(let t, _), .sensorConnected(let t, _, _),
            .sensorLost(let t, _, _, _):
            t
        }
    }
}
