import LumbarCore
import LumbarMotion
import LumbarSession

/// The dashboard as one of the session pipeline's outputs: events go to the hub as they happen, the
/// analysis' live state becomes a trace point every `snapshotInterval` (60 per second of session time),
/// and each sensor's status (connected, sample rate) comes from what passes through.
///
/// Nothing here waits for a browser: `DashboardHub.publish` only queues. `sample(_:)` only counts.
///
/// ```swift
/// let hub = DashboardHub()
/// var outputs = SessionOutputPair(exporter, DashboardOutput(hub: hub, motion: settings.motion))
/// // … feed the pipeline with `into: &outputs`; between steps, for packet loss as well:
/// outputs.second.refreshSensors(from: pipeline)
/// ```
public struct DashboardOutput: SessionOutput {
    public let hub: DashboardHub
    /// The analysis settings in force: the alert threshold shown is the current exercise's.
    public let motion: MotionAnalyzer.Settings
    /// Session seconds over which sample rates are measured.
    public var rateWindow = 1.0

    /// Per pipeline sensor index: samples counted in the current rate window.
    private var windowSamples: [Int] = []
    private var windowStart: Double?
    /// Sensors by first appearance, as the page lists them.
    private var sensors: [SensorStatus] = []
    /// Pipeline sensor index -> position in `sensors` (matched by placement).
    private var indexOfSensor: [Int: Int] = [:]
    private var meter = SensorStatusMeter()

    public init(hub: DashboardHub, motion: MotionAnalyzer.Settings = .default) {
        self.hub = hub
        self.motion = motion
    }

    /// Session seconds between trace points: the hub's `traceInterval` (≥ 30 per second).
    public var snapshotInterval: Double? { hub.settings.traceInterval ?? 1.0 / 60 }

    public mutating func sample(_ sample: SessionSample) {
        if sample.sensor >= windowSamples.count {
            windowSamples += Array(repeating: 0, count: sample.sensor + 1 - windowSamples.count)
            if let i = sensors.firstIndex(where: { $0.placement == sample.placement }) {
                indexOfSensor[sample.sensor] = i
            }
        }
        windowSamples[sample.sensor] += 1
    }

    public mutating func event(_ event: LumbarEvent) {
        switch event {
        case .sensorConnected(_, let name, let placement), .sensorLost(_, let name, let placement, _):
            var reason: String?
            if case .sensorLost(_, _, _, let why) = event { reason = why.rawValue }
            if let i = sensors.firstIndex(where: { $0.sensor == name }) {
                sensors[i].connected = reason == nil
                sensors[i].lostReason = reason
                if reason != nil { sensors[i].rateHz = 0 }
            } else {
                sensors.append(
                    SensorStatus(sensor: name, placement: placement, connected: reason == nil, rateHz: 0,
                                 packetLossPercent: 0, batteryPercent: nil, lostReason: reason))
            }
        default:
            break
        }
        hub.publish(event)
    }

    public mutating func snapshot(_ snapshot: MotionSnapshot) {
        measureRates(at: snapshot.time)
        let exercise = snapshot.exercise ?? motion.exercise
        let threshold =
            exercise.map { motion.profile(for: $0).lumbarThresholdDegrees }
            ?? ExerciseProfile.unknownExercise.lumbarThresholdDegrees
        hub.publish(DashboardTrace(snapshot, thresholdDegrees: threshold, sensors: sensors))
    }

    /// Adds packet loss (sequence gaps) from the pipeline's counters and battery, temperature and device
    /// faults from each sensor's latest status packet, recomputed at most once per second of session time.
    /// Call it between pipeline steps (the live daemon on its tick, replay after each record), never from
    /// inside an output callback; without it the cards show only connection and rate.
    public mutating func refreshSensors(from pipeline: SessionPipeline) {
        let descriptors = pipeline.sensors
        guard
            let status = meter.update(
                time: pipeline.sessionTime, sensors: descriptors, statistics: pipeline.statistics.sensors,
                active: descriptors.indices.map { pipeline.isActive(sensor: $0) })
        else { return }
        for s in status {
            if let i = sensors.firstIndex(where: { $0.sensor == s.sensor }) {
                let (connected, rate, reason) = (sensors[i].connected, sensors[i].rateHz, sensors[i].lostReason)
                sensors[i] = s
                // Connection and rate follow the events and released samples, which are ahead of the meter.
                sensors[i].connected = connected
                sensors[i].rateHz = rate
                sensors[i].lostReason = reason
            }
        }
    }

    /// Turns the window's sample counts into rates once `rateWindow` has passed.
    private mutating func measureRates(at time: Double) {
        guard let start = windowStart, time >= start else {
            windowStart = time
            return
        }
        let span = time - start
        guard span >= rateWindow else { return }
        for index in windowSamples.indices {
            if indexOfSensor[index] == nil,
                let i = sensors.indices.first(where: { !indexOfSensor.values.contains($0) })
            {
                indexOfSensor[index] = i  // placements unknown at the first sample: first free entry
            }
            if let i = indexOfSensor[index], sensors[i].connected {
                sensors[i].rateHz = Float(Double(windowSamples[index]) / span)
            }
            windowSamples[index] = 0
        }
        windowStart = time
    }
}
