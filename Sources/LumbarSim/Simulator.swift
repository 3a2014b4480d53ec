import LumbarCore
import LumbarProtocol

/// Runs a `SessionScript` on the body model and returns every sensor's samples with the exact truth.
///
/// ```swift
/// let session = Simulator.run(.demo(.backKick, seed: 1))
/// let lumbar = session.sensors[0]          // samples, raw counts, true orientations
/// for rep in session.truth.reps { print(rep.rep, rep.leg, rep.lumbarPeakDeviationDegrees) }
/// var frames = Simulator.stream(.demo(.backKick, seed: 1))   // the same packets, in arrival order
/// while let p = frames.next() { /* encode and write */ }
/// ```
public enum Simulator {
    /// Simulates the whole session at once.
    public static func run(_ script: SessionScript) -> SimulatedSession {
        let plan = SessionPlan(script)
        var sensors: [SimulatedSensor] = []
        for (i, s) in script.sensors.enumerated() {
            var stream = SensorStream(
                index: i, script: s, trajectory: plan.trajectories[i], duration: plan.model.duration, seed: script.seed)
            var sensor = SimulatedSensor(
                index: i, site: s.site, deviceInfo: stream.deviceInfo, clockOffsetSeconds: s.clockOffsetSeconds,
                clockDriftPPM: s.clockDriftPPM)
            let expected = Int(plan.model.duration * s.sampleRateHz) + s.batchSize
            sensor.samples.reserveCapacity(expected)
            sensor.rawSamples.reserveCapacity(expected)
            sensor.sampleIndices.reserveCapacity(expected)
            sensor.trueTimes.reserveCapacity(expected)
            sensor.trueOrientations.reserveCapacity(expected)
            var lastIndex = -1
            while let p = stream.next() {
                guard case .sampleBatch(let batch) = p.packet, let b = p.batchTruth else { continue }
                sensor.samples.append(contentsOf: b.samples)
                sensor.rawSamples.append(contentsOf: batch.samples)
                sensor.trueTimes.append(contentsOf: b.trueTimes)
                sensor.trueOrientations.append(contentsOf: b.trueOrientations)
                for k in 0..<b.samples.count { sensor.sampleIndices.append(b.firstSampleIndex + k) }
                sensor.lostSampleCount += b.firstSampleIndex - lastIndex - 1
                lastIndex = b.firstSampleIndex + b.samples.count - 1
            }
            sensor.lostSampleCount += stream.nextIndex - 1 - lastIndex
            sensors.append(sensor)
        }
        let truth = SessionTruth(
            reps: plan.model.repTruths(), sets: setTruths(plan.model), nuisances: plan.nuisances,
            stillPeriods: plan.stillPeriods, uprightPeriod: plan.uprightPeriod, duration: plan.model.duration)
        return SimulatedSession(script: script, sensors: sensors, truth: truth, plan: plan)
    }

    /// The session's packets from every sensor merged in arrival order, generated lazily (for streaming in
    /// real time: pace by `arrivalTime`). Same packets as `run` derives its samples from.
    ///
    /// - Parameter sensors: indices into `script.sensors` of the sensors to emit (nil: all). The body and
    ///   every sensor's readings are those of the whole script, so processes that each stream one sensor of
    ///   the same script (one emulated device each) play one consistent session.
    public static func stream(_ script: SessionScript, sensors: [Int]? = nil) -> SimulatedFrameStream {
        SimulatedFrameStream(plan: SessionPlan(script), script: script, sensors: sensors)
    }

    static func setTruths(_ model: BodyModel) -> [SetTruth] {
        var sets: [SetTruth] = []
        for rep in model.reps {
            if let last = sets.last, last.set == rep.set {
                sets[sets.count - 1].repCount += 1
                sets[sets.count - 1].end = rep.end
            } else {
                sets.append(SetTruth(set: rep.set, leg: rep.leg, repCount: 1, start: rep.start, end: rep.end))
            }
        }
        return sets
    }
}

/// A simulated session: every sensor's output and the truth.
public struct SimulatedSession: Sendable {
    /// The script it was made from.
    public var script: SessionScript
    /// One per `script.sensors`, same order.
    public var sensors: [SimulatedSensor]
    public var truth: SessionTruth
    let plan: SessionPlan

    /// The lumbar segment's true deviation at true time `t` from its orientation at true time `reference`.
    public func lumbarDeviation(at t: Double, reference: Double) -> LumbarDeviation {
        plan.model.lumbarDeviation(at: t, reference: reference)
    }

    /// The first true time in `rep` at which the lumbar deviation from the rep start reaches `degrees`
    /// (nil if it never does), to 0.1 ms.
    public func crossingTime(of rep: RepTruth, degrees: Double) -> Double? {
        plan.model.crossingTime(from: rep.startTime, to: rep.endTime, degrees: degrees)
    }

    /// Sensor `index`'s true height above its start position's floor at true time `t`, m (diagnosis: the rise an
    /// ankle track should measure).
    public func trueHeight(ofSensor index: Int, at t: Double) -> Double {
        plan.trajectories[index].pose(at: t).position.z
    }

    /// A fresh lazy stream of this session's packets in arrival order.
    public func frames() -> SimulatedFrameStream { SimulatedFrameStream(plan: plan, script: script, sensors: nil) }
}

/// One sensor's output.
public struct SimulatedSensor: Sendable {
    /// Index in the script.
    public var index: Int
    /// Where it was strapped at the start (a single ankle sensor may move; see `SessionTruth.nuisances`).
    public var site: SensorPlacement
    public var deviceInfo: DeviceInfo
    /// Device clock reading at true time 0, s.
    public var clockOffsetSeconds: Double
    /// Device clock rate error, ppm.
    public var clockDriftPPM: Double
    /// Delivered samples (lost packets and dropouts removed), device time in s, g, deg/s, after quantisation.
    public var samples: [ImuSample] = []
    /// The raw int16 readings of `samples`.
    public var rawSamples: [RawImuSample] = []
    /// Device sample counter of each delivered sample (gaps are losses).
    public var sampleIndices: [Int] = []
    /// True session time of each delivered sample, s.
    public var trueTimes: [Double] = []
    /// True sensor → earth orientation at each delivered sample (earth Z up, X the initial forward direction).
    public var trueOrientations: [Quaternion] = []
    /// Samples the device took that never arrived.
    public var lostSampleCount = 0

    /// Device clock reading at true session time `t`, s.
    public func deviceTime(atTrueTime t: Double) -> Double { clockOffsetSeconds + t * (1 + clockDriftPPM * 1e-6) }

    /// True session time at device clock reading `d`, s.
    public func trueTime(atDeviceTime d: Double) -> Double { (d - clockOffsetSeconds) / (1 + clockDriftPPM * 1e-6) }
}

/// All sensors' packets merged in arrival order (ties: lower sensor index first). An iterator: not shared
/// between tasks.
public struct SimulatedFrameStream: IteratorProtocol, Sendable {
    private var streams: [SensorStream]
    private var heads: [SimulatedPacket?]
    /// What each streamed sensor reports about itself, in script order.
    public let deviceInfos: [DeviceInfo]
    /// The script indices of the streamed sensors (packets carry these as `sensorIndex`).
    public let sensorIndices: [Int]
    /// End of the session, true time s.
    public let duration: Double

    init(plan: SessionPlan, script: SessionScript, sensors: [Int]?) {
        var streams: [SensorStream] = []
        for (i, s) in script.sensors.enumerated() where sensors?.contains(i) ?? true {
            streams.append(SensorStream(
                index: i, script: s, trajectory: plan.trajectories[i], duration: plan.model.duration, seed: script.seed))
        }
        deviceInfos = streams.map(\.deviceInfo)
        sensorIndices = streams.map(\.sensorIndex)
        heads = streams.indices.map { streams[$0].next() }
        self.streams = streams
        duration = plan.model.duration
    }

    /// The next packet of any sensor, by arrival time; nil at the end of the session.
    public mutating func next() -> SimulatedPacket? {
        var best: Int?
        for i in heads.indices {
            guard let h = heads[i] else { continue }
            if let b = best, let hb = heads[b], hb.arrivalTime <= h.arrivalTime { continue }
            best = i
        }
        guard let i = best else { return nil }
        let p = heads[i]
        heads[i] = streams[i].next()
        return p
    }
}
