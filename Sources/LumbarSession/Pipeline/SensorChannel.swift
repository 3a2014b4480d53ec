import LumbarCore
import LumbarProtocol

/// The per-sensor stage of the pipeline for one sensor: its byte-stream decoder and clock aligner. It
/// turns received bytes into samples on the session clock (`StampedSample`, fused afterwards by
/// `SensorFusion`) and depends on nothing
/// but this sensor's own stream, so the sensors' channels can run apart from the merge stage (see
/// `SensorStages` and `ParallelReplay`).
///
/// A reference type so that the decoder's callback can update the aligner and counters of the same
/// sensor in place (each is a separate stored property) without copying any buffer.
final class SensorChannel {
    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) var descriptor: SensorDescriptor
    @exclusivity(unchecked) var decoder = FrameDecoder()
    /// The decoder of a sensor of another family (x-IMU3, WitMotion, text lines); nil: a Lumbar sensor
    /// (`decoder`). Chosen from the descriptor's `family` detail.
    @exclusivity(unchecked) var familyDecoder: SensorFamilyDecoder?
    /// Family counters already added to `statistics`.
    @exclusivity(unchecked) var countedFamily = SensorFamilyCounters()
    /// Samples of the current read of a family sensor (reused: no allocation once grown).
    @exclusivity(unchecked) private var familySamples: [ImuSample] = []
    /// First device time and count of a family sensor's samples since its stream started (its rate).
    @exclusivity(unchecked) private var familyFirstTime: Double?
    @exclusivity(unchecked) private var familySampleCount: UInt64 = 0
    @exclusivity(unchecked) var aligner: SensorClockAligner
    /// Conversion of raw counts and ticks, from the latest device-info packet.
    @exclusivity(unchecked) var scale: ImuScale?
    /// Sample batches decoded with a known scale (for the merge stage: bytes that held samples bring a lost sensor back).
    @exclusivity(unchecked) var sampleBatches: UInt64 = 0
    /// This half's counters (the merge stage adds `samples` and `losses`).
    @exclusivity(unchecked) var statistics = SensorStatistics()
    /// Session-clock seconds of the last sample emitted (samples of one sensor never go back in time).
    @exclusivity(unchecked) var lastSampleTime = -Double.infinity
    /// Decoder counters already added to `statistics` (the decoder is replaced on reconnection).
    @exclusivity(unchecked) var countedDecoder = FrameDecoderCounters()

    /// The session clock all channels of the pipeline stamp their samples on.
    let clock: SessionClock
    /// Samples (timed on the device clock) held until the aligner settles: the first frames alone may
    /// have come late (jitter, a stall), and stamping with their offset would put the sensor's first
    /// second off by that lateness. About one second of samples, once per stream.
    @exclusivity(unchecked) private var pending: [ImuSample] = []

    init(descriptor: SensorDescriptor, clock: SensorClockAligner.Settings, sessionClock: SessionClock) {
        self.descriptor = descriptor
        self.clock = sessionClock
        aligner = SensorClockAligner(settings: clock)
        familyDecoder = descriptor.familyDecoder
    }

    /// Decodes `bytes` received at `host`, aligns their samples to the host clock and appends them to
    /// `stamped` (a caller-owned buffer: no allocation once it has grown).
    ///
    /// - Parameters:
    ///   - bytes: the bytes as read from the transport.
    ///   - index: this sensor's pipeline index (stamped on the samples).
    ///   - host: host-relative receive time, s.
    ///   - stamped: where the samples go, in order.
    func receive(_ bytes: UnsafeRawBufferPointer, index: Int, host: Double, into stamped: inout [StampedSample]) {
        if familyDecoder != nil { return receiveFamily(bytes, index: index, host: host, into: &stamped) }
        decoder.decode(bytes) { output in
            switch output {
            case .packet(.sampleBatch(let batch)):
                guard let scale else {
                    statistics.samplesWithoutDeviceInfo &+= UInt64(batch.samples.count)
                    return
                }
                let lastTicks = batch.ticks(ofSampleAt: max(0, batch.samples.count - 1))
                let settled = observeBatch(
                    firstDeviceTime: scale.seconds(ticks: batch.timestamp), lastDeviceTime: scale.seconds(ticks: lastTicks),
                    index: index, host: host, into: &stamped)
                batch.samples.withUnsafeBufferPointer { raw in
                    for i in raw.indices {
                        let device = scale.sample(raw[i], time: scale.seconds(ticks: batch.ticks(ofSampleAt: i)))
                        take(device, settled: settled, index: index, into: &stamped)
                    }
                }
            case .packet(.deviceInfo(let info)):
                scale = info.scale
                statistics.sampleRate = info.sampleRate
            case .packet(.status(let status)):
                statistics.deviceStatus = status  // about once a second: battery, temperature, faults
            default:
                break
            }
        }
    }

    /// `receive` for a sensor of another family: its samples come one by one, timed by the family (device
    /// time, or WitMotion's receive-clock model); they go through the same aligner, pending hold,
    /// stamping and fusion as a Lumbar batch, the read's last sample standing for the batch's last.
    private func receiveFamily(_ bytes: UnsafeRawBufferPointer, index: Int, host: Double, into stamped: inout [StampedSample]) {
        familySamples.removeAll(keepingCapacity: true)
        familyDecoder!.decode(bytes, receivedAt: host) { output in
            switch output {
            case .sample(let sample): familySamples.append(sample)
            case .temperature(_, let celsius): familyStatus { $0.temperatureCentidegrees = Int16(clamping: Int((celsius * 100).rounded())) }
            case .battery(_, let percent, let volts, _):
                familyStatus {
                    $0.batteryPercent = UInt8(clamping: Int(percent.rounded()))
                    $0.batteryMillivolts = UInt16(clamping: Int((volts * 1000).rounded()))
                }
            case .notification, .deviceError: break
            }
        }
        guard let last = familySamples.last else { return }
        let first = familyFirstTime ?? familySamples[0].time
        familyFirstTime = first
        familySampleCount &+= UInt64(familySamples.count)
        if last.time > first { statistics.sampleRate = Double(familySampleCount - 1) / (last.time - first) }
        let settled = observeBatch(
            firstDeviceTime: familySamples[0].time, lastDeviceTime: last.time, index: index, host: host, into: &stamped)
        for sample in familySamples { take(sample, settled: settled, index: index, into: &stamped) }
    }

    /// One batch's clock bookkeeping, whatever the family: counts it, feeds its last sample's device time to
    /// the aligner (a resync restarts the sensor on the session clock), tells the session clock its first,
    /// and once the aligner has settled releases the samples held before. Returns whether it has settled.
    private func observeBatch(
        firstDeviceTime: Double, lastDeviceTime: Double, index: Int, host: Double, into stamped: inout [StampedSample]
    ) -> Bool {
        sampleBatches &+= 1
        let resyncs = aligner.resyncCount
        aligner.observe(deviceTime: lastDeviceTime, receiveTime: host)
        if aligner.resyncCount != resyncs { clock.restarted(index) }
        clock.observed(by: index, aligner: aligner, deviceTime: firstDeviceTime)
        let settled = aligner.isSettled
        if settled && !pending.isEmpty { flushPending(index: index, into: &stamped) }
        return settled
    }

    /// A sample of a batch: stamped once the aligner has settled, held until then.
    @inline(__always)
    private func take(_ sample: ImuSample, settled: Bool, index: Int, into stamped: inout [StampedSample]) {
        if settled {
            stamp(sample, index: index, into: &stamped)
        } else {
            pending.append(sample)
        }
    }

    /// Updates the device status a family sensor reported (battery, temperature), as a Lumbar heartbeat would.
    private func familyStatus(_ change: (inout DeviceStatus) -> Void) {
        var status = statistics.deviceStatus ?? DeviceStatus(
            timestamp: 0, batteryMillivolts: nil, batteryPercent: nil, isStreaming: true, temperatureCentidegrees: nil,
            samplesDropped: 0, errors: [])
        change(&status)
        statistics.deviceStatus = status
    }

    /// Stamps a sample timed on the device clock onto the session clock and appends it to `stamped`.
    @inline(__always)
    func stamp(_ device: ImuSample, index: Int, into stamped: inout [StampedSample]) {
        var t = clock.stamp(aligner.hostTime(forDeviceTime: device.time))
        if t < lastSampleTime { t = lastSampleTime }
        var s = device
        s.time = t
        emit(s, deviceTime: device.time, index: index, into: &stamped)
    }

    /// Stamps and appends the samples held while the aligner was not settled, with the best
    /// estimate there is now (call when it settled, and when the stream restarts, is lost or ends).
    func flushPending(index: Int, into stamped: inout [StampedSample]) {
        for device in pending { stamp(device, index: index, into: &stamped) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Appends one session-timed sample to `stamped`, with its time on the sensor's own clock (what fusion
    /// steps by). Samples of one sensor never go back in time (`lastSampleTime`).
    @inline(__always)
    func emit(_ sample: ImuSample, deviceTime: Double, index: Int, into stamped: inout [StampedSample]) {
        lastSampleTime = sample.time
        stamped.append(StampedSample(sensor: index, placement: descriptor.placement, sample: sample, deviceTime: deviceTime))
    }

    /// Adds the decoder's counters since the last call to `statistics`.
    func updateStatistics() {
        if let family = familyDecoder?.counters {
            let c = countedFamily
            statistics.bytes &+= family.bytes &- c.bytes
            statistics.packets &+= family.messages &- c.messages
            statistics.crcErrors &+= family.checksumFailures &- c.checksumFailures
            statistics.otherDroppedFrames &+= (family.malformedMessages &+ family.oversizeMessages)
                &- (c.malformedMessages &+ c.oversizeMessages)
            statistics.lostSamples &+= family.lostSamples &- c.lostSamples
            countedFamily = family
        }
        let c = decoder.counters
        statistics.bytes &+= c.bytes &- countedDecoder.bytes
        statistics.packets &+= c.frames &- countedDecoder.frames
        statistics.crcErrors &+= c.crcFailures &- countedDecoder.crcFailures
        statistics.otherDroppedFrames &+= (c.droppedFrames &- c.crcFailures)
            &- (countedDecoder.droppedFrames &- countedDecoder.crcFailures)
        statistics.lostSamples &+= c.lostSamples &- countedDecoder.lostSamples
        countedDecoder = c
        statistics.clockResyncs = aligner.resyncCount
        statistics.clockDriftPPM = aligner.drift * 1e6
    }

    /// A new byte stream from the same device (reconnected): fresh decoder and clock alignment.
    ///
    /// - Parameter index: this sensor's pipeline index (the session clock may have followed it).
    func restartStream(clock settings: SensorClockAligner.Settings, index: Int) {
        updateStatistics()
        decoder = FrameDecoder()
        countedDecoder = FrameDecoderCounters()
        familyDecoder = descriptor.familyDecoder
        countedFamily = SensorFamilyCounters()
        familyFirstTime = nil
        familySampleCount = 0
        aligner = SensorClockAligner(settings: settings)
        clock.restarted(index)
    }
}
