import LumbarProtocol

/// A fault a sensor reports in its status packet (PROTOCOL.md §5.3 `error_flags`), named for people and
/// for the dashboard's JSON.
public enum DeviceFault: String, Sendable, Hashable, CaseIterable {
    /// The IMU does not answer or reports a wrong identity (bit 0).
    case imuFault = "imu_fault"
    /// The IMU's FIFO overflowed since the last status: samples were lost on the device (bit 1).
    case fifoOverflow = "fifo_overflow"
    /// The battery is low; the sensor will shut down soon (bit 2).
    case batteryLow = "battery_low"
    /// The transmit buffer overflowed since the last status: frames were not sent (bit 3).
    case transmitOverflow = "transmit_overflow"
    /// The timestamp clock is not running from its reference (bit 4).
    case clockFault = "clock_fault"

    /// The protocol's flag for this fault.
    var flag: DeviceStatus.ErrorFlags {
        switch self {
        case .imuFault: .imuFault
        case .fifoOverflow: .fifoOverflow
        case .batteryLow: .batteryLow
        case .transmitOverflow: .transmitOverflow
        case .clockFault: .clockFault
        }
    }

    /// The faults named in `flags`, in bit order (bits this version does not name are left out).
    public static func faults(in flags: DeviceStatus.ErrorFlags) -> [DeviceFault] {
        allCases.filter { flags.contains($0.flag) }
    }
}

extension SensorStatus {
    /// Takes battery, temperature, device-side drops and faults from the sensor's latest status packet;
    /// nil (no status yet) leaves them unknown.
    public mutating func update(from status: DeviceStatus?) {
        batteryPercent = status?.batteryPercent.map { Float(min($0, 100)) }
        batteryMillivolts = status?.batteryMillivolts.map(Int.init)
        temperatureCelsius = status?.temperatureCelsius
        deviceFaults = status.map { DeviceFault.faults(in: $0.errors) } ?? []
        deviceDroppedSamples = status?.samplesDropped
    }
}
