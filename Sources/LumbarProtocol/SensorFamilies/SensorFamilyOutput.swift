import LumbarCore

/// What a sensor-family decoder reports, in stream order.
///
/// Samples are in Lumbar's units (g, deg/s) on the family's clock in seconds: device time for x-IMU3 and
/// text lines, the modelled host receive clock for WitMotion (see `ReceiveClock`). Only the rare status
/// messages carry strings (and allocate); the per-sample path does not.
public enum SensorFamilyOutput: Sendable, Equatable {
    /// One six-axis reading.
    case sample(ImuSample)
    /// x-IMU3 battery message: charge in percent, voltage in volts, charging status (0 not connected,
    /// 1 charging, 2 complete, 3 on hold), stamped in device seconds.
    case battery(time: Double, percent: Float, volts: Float, chargingStatus: Float)
    /// Sensor temperature in °C, stamped in the family's clock seconds.
    case temperature(time: Double, celsius: Float)
    /// x-IMU3 notification message (a system event such as "Button pressed.").
    case notification(time: Double, text: String)
    /// x-IMU3 error message (such as "Battery empty.").
    case deviceError(time: Double, text: String)
}
