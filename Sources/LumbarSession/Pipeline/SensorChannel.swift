import LumbarCore
import LumbarFusion
import LumbarProtocol

/// The pipeline's state for one sensor: its byte-stream decoder, clock aligner and orientation filter.
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
    var statistics = SensorStatistics()
    /// Delivering now (connected and not lost).
    var active = true
    /// Host-relative seconds of the last receive (for the silence timeout).
    var lastReceive = -Double.infinity
    /// Host-relative seconds of the last sample pushed (samples of one sensor never go back in time).
    var lastSampleTime = -Double.infinity
    /// Decoder counters already added to `statistics` (the decoder is replaced on reconnection).
    var countedDecoder = FrameDecoderCounters()

    init(descriptor: SensorDescriptor, clock: SensorClockAligner.Settings, fusion: OrientationFilter.Settings) {
        self.descriptor = descriptor
        aligner = SensorClockAligner(settings: clock)
        filter = OrientationFilter(settings: fusion)
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
        let resyncs = statistics.clockResyncs
        statistics.clockResyncs = resyncs
    }
}
