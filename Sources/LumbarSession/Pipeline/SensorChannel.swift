import LumbarCore
import LumbarFusion
import LumbarProtocol

/// The per-sensor half of the pipeline for one sensor: its byte-stream decoder, clock aligner and
/// orientation filter. It turns received bytes into fused, host-timed samples and depends on nothing
/// but this sensor's own stream, so the sensors' channels can run apart from the merge stage (see
/// `SensorStages` and `SessionInput.replay`).
///
/// A reference type so that the decoder's callback can update the aligner and filter of the same
/// sensor in place (each is a separate stored property) without copying any buffer.
final class SensorChannel {
    var descriptor: SensorDescriptor
    var decoder = FrameDecoder()
    var aligner: SensorClockAligner
    var filter: OrientationFilter
    /// Conversion of raw counts and ticks, from the latest device-info packet.
    var scale: ImuScale?
    /// This half's counters (the merge stage adds `samples` and `losses`).
    var statistics = SensorStatistics()
    /// Host-relative seconds of the last sample fused (samples of one sensor never go back in time).
    var lastSampleTime = -Double.infinity
    /// Decoder counters already added to `statistics` (the decoder is replaced on reconnection).
    var countedDecoder = FrameDecoderCounters()
    /// False while a `FusionStage` on another thread fuses this channel's samples (replay on three threads).
    var fusesInline = true

    init(descriptor: SensorDescriptor, clock: SensorClockAligner.Settings, fusion: OrientationFilter.Settings) {
        self.descriptor = descriptor
        aligner = SensorClockAligner(settings: clock)
        filter = OrientationFilter(settings: fusion)
    }

    /// Decodes `bytes` received at `host`, aligns their samples to the host clock, fuses them and
    /// appends them to `fused` (a caller-owned buffer: no allocation once it has grown).
    ///
    /// - Parameters:
    ///   - bytes: the bytes as read from the transport.
    ///   - index: this sensor's pipeline index (stamped on the samples).
    ///   - host: host-relative receive time, s.
    ///   - fused: where the fused samples go, in order.
    func receive(_ bytes: UnsafeRawBufferPointer, index: Int, host: Double, into fused: inout [SessionSample]) {
        decoder.decode(bytes) { output in
            switch output {
            case .packet(.sampleBatch(let batch)):
                guard let scale else {
                    statistics.samplesWithoutDeviceInfo &+= UInt64(batch.samples.count)
                    return
                }
                let lastTicks = batch.ticks(ofSampleAt: max(0, batch.samples.count - 1))
                aligner.observe(deviceTime: scale.seconds(ticks: lastTicks), receiveTime: host)
                batch.samples.withUnsafeBufferPointer { raw in
                    for i in raw.indices {
                        var t = aligner.hostTime(forDeviceTime: scale.seconds(ticks: batch.ticks(ofSampleAt: i)))
                        if t < lastSampleTime { t = lastSampleTime }
                        fuse(scale.sample(raw[i], time: t), index: index, into: &fused)
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

    /// Fuses one host-timed sample (unless a `FusionStage` will) and appends the result to `fused`.
    @inline(__always)
    func fuse(_ sample: ImuSample, index: Int, into fused: inout [SessionSample]) {
        lastSampleTime = sample.time
        let q = fusesInline ? filter.update(sample) : .identity
        fused.append(SessionSample(sensor: index, placement: descriptor.placement, sample: sample, orientation: q))
    }

    /// Adds the decoder's counters since the last call to `statistics`.
    func updateStatistics() {
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
    func restartStream(clock: SensorClockAligner.Settings) {
        updateStatistics()
        decoder = FrameDecoder()
        countedDecoder = FrameDecoderCounters()
        aligner = SensorClockAligner(settings: clock)
    }
}
