import LumbarCore
import LumbarProtocol

/// One packet a simulated sensor sends to the host (a `LumbarProtocol.Packet`), with its true arrival time
/// and, for sample batches, the truth behind it.
public struct SimulatedPacket: Sendable {
    /// Index into the script's (and the session's) sensors.
    public var sensorIndex: Int
    /// When the packet reaches the host, true session time, s (end of its batch plus USB latency).
    public var arrivalTime: Double
    /// The packet as the firmware sends it: `.deviceInfo`, `.sampleBatch` or `.status`.
    public var packet: Packet
    /// For sample batches: the decoded samples and their truth.
    public var batchTruth: SimulatedBatchTruth?

    /// The packet as one wire frame (COBS, CRC-32C, 0x00 delimiter), appended to `output`.
    public func encode(with encoder: inout FrameEncoder, into output: inout [UInt8]) {
        encoder.encode(packet, into: &output)
    }

    /// The packet as one wire frame (allocates; prefer `encode(with:into:)` in loops).
    public var frame: [UInt8] { FrameEncoder.frame(packet) }
}

/// What lies behind one sample batch.
public struct SimulatedBatchTruth: Sendable {
    /// Device sample counter of the first sample (the batch's `sequence` before the mod 2³² wrap).
    public var firstSampleIndex: Int
    /// The batch's samples decoded exactly as a host decodes them (device time s, g, deg/s).
    public var samples: [ImuSample]
    /// True session time of each sample, s.
    public var trueTimes: [Double]
    /// True sensor → earth orientation at each sample (earth Z up, X the person's initial forward).
    public var trueOrientations: [Quaternion]
}

extension RawImuSample {
    /// True when any axis sits at the int16 limits (the reading was clipped).
    public var isSaturated: Bool { accelerometer.isSaturated || gyroscope.isSaturated }
}

extension RawVector3 {
    /// True when any axis sits at the int16 limits.
    public var isSaturated: Bool {
        x == .max || x == .min || y == .max || y == .min || z == .max || z == .min
    }
}
