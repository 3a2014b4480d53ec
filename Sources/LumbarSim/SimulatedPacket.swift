import LumbarCore

/// One packet a simulated sensor sends to the host, with its true arrival time.
public struct SimulatedPacket: Sendable {
    /// Index into the script's (and the session's) sensors.
    public var sensorIndex: Int
    /// When the packet reaches the host, true session time, s (end of its batch plus USB latency).
    public var arrivalTime: Double
    public var payload: Payload

    public enum Payload: Sendable {
        case deviceInfo(SimulatedDeviceInfo)
        case samples(SimulatedSampleBatch)
        case status(SimulatedStatus)
    }
}

/// The device info packet's fields.
public struct SimulatedDeviceInfo: Sendable, Hashable {
    /// Unique device id.
    public var serial: String
    public var firmwareVersion: String
    /// What the firmware believes it is worn on.
    public var placement: SensorPlacement
    public var imuPart: String
    /// Accelerometer full scale, g: one count is `accelFullScaleG / 32768` g.
    public var accelFullScaleG: Double
    /// Gyroscope full scale, deg/s: one count is `gyroFullScaleDps / 32768` deg/s.
    public var gyroFullScaleDps: Double
    /// Output data rate on the device clock, Hz (= 1 / (samplePeriodTicks · tickSeconds)).
    public var sampleRateHz: Double
    /// Sample period in device ticks.
    public var samplePeriodTicks: UInt64
    /// Length of one device timestamp tick, s.
    public var tickSeconds: Double
}

/// Six raw int16 readings of one sample: accelerometer then gyroscope, sensor axes x, y, z.
public struct RawImuCounts: Sendable, Hashable {
    public var ax: Int16
    public var ay: Int16
    public var az: Int16
    public var gx: Int16
    public var gy: Int16
    public var gz: Int16

    public init(ax: Int16, ay: Int16, az: Int16, gx: Int16, gy: Int16, gz: Int16) {
        self.ax = ax
        self.ay = ay
        self.az = az
        self.gx = gx
        self.gy = gy
        self.gz = gz
    }

    /// True when any axis sits at the int16 limits (the reading was clipped).
    public var isSaturated: Bool {
        for c in [ax, ay, az, gx, gy, gz] where c == .max || c == .min { return true }
        return false
    }
}

/// A sample-batch packet: consecutive samples at the device's fixed period.
public struct SimulatedSampleBatch: Sendable {
    /// Batch counter since the device started (wraps at 2³²); a gap means lost batches.
    public var sequence: UInt32
    /// Device sample counter of the first sample (since the device started sampling in this session).
    public var firstSampleIndex: Int
    /// Device timestamp of the first sample, ticks.
    public var firstTimestampTicks: UInt64
    /// Raw readings.
    public var counts: [RawImuCounts]
    /// The same readings in g and deg/s, stamped with device time in s (exactly what a decoder yields).
    public var samples: [ImuSample]
    /// True session time of each sample, s.
    public var trueTimes: [Double]
    /// True sensor → earth orientation at each sample (earth Z up, X the person's initial forward).
    public var trueOrientations: [Quaternion]
    /// True when any reading in the batch was clipped.
    public var saturated: Bool
}

/// A status/heartbeat packet (once a second of device time).
public struct SimulatedStatus: Sendable, Hashable {
    public var batteryPercent: Int
    public var temperatureCelsius: Double
    /// Samples the device itself dropped (always 0: losses happen on the link).
    public var samplesDroppedOnDevice: UInt32
    public var errorFlags: UInt16
    /// Device time of the heartbeat, ticks.
    public var timestampTicks: UInt64
}
