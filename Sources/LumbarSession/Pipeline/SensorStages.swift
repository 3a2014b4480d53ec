import LumbarCore
import LumbarFusion

/// The per-sensor half of `SessionPipeline`: host clock origin, the sensors' channels (decode, clock
/// alignment, fusion) and the timed-sample (CSV) epoch. Everything here depends only on the input, in
/// input order, never on the merge stage; so a replay can run it on its own thread, ahead of the merge
/// stage, and get the very same samples (`ParallelReplay` in LumbarReplay).
package final class SensorStages {
    let clock: SensorClockAligner.Settings
    package let fusion: OrientationFilter.Settings
    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) private(set) var channels: [SensorChannel] = []
    /// The session clock the channels stamp their samples on (see `SessionClock`).
    let clockAnchor = SessionClock()
    /// Host receive time (ns) that host-relative seconds count from: the first one seen.
    @exclusivity(unchecked) private var hostEpoch: Int64?
    /// First sample time of timed-sample input (CSV), which its host-relative seconds count from.
    @exclusivity(unchecked) private var timedEpoch: Double?
    /// False while a `FusionStage` fuses the samples instead of the channels (replay on three threads).
    package var fusesInline = true {
        didSet { for c in channels { c.fusesInline = fusesInline } }
    }

    init(clock: SensorClockAligner.Settings, fusion: OrientationFilter.Settings) {
        self.clock = clock
        self.fusion = fusion
    }

    /// Host monotonic nanoseconds → seconds since the first receive time seen.
    func hostSeconds(_ receiveTime: Int64) -> Double {
        let epoch = hostEpoch ?? receiveTime
        hostEpoch = epoch
        return Double(receiveTime &- epoch) * 1e-9
    }

    /// Host monotonic nanoseconds → the session clock (before the session's origin is taken off): host
    /// seconds minus the reference sensor's `SessionClock.shift`.
    func clockSeconds(_ receiveTime: Int64) -> Double {
        clockAnchor.stamp(hostSeconds(receiveTime))
    }

    /// Stamps the samples every channel still holds (see `SensorChannel.flushPending`) into `batch`.
    func flushPending(into batch: StagedBatch) {
        for (i, c) in channels.enumerated() { c.flushPending(index: i, into: &batch.samples) }
        batch.closeStep()
    }

    /// A sensor (re)connected: a known `id` keeps its index and gets a fresh byte stream.
    ///
    /// - Returns: the sensor's index.
    func connect(_ sensor: SensorDescriptor) -> Int {
        if let known = channels.firstIndex(where: { $0.descriptor.id == sensor.id }) {
            let c = channels[known]
            c.descriptor = sensor
            c.restartStream(clock: clock, index: known)
            return known
        }
        let c = SensorChannel(descriptor: sensor, clock: clock, fusion: fusion, sessionClock: clockAnchor)
        c.fusesInline = fusesInline
        channels.append(c)
        return channels.count - 1
    }

    /// Bytes of sensor `index` received at `host` seconds: decoded, aligned and fused into `fused`.
    @inline(__always)
    func receive(_ bytes: UnsafeRawBufferPointer, from index: Int, host: Double, into fused: inout [SessionSample]) {
        channels[index].receive(bytes, index: index, host: host, into: &fused)
    }

    /// An already-timed sample (CSV): its time counts from the input's first sample, never going back.
    @inline(__always)
    func receive(timed sample: ImuSample, from index: Int, into fused: inout [SessionSample]) {
        let epoch = timedEpoch ?? sample.time
        timedEpoch = epoch
        let c = channels[index]
        var s = sample
        s.time = max(sample.time - epoch, c.lastSampleTime)
        c.fuse(s, deviceTime: s.time, index: index, into: &fused)
    }

    // MARK: - Input steps, recorded into a batch for the merge stage

    /// A sensor (re)connected at host time `receiveTime` (monotonic ns). - Returns: its index.
    func connect(_ sensor: SensorDescriptor, at receiveTime: Int64, into batch: StagedBatch) -> Int {
        if let known = channels.firstIndex(where: { $0.descriptor.id == sensor.id }) {
            channels[known].flushPending(index: known, into: &batch.samples)
            batch.closeStep()
        }
        let index = connect(sensor)
        batch.append(connect: index, sensor, host: clockSeconds(receiveTime))
        return index
    }

    /// Bytes of sensor `index` read at host time `receiveTime` (monotonic ns).
    func receive(_ bytes: UnsafeRawBufferPointer, from index: Int, at receiveTime: Int64, into batch: StagedBatch) {
        precondition(channels.indices.contains(index), "SessionPipeline.receive: unknown sensor 'index' \(index)")
        batch.append(.receive, sensor: index, host: clockSeconds(receiveTime))
        let batches = channels[index].sampleBatches
        receive(bytes, from: index, host: hostSeconds(receiveTime), into: &batch.samples)
        if channels[index].sampleBatches == batches { batch.lastReceiveHadNoSamples() }
        batch.closeStep()
    }

    /// An already-timed sample of sensor `index` (CSV).
    func receive(timed sample: ImuSample, from index: Int, into batch: StagedBatch) {
        precondition(channels.indices.contains(index), "SessionPipeline.receive: unknown sensor 'index' \(index)")
        receive(timed: sample, from: index, into: &batch.samples)
        batch.closeStep()
    }

    /// The transport of sensor `index` went away at host time `receiveTime` (monotonic ns).
    func lose(sensor index: Int, reason: SensorLossReason, at receiveTime: Int64, into batch: StagedBatch) {
        if channels.indices.contains(index) {
            channels[index].flushPending(index: index, into: &batch.samples)
            batch.closeStep()
        }
        batch.append(lose: index, reason: reason, host: clockSeconds(receiveTime))
    }

    /// Host time `receiveTime` (monotonic ns) passed without data.
    func advance(to receiveTime: Int64, into batch: StagedBatch) {
        batch.append(.advance, host: clockSeconds(receiveTime))
    }

    /// Brings every channel's counters up to date (call on the thread that runs the channels).
    func updateStatistics() {
        for c in channels { c.updateStatistics() }
    }
}
