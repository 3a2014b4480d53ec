/// Running totals of one sensor-family decoder (one byte stream), since the decoder was created.
///
/// Every byte fed ends up either in a recognised message or in `skippedBytes`, so a port that talks
/// garbage (wrong baud rate, wrong family) shows up as a growing skip count rather than silence.
public struct SensorFamilyCounters: Sendable, Hashable {
    /// Bytes fed.
    public var bytes: UInt64 = 0
    /// Messages (lines, packets) recognised and used or deliberately ignored (e.g. x-IMU3 quaternions).
    public var messages: UInt64 = 0
    /// Samples delivered.
    public var samples: UInt64 = 0
    /// Bytes thrown away while resynchronising: garbage, bad checksums, malformed or oversize messages.
    public var skippedBytes: UInt64 = 0
    /// Messages dropped because their checksum did not match (WitMotion).
    public var checksumFailures: UInt64 = 0
    /// Messages dropped because they did not parse (wrong length, bad number, bad escape, bad header).
    public var malformedMessages: UInt64 = 0
    /// Messages dropped because they exceeded the decoder's message buffer.
    public var oversizeMessages: UInt64 = 0
    /// Samples lost according to the family's own evidence (WitMotion: gaps in the receive clock;
    /// WitMotion: an acceleration packet whose angular-velocity partner never came).
    public var lostSamples: UInt64 = 0

    public init() {}
}
