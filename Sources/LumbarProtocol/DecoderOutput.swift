/// One thing the streaming decoder found in the bytes it was fed, in stream order.
public enum DecoderOutput: Sendable, Hashable {
    /// A frame that passed every check.
    case packet(Packet)
    /// A frame that was dropped (and counted); decoding continues at the next delimiter.
    case dropped(FrameError)
    /// The sample batch that follows this output starts later than the previous one ended:
    /// `lostSamples` samples never arrived. Emitted just before that batch's `.packet`.
    case samplesLost(SequenceGap)
    /// The sample batch that follows starts *before* the previous one ended (more than 2^31 samples
    /// "ahead" modulo 2^32): the device restarted its count, e.g. after a reset. Not counted as loss.
    case sequenceRestarted(expected: UInt32, received: UInt32)
}

/// A jump forward in the sample sequence numbers of one sensor.
public struct SequenceGap: Sendable, Hashable {
    /// The sequence number the next sample should have had.
    public var expected: UInt32
    /// The sequence number it had.
    public var received: UInt32
    /// `received - expected` modulo 2^32: samples that were lost, on the device or on the way.
    public var lostSamples: UInt32

    public init(expected: UInt32, received: UInt32, lostSamples: UInt32) {
        self.expected = expected
        self.received = received
        self.lostSamples = lostSamples
    }
}
