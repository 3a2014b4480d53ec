import LumbarCore

/// One simulated sensor: where it is strapped, how it is mounted, its clock, its IMU errors and its link.
public struct SensorScript: Sendable {
    /// Where on the body the sensor is strapped at the start of the session (`.lumbar`, `.leftAnkle`, `.rightAnkle`).
    public var site: SensorPlacement
    /// What the firmware reports in its device info (often the same as `site`, or `.unassigned`).
    public var reportedPlacement: SensorPlacement
    /// The device's name in logs and configs (its `deviceID` defaults to a 64-bit hash of it).
    public var serial: String
    /// The factory-unique 64-bit id the device reports (FNV-1a of `serial` unless set).
    public var deviceID: UInt64
    /// Nominal output data rate on the device's own clock, Hz (the period is rounded to whole ticks).
    public var sampleRateHz: Double = 400
    /// Sensor → segment rotation (how the strap holds it). nil: a uniformly random rotation from the seed.
    public var mounting: Quaternion?
    /// Device clock reading at true session time 0, s (the device's uptime when the session started).
    public var clockOffsetSeconds: Double = 0
    /// Device clock rate error, parts per million (positive: the device clock runs fast).
    public var clockDriftPPM: Double = 0
    /// The IMU's errors and ranges.
    public var imu: ImuErrorModel = .typical
    /// Samples per sample-batch packet (at most `SampleBatch.maximumSampleCount`; more are capped to it).
    public var batchSize: Int = 8
    /// Probability that a sample-batch packet is lost on the link (independently per packet).
    public var packetLossProbability: Double = 0
    /// Intervals of true session time during which the sensor delivers nothing (unplugged, USB hiccup).
    /// The device keeps sampling and counting; device info is sent again when it comes back.
    public var dropouts: [SimulatedInterval] = []
    /// USB latency from the end of a batch to its arrival at the host, s (uniform in this range).
    public var usbLatencySeconds: ClosedRange<Double> = 0.001...0.004

    public init(site: SensorPlacement, serial: String, sampleRateHz: Double = 400, mounting: Quaternion? = nil) {
        precondition(site != .unassigned, "SensorScript.init: 'site' must be lumbar, left_ankle or right_ankle")
        self.site = site
        self.reportedPlacement = site
        self.serial = serial
        self.deviceID = FNV1a.hash64(serial.utf8)
        self.sampleRateHz = sampleRateHz
        self.mounting = mounting
    }
}

/// An interval of true session time, s.
public struct SimulatedInterval: Sendable, Hashable {
    public var start: Double
    public var end: Double

    public init(start: Double, end: Double) {
        self.start = start
        self.end = end
    }

    public var duration: Double { end - start }

    /// True when `t` lies in [start, end).
    public func contains(_ t: Double) -> Bool { t >= start && t < end }
}

/// The measurement errors and ranges of a 6-axis MEMS IMU.
///
/// | name | unit | typical |
/// |---|---|---|
/// | accelFullScaleG | g | 8 |
/// | gyroFullScaleDps | deg/s | 2000 |
/// | accelNoiseG | g rms per sample | 0.002 |
/// | gyroNoiseDps | deg/s rms per sample | 0.07 |
/// | accelBiasG | g, max per axis (drawn per sensor) | 0.02 |
/// | gyroBiasDps | deg/s, max per axis (drawn per sensor) | 1.0 |
/// | gyroBiasDriftDpsPerRootSecond | deg/s/√s random walk | 0.003 |
/// | scaleError | relative, max per axis (drawn per sensor) | 0.005 |
///
/// The raw value is `round(value / lsb)` clipped to int16, `lsb = fullScale / 32768`.
public struct ImuErrorModel: Sendable, Hashable {
    public var accelFullScaleG: Double
    public var gyroFullScaleDps: Double
    public var accelNoiseG: Double
    public var gyroNoiseDps: Double
    public var accelBiasG: Double
    public var gyroBiasDps: Double
    public var gyroBiasDriftDpsPerRootSecond: Double
    public var scaleError: Double

    public init(
        accelFullScaleG: Double, gyroFullScaleDps: Double, accelNoiseG: Double, gyroNoiseDps: Double,
        accelBiasG: Double, gyroBiasDps: Double, gyroBiasDriftDpsPerRootSecond: Double, scaleError: Double
    ) {
        self.accelFullScaleG = accelFullScaleG
        self.gyroFullScaleDps = gyroFullScaleDps
        self.accelNoiseG = accelNoiseG
        self.gyroNoiseDps = gyroNoiseDps
        self.accelBiasG = accelBiasG
        self.gyroBiasDps = gyroBiasDps
        self.gyroBiasDriftDpsPerRootSecond = gyroBiasDriftDpsPerRootSecond
        self.scaleError = scaleError
    }

    /// A consumer-grade IMU (LSM6DSO / BMI270 class) at ±8 g and ±2000 deg/s.
    public static let typical = ImuErrorModel(
        accelFullScaleG: 8, gyroFullScaleDps: 2000, accelNoiseG: 0.002, gyroNoiseDps: 0.07, accelBiasG: 0.02,
        gyroBiasDps: 1.0, gyroBiasDriftDpsPerRootSecond: 0.003, scaleError: 0.005)
    /// No noise, bias, drift or scale error: only quantisation and clipping remain.
    public static let ideal = ImuErrorModel(
        accelFullScaleG: 8, gyroFullScaleDps: 2000, accelNoiseG: 0, gyroNoiseDps: 0, accelBiasG: 0,
        gyroBiasDps: 0, gyroBiasDriftDpsPerRootSecond: 0, scaleError: 0)

    /// Accelerometer value of one count, g.
    public var accelLSB: Double { accelFullScaleG / 32768 }
    /// Gyroscope value of one count, deg/s.
    public var gyroLSB: Double { gyroFullScaleDps / 32768 }
}
