/// The device's heartbeat (packet 0x03): battery, temperature, drops and faults, about once a second.
///
/// Quantities a device cannot measure are `nil` here and a reserved value on the wire (PROTOCOL.md).
public struct DeviceStatus: Sendable, Hashable {
    /// Device clock when the status was taken, ticks.
    public var timestamp: UInt64
    /// Battery voltage, millivolts; `nil` if unknown (0xFFFF on the wire).
    public var batteryMillivolts: UInt16?
    /// Battery charge, percent 0…100; `nil` if unknown (0xFF on the wire).
    public var batteryPercent: UInt8?
    /// Whether the device is streaming sample batches.
    public var isStreaming: Bool
    /// Device (IMU die) temperature, hundredths of a degree Celsius; `nil` if unknown (-32768 on the wire).
    public var temperatureCentidegrees: Int16?
    /// Samples the device produced but could not send since power-up (FIFO or transmit overflow), mod 2^32.
    public var samplesDropped: UInt32
    /// Faults currently present.
    public var errors: ErrorFlags

    public init(
        timestamp: UInt64,
        batteryMillivolts: UInt16?,
        batteryPercent: UInt8?,
        isStreaming: Bool,
        temperatureCentidegrees: Int16?,
        samplesDropped: UInt32,
        errors: ErrorFlags
    ) {
        self.timestamp = timestamp
        self.batteryMillivolts = batteryMillivolts
        self.batteryPercent = batteryPercent
        self.isStreaming = isStreaming
        self.temperatureCentidegrees = temperatureCentidegrees
        self.samplesDropped = samplesDropped
        self.errors = errors
    }

    /// Temperature in degrees Celsius, if known.
    public var temperatureCelsius: Float? { temperatureCentidegrees.map { Float($0) / 100 } }

    /// Device fault bits (32 on the wire; bits this version does not name are kept in `rawValue`).
    public struct ErrorFlags: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// The IMU does not answer or reports a wrong identity.
        public static let imuFault = ErrorFlags(rawValue: 1 << 0)
        /// The IMU's FIFO overflowed since the last status (samples were lost on the device).
        public static let fifoOverflow = ErrorFlags(rawValue: 1 << 1)
        /// The battery is low; the device will shut down soon.
        public static let batteryLow = ErrorFlags(rawValue: 1 << 2)
        /// The transmit buffer overflowed since the last status (frames were not sent).
        public static let transmitOverflow = ErrorFlags(rawValue: 1 << 3)
        /// The sample clock is not running from its reference (timestamps are less accurate).
        public static let clockFault = ErrorFlags(rawValue: 1 << 4)
    }
}
