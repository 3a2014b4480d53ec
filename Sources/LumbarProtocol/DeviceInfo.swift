import LumbarCore

/// Who a sensor is and how to turn its raw counts and ticks into physical units (packet 0x01).
///
/// Sent by the device after power-up, on connection and in answer to `.requestDeviceInfo`, and again
/// after any command that changed its configuration. A host needs one before it can scale samples.
public struct DeviceInfo: Sendable, Hashable {
    /// Protocol version the firmware implements (1 for this spec).
    public var protocolVersion: UInt8
    /// Firmware version, semantic-versioning style.
    public var firmwareVersion: FirmwareVersion
    /// Factory-unique 64-bit id of the device (e.g. derived from the MCU's unique id). Shown as 16 hex digits.
    public var deviceID: UInt64
    /// Where the firmware believes it is worn; `unassigned` if it does not know (host config decides).
    public var placement: SensorPlacement
    /// Part name of the IMU, e.g. "LSM6DSO" (at most `maximumPartNameLength` UTF-8 bytes on the wire).
    public var imuPartName: String
    /// Accelerometer full scale, ±g (e.g. 2, 4, 8, 16): counts at or beyond ±32767 mean saturation.
    public var accelerometerFullScale: UInt16
    /// Gyroscope full scale, ±deg/s (e.g. 125 … 4000).
    public var gyroscopeFullScale: UInt16
    /// Accelerometer sensitivity, g per count (IEEE-754 binary32 on the wire), e.g. 8/32768 for ±8 g.
    public var accelerometerSensitivity: Float
    /// Gyroscope sensitivity, deg/s per count (binary32), e.g. 0.07 for an LSM6DSO at ±2000 deg/s.
    public var gyroscopeSensitivity: Float
    /// Nominal output data rate, millihertz (208 Hz = 208_000).
    public var sampleRateMillihertz: UInt32
    /// Frequency of the device clock that stamps samples, Hz (1_000_000 = 1 µs ticks; 32768 for an RTC).
    public var tickFrequency: UInt32

    /// Longest IMU part name the wire carries, bytes.
    public static let maximumPartNameLength = 32

    public init(
        protocolVersion: UInt8 = WireFormat.protocolVersion,
        firmwareVersion: FirmwareVersion,
        deviceID: UInt64,
        placement: SensorPlacement,
        imuPartName: String,
        accelerometerFullScale: UInt16,
        gyroscopeFullScale: UInt16,
        accelerometerSensitivity: Float,
        gyroscopeSensitivity: Float,
        sampleRateMillihertz: UInt32,
        tickFrequency: UInt32
    ) {
        self.protocolVersion = protocolVersion
        self.firmwareVersion = firmwareVersion
        self.deviceID = deviceID
        self.placement = placement
        self.imuPartName = imuPartName
        self.accelerometerFullScale = accelerometerFullScale
        self.gyroscopeFullScale = gyroscopeFullScale
        self.accelerometerSensitivity = accelerometerSensitivity
        self.gyroscopeSensitivity = gyroscopeSensitivity
        self.sampleRateMillihertz = sampleRateMillihertz
        self.tickFrequency = tickFrequency
    }

    /// Nominal sample rate, Hz.
    public var sampleRate: Double { Double(sampleRateMillihertz) / 1000 }

    /// The device id as 16 lowercase hex digits, the form used in logs, configs and file names.
    public var deviceIDString: String {
        let digits = String(deviceID, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }

    /// The factors that turn this device's raw samples into `ImuSample`s.
    public var scale: ImuScale {
        ImuScale(
            accelerometerSensitivity: accelerometerSensitivity,
            gyroscopeSensitivity: gyroscopeSensitivity,
            tickFrequency: tickFrequency
        )
    }
}

/// A firmware version, major.minor.patch, one byte each on the wire.
public struct FirmwareVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: UInt8
    public var minor: UInt8
    public var patch: UInt8

    public init(_ major: UInt8, _ minor: UInt8, _ patch: UInt8) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    public var description: String { "\(major).\(minor).\(patch)" }
}

extension SensorPlacement {
    /// The placement's byte on the wire: 0 unassigned, 1 lumbar, 2 left_ankle, 3 right_ankle.
    public var wireCode: UInt8 {
        switch self {
        case .unassigned: 0
        case .lumbar: 1
        case .leftAnkle: 2
        case .rightAnkle: 3
        }
    }

    /// The placement for a wire byte. Codes this version does not know read as `unassigned`
    /// (forward compatibility: the host config then assigns the sensor).
    public init(wireCode: UInt8) {
        switch wireCode {
        case 1: self = .lumbar
        case 2: self = .leftAnkle
        case 3: self = .rightAnkle
        default: self = .unassigned
        }
    }
}
