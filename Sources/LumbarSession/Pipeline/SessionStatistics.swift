import LumbarProtocol

/// What one sensor's stream looked like: for the terminal status line, the daemon's summary and replay.
public struct SensorStatistics: Sendable, Hashable {
    /// Bytes received.
    public var bytes: UInt64 = 0
    /// Frames that decoded into packets.
    public var packets: UInt64 = 0
    /// Frames dropped for a CRC mismatch.
    public var crcErrors: UInt64 = 0
    /// Frames dropped for any other reason (framing, oversize, unknown type, malformed payload).
    public var otherDroppedFrames: UInt64 = 0
    /// Samples lost according to the sequence numbers.
    public var lostSamples: UInt64 = 0
    /// Samples fused and released to the analysis.
    public var samples: UInt64 = 0
    /// Samples that arrived before any device-info packet (no scale known) and were skipped.
    public var samplesWithoutDeviceInfo: UInt64 = 0
    /// Times the sensor was lost (unplugged or silent).
    public var losses: Int = 0
    /// Times the device clock jumped and alignment restarted.
    public var clockResyncs: Int = 0
    /// Current clock-rate difference to the host, parts per million.
    public var clockDriftPPM: Double = 0
    /// Nominal sample rate from the device info, Hz (0 until known; measured for CSV input).
    public var sampleRate: Double = 0
    /// The device's latest status packet (battery, temperature, device-side drops and faults); nil until
    /// one arrives (sensors send one about every second; CSV input never does). Kept across reconnections.
    public var deviceStatus: DeviceStatus?

    public init() {}
}

/// Totals of a session.
public struct SessionStatistics: Sendable, Hashable {
    /// Per sensor, indexed like `SessionPipeline.sensors`.
    public var sensors: [SensorStatistics] = []
    /// Samples released to the analysis, all sensors.
    public var samples: UInt64 = 0
    /// Session time of the last released sample, s.
    public var duration: Double = 0

    public init() {}
}
