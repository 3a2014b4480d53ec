/// Running totals of one decoder (one byte stream). All counts since the decoder was created.
public struct FrameDecoderCounters: Sendable, Hashable {
    /// Bytes fed.
    public var bytes: UInt64 = 0
    /// Frames that decoded into packets.
    public var frames: UInt64 = 0
    /// Frames dropped because their CRC did not match.
    public var crcFailures: UInt64 = 0
    /// Frames dropped because they exceeded the maximum frame length.
    public var oversizeFrames: UInt64 = 0
    /// Intact frames skipped because of an unknown packet type.
    public var unknownPacketTypes: UInt64 = 0
    /// Frames dropped for bad COBS, too few bytes, another protocol version or a malformed payload.
    public var malformedFrames: UInt64 = 0
    /// Forward jumps in the sample sequence.
    public var sequenceGaps: UInt64 = 0
    /// Samples lost according to the sequence numbers.
    public var lostSamples: UInt64 = 0
    /// Backward jumps in the sample sequence (device restarts).
    public var sequenceRestarts: UInt64 = 0
    /// Samples delivered in sample batches.
    public var samples: UInt64 = 0

    public init() {}

    /// All frames dropped for any reason.
    public var droppedFrames: UInt64 { crcFailures + oversizeFrames + unknownPacketTypes + malformedFrames }
}
