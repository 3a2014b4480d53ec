import LumbarCore
import LumbarFusion
import LumbarMotion
import LumbarProtocol

/// The one pipeline of Lumbar: bytes (or timed samples) of every sensor in, events and fused samples out.
///
/// decode (`FrameDecoder`) → align each sensor's clock to the session clock (`SensorClockAligner`) →
/// fuse per sensor (`OrientationFilter`) → merge the sensors in session-time order (`SessionMerger`) →
/// motion analysis → `SessionOutput`. Live devices, recording replay and CSV import all drive this same
/// object; replay feeds the recorded bytes with their recorded receive times, so it reproduces live.
///
/// Not thread-safe: one owner (a task or actor) calls it. Host receive times are monotonic-clock
/// nanoseconds (any origin, the same for every sensor); the pipeline works relative to the first one,
/// so only differences matter and the result is bit-for-bit reproducible.
///
/// ```swift
/// let pipeline = SessionPipeline()
/// var output = EventCollector()
/// let lumbar = pipeline.connect(SensorDescriptor(id: "A1", placement: .lumbar), at: t0, into: &output)
/// pipeline.receive(chunk, from: lumbar, at: t1, into: &output)   // per chunk read from the port
/// pipeline.finish(into: &output)
/// ```
public final class SessionPipeline {
    /// | name | unit | default | meaning |
    /// |---|---|---|---|
    /// | `motion` | — | `.default` | motion analysis (exercise override, thresholds) |
    /// | `clock` | — | `.default` | clock-alignment settings per sensor |
    /// | `fusion` | — | `.default` | orientation filter settings per sensor |
    /// | `reorderDelay` | s | 0.25 | longest a silent sensor holds back the merged stream |
    /// | `reorderCapacity` | samples | 4096 | reorder buffer per sensor (≥ reorderDelay × rate) |
    /// | `sensorTimeout` | s | 1.0 | a byte-stream sensor silent this long (host time) is reported lost |
    public struct Settings: Sendable {
        public var motion: MotionAnalyzer.Settings
        public var clock: SensorClockAligner.Settings
        public var fusion: OrientationFilter.Settings
        public var reorderDelay: Double
        public var reorderCapacity: Int
        public var sensorTimeout: Double

        public init(
            motion: MotionAnalyzer.Settings = .default,
            clock: SensorClockAligner.Settings = .default, fusion: OrientationFilter.Settings = .default,
            reorderDelay: Double = 0.25, reorderCapacity: Int = 4096, sensorTimeout: Double = 1.0
        ) {
            precondition(reorderCapacity > 0, "SessionPipeline.Settings: 'reorderCapacity' must be > 0")
            self.motion = motion
            self.clock = clock
            self.fusion = fusion
            self.reorderDelay = reorderDelay
            self.reorderCapacity = reorderCapacity
            self.sensorTimeout = sensorTimeout
        }

        public static let `default` = Settings()
    }

    public let settings: Settings
    private var channels: [SensorChannel] = []
    private var merger: SessionMerger
    private var motion: MotionStage
    /// Host receive time (ns) that host-relative seconds count from.
    private var hostEpoch: Int64?
    /// First sample time of timed-sample input (CSV), which its host-relative seconds count from.
    private var timedEpoch: Double?
    /// Host-relative seconds of session time 0 (the first sample released).
    private var origin: Double?
    /// Host-relative seconds of the newest receive.
    private var now = -Double.infinity
    private var releasedSamples: UInt64 = 0
    private var lastReleasedTime = 0.0
    private var nextSnapshotTime = 0.0

    public init(settings: Settings = .default) {
        self.settings = settings
        merger = SessionMerger(maximumDelay: settings.reorderDelay, capacity: settings.reorderCapacity)
        motion = MotionStage(settings: settings.motion)
    }

    /// The live state of the motion analysis (calibration, deviation, leg angle, reps) for displays.
    public var snapshot: MotionSnapshot { motion.analyzer.snapshot }

    /// The exercise in use (forced or recognised), nil until known.
    public var exercise: Exercise? { motion.analyzer.exercise }

    /// Asks the motion analysis to calibrate again at the next still moment.
    public func requestCalibration() { motion.analyzer.requestCalibration() }

    /// The sensors in index order.
    public var sensors: [SensorDescriptor] { channels.map(\.descriptor) }

    /// Per-sensor and session totals so far.
    public var statistics: SessionStatistics {
        var s = SessionStatistics()
        for c in channels {
            c.updateStatistics()
            s.sensors.append(c.statistics)
        }
        s.samples = releasedSamples
        s.duration = lastReleasedTime
        return s
    }

    /// True while sensor `index` is delivering (connected, not lost).
    public func isActive(sensor index: Int) -> Bool {
        channels.indices.contains(index) && channels[index].active
    }

    /// Session seconds of the newest sample released so far.
    public var sessionTime: Double { lastReleasedTime }

    /// Converts a host receive time to the session clock (seconds since the first sample; 0 before it).
    public func sessionTime(forReceiveTime receiveTime: Int64) -> Double {
        guard let origin else { return 0 }
        return max(0, hostSeconds(receiveTime) - origin)
    }

    /// A sensor (re)connected. A known `id` gets its old index back and a fresh byte stream.
    ///
    /// - Returns: the sensor's index for `receive`.
    @discardableResult
    public func connect<Output: SessionOutput>(
        _ sensor: SensorDescriptor, at receiveTime: Int64, into out: inout Output
    ) -> Int {
        let host = hostSeconds(receiveTime)
        checkTimeouts(at: host, into: &out)
        let index: Int
        if let known = channels.firstIndex(where: { $0.descriptor.id == sensor.id }) {
            index = known
            let c = channels[known]
            c.descriptor = sensor
            c.restartStream(clock: settings.clock)
        } else {
            index = channels.count
            channels.append(SensorChannel(descriptor: sensor, clock: settings.clock, fusion: settings.fusion))
        }
        let c = channels[index]
        c.active = true
        c.lastReceive = host
        merger.addSensor(index)
        out.event(.sensorConnected(time: sessionTime(forHost: host), sensor: sensor.id, placement: sensor.placement))
        return index
    }

    /// Bytes read from sensor `index`'s transport at host time `receiveTime` (monotonic ns).
    public func receive<Output: SessionOutput>(
        _ bytes: UnsafeRawBufferPointer, from index: Int, at receiveTime: Int64, into out: inout Output
    ) {
        precondition(channels.indices.contains(index), "SessionPipeline.receive: unknown sensor 'index' \(index)")
        let host = hostSeconds(receiveTime)
        checkTimeouts(at: host, into: &out)
        let c = channels[index]
        if !c.active { reactivate(c, index: index, at: host, into: &out) }
        c.lastReceive = host
        c.decoder.decode(bytes) { output in
            switch output {
            case .packet(.sampleBatch(let batch)):
                guard let scale = c.scale else {
                    c.statistics.samplesWithoutDeviceInfo &+= UInt64(batch.samples.count)
                    return
                }
                let lastTicks = batch.ticks(ofSampleAt: max(0, batch.samples.count - 1))
                c.aligner.observe(deviceTime: scale.seconds(ticks: lastTicks), receiveTime: host)
                for i in batch.samples.indices {
                    var t = c.aligner.hostTime(forDeviceTime: scale.seconds(ticks: batch.ticks(ofSampleAt: i)))
                    if t < c.lastSampleTime { t = c.lastSampleTime }
                    push(c, index: index, sample: scale.sample(batch.samples[i], time: t), into: &out)
                }
            case .packet(.deviceInfo(let info)):
                c.scale = info.scale
                c.statistics.sampleRate = info.sampleRate
            case .packet(.status(let status)):
                c.statistics.deviceStatus = status  // about once a second: battery, temperature, faults
            default:
                break
            }
        }
    }

    /// Bytes held in an array.
    public func receive<Output: SessionOutput>(
        _ bytes: [UInt8], from index: Int, at receiveTime: Int64, into out: inout Output
    ) {
        bytes.withUnsafeBytes { receive($0, from: index, at: receiveTime, into: &out) }
    }

    /// An already-timed sample (Sample CSV import): `sample.time` is seconds on a clock shared by all
    /// sensors of the input (any origin); no clock alignment is applied.
    public func receive<Output: SessionOutput>(timed sample: ImuSample, from index: Int, into out: inout Output) {
        precondition(channels.indices.contains(index), "SessionPipeline.receive: unknown sensor 'index' \(index)")
        let epoch = timedEpoch ?? sample.time
        timedEpoch = epoch
        let c = channels[index]
        var s = sample
        s.time = max(sample.time - epoch, c.lastSampleTime)
        push(c, index: index, sample: s, into: &out)
    }

    /// Sensor `index` is gone (transport hang-up, unplugged): `sensor_lost`, and the others stop waiting for it.
    public func lose<Output: SessionOutput>(
        sensor index: Int, reason: String, at receiveTime: Int64, into out: inout Output
    ) {
        let host = hostSeconds(receiveTime)
        checkTimeouts(at: host, into: &out)
        guard channels.indices.contains(index), channels[index].active else { return }
        lose(channels[index], index: index, reason: reason, atHost: host, into: &out)
    }

    /// Lets host time pass without data (the live daemon calls this periodically): reports sensors
    /// that have been silent for `sensorTimeout`.
    public func advance<Output: SessionOutput>(to receiveTime: Int64, into out: inout Output) {
        checkTimeouts(at: hostSeconds(receiveTime), into: &out)
    }

    /// End of input: releases every buffered sample and closes open reps.
    public func finish<Output: SessionOutput>(into out: inout Output) {
        merger.flush { s in release(s, into: &out) }
        for c in channels { c.updateStatistics() }
    }

    // MARK: - Steps

    private func hostSeconds(_ receiveTime: Int64) -> Double {
        let epoch = hostEpoch ?? receiveTime
        hostEpoch = epoch
        let t = Double(receiveTime &- epoch) * 1e-9
        if t > now { now = t }
        return t
    }

    private func sessionTime(forHost host: Double) -> Double {
        guard let origin else { return 0 }
        return max(0, host - origin)
    }

    @inline(__always)
    private func push<Output: SessionOutput>(
        _ c: SensorChannel, index: Int, sample: ImuSample, into out: inout Output
    ) {
        c.lastSampleTime = sample.time
        let q = c.filter.update(sample)
        let s = SessionSample(sensor: index, placement: c.descriptor.placement, sample: sample, orientation: q)
        merger.push(s) { r in release(r, into: &out) }
    }

    @inline(__always)
    private func release<Output: SessionOutput>(_ s: SessionSample, into out: inout Output) {
        let o = origin ?? s.time
        origin = o
        var r = s
        // Never back in time: a sensor that just returned may have a few samples older than what the
        // others already released; they are stamped with the newest released time instead.
        r.sample.time = max(s.time - o, lastReleasedTime)
        channels[r.sensor].statistics.samples &+= 1
        releasedSamples &+= 1
        lastReleasedTime = r.sample.time
        motion.update(r, into: &out)
        out.sample(r)
        if let interval = out.snapshotInterval, r.sample.time >= nextSnapshotTime {
            out.snapshot(motion.analyzer.snapshot)
            nextSnapshotTime = r.sample.time + interval
        }
    }

    private func checkTimeouts<Output: SessionOutput>(at host: Double, into out: inout Output) {
        for (i, c) in channels.enumerated() where c.active && host - c.lastReceive > settings.sensorTimeout {
            lose(c, index: i, reason: "timeout", atHost: c.lastReceive + settings.sensorTimeout, into: &out)
        }
    }

    private func lose<Output: SessionOutput>(
        _ c: SensorChannel, index: Int, reason: String, atHost host: Double, into out: inout Output
    ) {
        c.active = false
        c.statistics.losses += 1
        merger.deactivate(index)
        out.event(
            .sensorLost(
                time: sessionTime(forHost: host), sensor: c.descriptor.id, placement: c.descriptor.placement,
                reason: reason))
    }

    private func reactivate<Output: SessionOutput>(
        _ c: SensorChannel, index: Int, at host: Double, into out: inout Output
    ) {
        c.active = true
        merger.addSensor(index)
        out.event(
            .sensorConnected(time: sessionTime(forHost: host), sensor: c.descriptor.id, placement: c.descriptor.placement))
    }
}
