/// N consecutive IMU samples taken at a fixed period (packet 0x02).
///
/// Sample `i` was taken at device tick `timestamp + i * samplePeriod`. `sequence` counts samples (not
/// batches) since power-up, modulo 2^32, so a receiver sees exactly how many samples it missed.
public struct SampleBatch: Sendable, Hashable {
    /// Sequence number of the first sample: samples the device has produced since power-up, mod 2^32.
    public var sequence: UInt32
    /// Device clock at the first sample, ticks (`DeviceInfo.tickFrequency` per second).
    public var timestamp: UInt64
    /// Time between consecutive samples of this batch, ticks (the IMU's measured output period).
    public var samplePeriod: UInt32
    /// Whether any sample of this batch clipped at the sensor's full scale.
    public var flags: Flags
    /// The samples, raw counts (`DeviceInfo.accelerometerSensitivity` etc. convert them).
    public var samples: [RawImuSample]

    /// Most samples one batch can carry within `WireFormat.maximumFrameLength`.
    public static let maximumSampleCount = (WireFormat.maximumPayloadLength - headerLength) / RawImuSample.wireLength
    /// Bytes of the batch payload before the samples.
    static let headerLength = 18

    public init(sequence: UInt32, timestamp: UInt64, samplePeriod: UInt32, flags: Flags = [], samples: [RawImuSample]) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.samplePeriod = samplePeriod
        self.flags = flags
        self.samples = samples
    }

    /// Sequence number expected for the first sample of the next batch (wraps at 2^32).
    public var nextSequence: UInt32 { sequence &+ UInt32(truncatingIfNeeded: samples.count) }

    /// Batch flags (one byte on the wire; unknown bits are ignored by receivers).
    public struct Flags: OptionSet, Sendable, Hashable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// At least one accelerometer axis of at least one sample clipped at full scale.
        public static let accelerometerSaturated = Flags(rawValue: 1 << 0)
        /// At least one gyroscope axis of at least one sample clipped at full scale.
        public static let gyroscopeSaturated = Flags(rawValue: 1 << 1)
    }
}

/// One six-axis sample as the IMU reported it: signed 16-bit counts, 12 bytes on the wire.
@frozen
public struct RawImuSample: Sendable, Hashable {
    /// Accelerometer counts, x y z (× `accelerometerSensitivity` = g).
    public var accelerometer: RawVector3
    /// Gyroscope counts, x y z (× `gyroscopeSensitivity` = deg/s).
    public var gyroscope: RawVector3

    /// Bytes per sample on the wire.
    public static let wireLength = 12

    @inlinable
    public init(accelerometer: RawVector3, gyroscope: RawVector3) {
        self.accelerometer = accelerometer
        self.gyroscope = gyroscope
    }
}

/// Three signed 16-bit counts (x, y, z) in the sensor frame.
@frozen
public struct RawVector3: Sendable, Hashable {
    public var x: Int16
    public var y: Int16
    public var z: Int16

    @inlinable
    public init(_ x: Int16, _ y: Int16, _ z: Int16) {
        self.x = x
        self.y = y
        self.z = z
    }
}
