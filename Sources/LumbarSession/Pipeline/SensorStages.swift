import LumbarCore

/// The per-sensor stage of `SessionPipeline`: host clock origin, the sensors' channels (decode, clock
/// alignment) and the timed-sample (CSV) epoch. Everything here depends only on the input, in input
/// order, never on the merge stage; so a replay can run it on its own thread, ahead of fusion and the
/// merge stage, and get the very same samples (`ParallelReplay` in LumbarReplay).
///
/// Each input step appends the samples it produced to a caller-owned buffer and returns what the merge
/// stage needs to apply the step (host time, whether bytes held samples); the caller applies the step,
/// then the samples, in that order.
package final class SensorStages {
    let clock: SensorClockAligner.Settings
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

    init(clock: SensorClockAligner.Settings) {
        self.clock = clock
    }

    /// Host monotonic nanoseconds → seconds since the first receive time seen.
    func hostSeconds(_ receiveTime: Int64) -> Double {
        let epoch = hostEpoch ?? receiveTime
        hostEpoch = epoch
        return Double(receiveTime &- epoch) * 1e-9
    }

    /// Host monotonic nanoseconds → the session clock (before the session's origin is taken off): host
    /// seconds minus the reference sensor's `SessionClock.shift`.
    package func clockSeconds(_ receiveTime: Int64) -> Double {
        clockAnchor.stamp(hostSeconds(receiveTime))
    }

    /// Stamps the samples every channel still holds (see `SensorChannel.flushPending`) into `stamped`.
    package func flushPending(into stamped: inout [StampedSample]) {
        for (i, c) in channels.enumerated() { c.flushPending(index: i, into: &stamped) }
    }

    /// A sensor (re)connected at host time `receiveTime` (monotonic ns): a known `id` keeps its index and
    /// gets a fresh byte stream, after the samples its old stream still held went to `stamped`.
    ///
    /// - Returns: the sensor's index, and the step's session-clock seconds.
    package func connect(
        _ sensor: SensorDescriptor, at receiveTime: Int64, flushingInto stamped: inout [StampedSample]
    ) -> (index: Int, host: Double) {
        let index: Int
        if let known = channels.firstIndex(where: { $0.descriptor.id == sensor.id }) {
            let c = channels[known]
            c.flushPending(index: known, into: &stamped)
            c.descriptor = sensor
            c.restartStream(clock: clock, index: known)
            index = known
        } else {
            channels.append(SensorChannel(descriptor: sensor, clock: clock, sessionClock: clockAnchor))
            index = channels.count - 1
        }
        return (index, clockSeconds(receiveTime))
    }

    /// Bytes of sensor `index` read at host time `receiveTime` (monotonic ns): decoded and aligned into `stamped`.
    ///
    /// - Returns: the step's session-clock seconds (taken before the bytes moved the clock), and whether
    ///   the bytes held a sample batch (bytes without one do not bring a lost sensor back).
    @inline(__always)
    package func receive(
        _ bytes: UnsafeRawBufferPointer, from index: Int, at receiveTime: Int64, into stamped: inout [StampedSample]
    ) -> (host: Double, hadSamples: Bool) {
        precondition(channels.indices.contains(index), "SessionPipeline.receive: unknown sensor 'index' \(index)")
        let host = clockSeconds(receiveTime)
        let c = channels[index]
        let batches = c.sampleBatches
        c.receive(bytes, index: index, host: hostSeconds(receiveTime), into: &stamped)
        return (host, c.sampleBatches != batches)
    }

    /// An already-timed sample of sensor `index` (CSV): its time counts from the input's first sample,
    /// never going back.
    @inline(__always)
    package func receive(timed sample: ImuSample, from index: Int, into stamped: inout [StampedSample]) {
        precondition(channels.indices.contains(index), "SessionPipeline.receive: unknown sensor 'index' \(index)")
        let epoch = timedEpoch ?? sample.time
        timedEpoch = epoch
        let c = channels[index]
        var s = sample
        s.time = max(sample.time - epoch, c.lastSampleTime)
        c.emit(s, deviceTime: s.time, index: index, into: &stamped)
    }

    /// The transport of sensor `index` went away at host time `receiveTime` (monotonic ns): the samples it
    /// still held go to `stamped`. - Returns: the step's session-clock seconds.
    package func lose(sensor index: Int, at receiveTime: Int64, flushingInto stamped: inout [StampedSample]) -> Double {
        if channels.indices.contains(index) { channels[index].flushPending(index: index, into: &stamped) }
        return clockSeconds(receiveTime)
    }

    /// Brings every channel's counters up to date (call on the thread that runs the channels).
    func updateStatistics() {
        for c in channels { c.updateStatistics() }
    }
}
