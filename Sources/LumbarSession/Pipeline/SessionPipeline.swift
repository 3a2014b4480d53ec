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
/// Three stages: the per-sensor stage (`SensorStages`: decode, align), fusion (`SensorFusion`) and the
/// merge stage (this object: sensor presence and timeouts, merge, motion analysis, outputs). Each input
/// step goes through them in that order, at once, on the caller's thread: no staging, no placeholder
/// values. A replay may instead run the first two on other threads ahead of the third (`ParallelReplay`
/// in LumbarReplay, a separate driver of these same stages), with the same result, bit for bit.
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
    /// | `reorderDelay` | s | 2.0 | longest a sensor that delivers nothing holds back the merged stream |
    /// | `reorderCapacity` | samples | 8192 | reorder buffer per sensor (≥ reorderDelay × rate) |
    ///
    /// `reorderDelay` covers what a sensor may owe the merge without anything being wrong: its first
    /// second (held until its clock alignment settles, see `SensorChannel`), a frame of 64 samples, a
    /// stall of the link. Released earlier, the others' samples would overtake that sensor's, which
    /// would then be stamped late: results would depend on arrival. A sensor silent for `sensorTimeout`
    /// is lost and holds nothing back; healthy sensors hold each other back by a frame's span only.
    /// The first second of a session (or after a reconnection) is therefore delivered about a second late.
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
            reorderDelay: Double = 2.0, reorderCapacity: Int = 8192, sensorTimeout: Double = 1.0
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
    /// The per-sensor stage (decode, align).
    package let stages: SensorStages
    /// The orientation filters (a driver that fuses on another thread hands them back when done).
    @exclusivity(unchecked) package var fusion: SensorFusion
    /// The merge stage's view of each sensor, indexed like `stages.channels`.
    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) private var presence: [SensorPresence] = []
    private let merger: SessionMerger
    @exclusivity(unchecked) private var motion: MotionStage
    /// The samples of the current input step, between the per-sensor stage and fusion (reused: no
    /// allocation once grown).
    @exclusivity(unchecked) private var stamped: [StampedSample] = []
    /// Host-relative seconds of session time 0 (the first sample released).
    @exclusivity(unchecked) private var origin: Double?
    /// Host time of the latest connect, receive or loss (the inputs a recording holds), and the start of
    /// the current stretch of inputs that came no more than `sensorTimeout / 4` apart: since when the
    /// host is known to have been reading without a pause. See `checkTimeouts`.
    @exclusivity(unchecked) private var lastInputHost = -Double.infinity
    @exclusivity(unchecked) private var readingSince = -Double.infinity
    @exclusivity(unchecked) private var releasedSamples: UInt64 = 0
    @exclusivity(unchecked) private var lastReleasedTime = 0.0
    @exclusivity(unchecked) private var nextSnapshotTime = 0.0

    public init(settings: Settings = .default) {
        self.settings = settings
        stages = SensorStages(clock: settings.clock)
        fusion = SensorFusion(settings: settings.fusion)
        stamped.reserveCapacity(SampleBatch.maximumSampleCount)
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
    public var sensors: [SensorDescriptor] { presence.map(\.descriptor) }

    /// Per-sensor and session totals so far.
    public var statistics: SessionStatistics {
        stages.updateStatistics()
        var s = SessionStatistics()
        for (c, p) in zip(stages.channels, presence) {
            var sensor = c.statistics
            sensor.samples = p.samples
            sensor.losses = p.losses
            s.sensors.append(sensor)
        }
        s.samples = releasedSamples
        s.duration = lastReleasedTime
        return s
    }

    /// True while sensor `index` is delivering (connected, not lost).
    public func isActive(sensor index: Int) -> Bool {
        presence.indices.contains(index) && presence[index].active
    }

    /// Session seconds of the newest sample released so far.
    public var sessionTime: Double { lastReleasedTime }

    /// Converts a host receive time to the session clock (seconds since the first sample; 0 before it).
    public func sessionTime(forReceiveTime receiveTime: Int64) -> Double {
        guard let origin else { return 0 }
        return max(0, stages.clockSeconds(receiveTime) - origin)
    }

    /// A sensor (re)connected. A known `id` gets its old index back and a fresh byte stream.
    ///
    /// - Returns: the sensor's index for `receive`.
    @discardableResult
    public func connect<Output: SessionOutput>(
        _ sensor: SensorDescriptor, at receiveTime: Int64, into out: inout Output
    ) -> Int {
        let (index, host) = stages.connect(sensor, at: receiveTime, flushingInto: &stamped)
        mergeStamped(into: &out)
        mergeConnected(index, sensor, atHost: host, into: &out)
        return index
    }

    /// Bytes read from sensor `index`'s transport at host time `receiveTime` (monotonic ns).
    @inline(__always)
    public func receive<Output: SessionOutput>(
        _ bytes: UnsafeRawBufferPointer, from index: Int, at receiveTime: Int64, into out: inout Output
    ) {
        let (host, hadSamples) = stages.receive(bytes, from: index, at: receiveTime, into: &stamped)
        mergeReceived(index, atHost: host, hadSamples: hadSamples, into: &out)
        mergeStamped(into: &out)
    }

    /// Bytes held in an array.
    public func receive<Output: SessionOutput>(
        _ bytes: [UInt8], from index: Int, at receiveTime: Int64, into out: inout Output
    ) {
        bytes.withUnsafeBytes { receive($0, from: index, at: receiveTime, into: &out) }
    }

    /// An already-timed sample (Sample CSV import): `sample.time` is seconds on a clock shared by all
    /// sensors of the input (any origin); no clock alignment is applied.
    @inline(__always)
    public func receive<Output: SessionOutput>(timed sample: ImuSample, from index: Int, into out: inout Output) {
        stages.receive(timed: sample, from: index, into: &stamped)
        mergeStamped(into: &out)
    }

    /// Sensor `index` stopped delivering (transport hang-up, unplugged, stalled): `sensor_lost`, and the
    /// others stop waiting for it. It is connected again by its next samples (not by bytes without samples).
    public func lose<Output: SessionOutput>(
        sensor index: Int, reason: SensorLossReason, at receiveTime: Int64, into out: inout Output
    ) {
        let host = stages.lose(sensor: index, at: receiveTime, flushingInto: &stamped)
        mergeStamped(into: &out)
        mergeLost(index, reason: reason, atHost: host, into: &out)
    }

    /// Lets host time pass without data (the live daemon calls this periodically): reports sensors
    /// that have been silent for `sensorTimeout`.
    public func advance<Output: SessionOutput>(to receiveTime: Int64, into out: inout Output) {
        mergeAdvanced(atHost: stages.clockSeconds(receiveTime), into: &out)
    }

    /// The host stood still until `receiveTime`: the live daemon's poll came back that much later than
    /// asked (its thread did not run, or the whole machine, a VM, was paused). Silences count from then on,
    /// as after a pause between two inputs (`checkTimeouts`): when the host runs again, its timers can
    /// fire before the sensors' bytes, which waited in the USB stack all along, are read, and the tick
    /// after such a poll would otherwise report every sensor lost and, a moment later, connected again
    /// (the HIL `garbage` scenario of issue 13). A sensor still silent one timeout after it is lost, with
    /// the same event as ever. Not recorded: in replay, the first input after the pause starts the new
    /// stretch of reading, and a loss found later is recorded and re-found at its moment, so replay still
    /// judges as live did.
    public func hostResumed(at receiveTime: Int64) {
        readingSince = max(readingSince, stages.clockSeconds(receiveTime))
    }

    /// End of input: releases every buffered sample and closes open reps.
    // Exported specialisation for the exporter (`lumbar export`, the replay benchmark): without
    // `-cross-module-optimization` (an unsafe flag) a client cannot specialise this generic itself, and
    // the unspecialised per-sample path is several times slower.
    @_specialize(exported: true, where Output == SessionExporter)
    public func finish<Output: SessionOutput>(into out: inout Output) {
        stages.flushPending(into: &stamped)
        mergeStamped(into: &out)
        merger.flush { s in release(s, into: &out) }
        stages.updateStatistics()
    }

    /// Fuses the current step's samples and merges them.
    @inline(__always)
    private func mergeStamped<Output: SessionOutput>(into out: inout Output) {
        if stamped.isEmpty { return }
        stamped.withUnsafeBufferPointer { samples in
            for s in samples {
                merger.push(fusion.fuse(s)) { s in release(s, into: &out) }
            }
        }
        stamped.removeAll(keepingCapacity: true)
    }

    // MARK: - The merge stage, one input step at a time
    //
    // What each input step does to the merge stage, applied after the per-sensor stage's part of the step
    // and before the step's samples are merged. `ParallelReplay` calls these with what its reading thread
    // staged, in input order. Exported specialisations for the exporter: see `finish`.

    /// A sensor (re)connected at session-clock `host` seconds (`SensorStages.connect`).
    @_specialize(exported: true, where Output == SessionExporter)
    package func mergeConnected<Output: SessionOutput>(
        _ index: Int, _ sensor: SensorDescriptor, atHost host: Double, into out: inout Output
    ) {
        noteInput(at: host)
        checkTimeouts(at: host, into: &out)
        if index == presence.count {
            presence.append(SensorPresence(descriptor: sensor))
        } else {
            presence[index].descriptor = sensor
        }
        presence[index].active = true
        presence[index].lastReceive = host
        merger.addSensor(index)
        out.event(.sensorConnected(time: sessionTime(forHost: host), sensor: sensor.id, placement: sensor.placement))
    }

    /// Bytes of sensor `index` were received at session-clock `host` seconds (`SensorStages.receive`).
    @_specialize(exported: true, where Output == SessionExporter)
    @inline(__always)
    package func mergeReceived<Output: SessionOutput>(
        _ index: Int, atHost host: Double, hadSamples: Bool, into out: inout Output
    ) {
        noteInput(at: host)
        checkTimeouts(at: host, into: &out)
        if hadSamples {
            if !presence[index].active {
                presence[index].active = true
                merger.addSensor(index)
                let d = presence[index].descriptor
                out.event(.sensorConnected(time: sessionTime(forHost: host), sensor: d.id, placement: d.placement))
            }
            presence[index].lastReceive = host
        } else if presence[index].active {
            // Heartbeats and answers keep a delivering sensor's link alive, but bring back no lost one:
            // a sensor is connected when its samples are (a stalled sensor talks).
            presence[index].lastReceive = host
        }
    }

    /// Sensor `index`'s transport went away at session-clock `host` seconds (`SensorStages.lose`).
    @_specialize(exported: true, where Output == SessionExporter)
    package func mergeLost<Output: SessionOutput>(
        _ index: Int, reason: SensorLossReason, atHost host: Double, into out: inout Output
    ) {
        // A loss was decided at this moment (live: a hang-up, or a timeout a tick found): the host was
        // running then, so silences up to it count.
        checkTimeouts(at: host, into: &out)
        noteInput(at: host)
        if presence.indices.contains(index), presence[index].active {
            lose(index, reason: reason, atHost: host, into: &out)
        }
    }

    /// Host time passed without data, up to session-clock `host` seconds (silence check).
    @_specialize(exported: true, where Output == SessionExporter)
    package func mergeAdvanced<Output: SessionOutput>(atHost host: Double, into out: inout Output) {
        checkTimeouts(at: host, into: &out)
    }

    /// Merges fused samples, in the order the per-sensor stage produced them.
    @_specialize(exported: true, where Output == SessionExporter)
    package func merge<Output: SessionOutput>(_ samples: UnsafeBufferPointer<SessionSample>, into out: inout Output) {
        for s in samples {
            merger.push(s) { s in release(s, into: &out) }
        }
    }

    private func sessionTime(forHost host: Double) -> Double {
        guard let origin else { return 0 }
        return max(0, host - origin)
    }

    @inline(__always)
    private func release<Output: SessionOutput>(_ s: SessionSample, into out: inout Output) {
        let o = origin ?? s.time
        origin = o
        var r = s
        // Never back in time: a sensor that just returned may have a few samples older than what the
        // others already released; they are stamped with the newest released time instead.
        r.sample.time = max(s.time - o, lastReleasedTime)
        presence[r.sensor].samples &+= 1
        releasedSamples &+= 1
        lastReleasedTime = r.sample.time
        motion.update(r, into: &out)
        out.sample(r)
        if let interval = out.snapshotInterval, r.sample.time >= nextSnapshotTime {
            out.snapshot(motion.analyzer.snapshot)
            nextSnapshotTime = r.sample.time + interval
        }
    }

    /// An input (connect, read, loss) at host time `host`: a gap of more than `sensorTimeout / 4` since
    /// the previous one was a pause of the host itself, and a new stretch of reading starts.
    @inline(__always)
    private func noteInput(at host: Double) {
        if host - lastInputHost > settings.sensorTimeout / 4 { readingSince = host }
        lastInputHost = max(lastInputHost, host)
    }

    /// Reports the sensors silent for `sensorTimeout` at host time `host` (the event says the silence
    /// began at their last receive).
    ///
    /// Silence is counted only while the host was reading: from a sensor's last receive, or from the
    /// end of the host's last pause if that is later. When the host itself did not run for a while (a
    /// loaded machine descheduled the session thread, a suspended VM), the first read after the pause
    /// comes before the other ports' reads of the same wake-up, whose bytes waited in the kernel all
    /// along; counted from their last receive, it reported them lost and, a few ms later, connected
    /// again (seen in the HIL `garbage` scenario on a host at load 25). Only inputs a recording holds
    /// move `readingSince` (ticks do not), so replay judges exactly as live did.
    @inline(__always)
    private func checkTimeouts<Output: SessionOutput>(at host: Double, into out: inout Output) {
        for i in presence.indices
        where presence[i].active && host - max(presence[i].lastReceive, readingSince) > settings.sensorTimeout {
            lose(i, reason: .timeout, atHost: presence[i].lastReceive + settings.sensorTimeout, into: &out)
        }
    }

    private func lose<Output: SessionOutput>(
        _ index: Int, reason: SensorLossReason, atHost host: Double, into out: inout Output
    ) {
        presence[index].active = false
        presence[index].losses += 1
        merger.deactivate(index)
        let d = presence[index].descriptor
        let time = sessionTime(forHost: host)
        motion.analyzer.sensorLost(d.placement, reason: reason, at: time)
        out.event(.sensorLost(time: time, sensor: d.id, placement: d.placement, reason: reason))
    }
}

/// The merge stage's view of one sensor: who it is, whether it delivers, and its share of the totals.
struct SensorPresence {
    var descriptor: SensorDescriptor
    /// Delivering now (connected and not lost).
    var active = true
    /// Host-relative seconds of the last receive (for the silence timeout).
    var lastReceive = -Double.infinity
    /// Samples released to the analysis.
    var samples: UInt64 = 0
    /// Times the sensor was lost.
    var losses = 0
}
