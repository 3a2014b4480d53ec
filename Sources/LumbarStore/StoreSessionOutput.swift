import LumbarCore
import LumbarSession

/// The session pipeline's output into the database: a record per rep, sensor and exercise as they happen,
/// handed to the `StoreWriter` (no I/O on the session's thread); `finish` marks the session complete.
///
/// A session whose process dies before `finish` stays in the database as it was: incomplete, with every
/// rep stored so far.
public struct StoreSessionOutput: SessionOutput {
    public let writer: StoreWriter
    public let sessionID: String

    /// Starts storing the session: its row goes first.
    public init(writer: StoreWriter, start: StoredSessionStart) {
        self.writer = writer
        self.sessionID = start.id
        writer.submit(.begin(start))
    }

    @inlinable public mutating func sample(_ sample: SessionSample) {}

    public mutating func event(_ event: LumbarEvent) {
        switch event {
        case .calibrated(_, _, let exercise) where exercise != "unknown":
            writer.submit(.exercise(session: sessionID, exercise: exercise))
        case .sensorConnected(_, let sensor, let placement):
            writer.submit(.sensor(session: sessionID, StoredSensor(sensor: sensor, placement: placement.rawValue)))
        case .repCompleted(_, let record):
            writer.submit(.rep(session: sessionID, record))
        default:
            break
        }
    }

    /// The session ended normally: summary, sets, sensors with their counts, the recording's hash.
    public func finish(_ end: StoredSessionEnd) {
        writer.submit(.finish(session: sessionID, end))
    }

    /// The sensors of a finished pipeline, with their details and sample counts.
    public static func sensors(of pipeline: SessionPipeline) -> [StoredSensor] {
        zip(pipeline.sensors, pipeline.statistics.sensors).map { d, s in
            StoredSensor(
                sensor: d.id, placement: d.placement.rawValue, details: d.details.pairs.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                samples: Int64(s.samples), lostSamples: Int64(s.lostSamples))
        }
    }
}
