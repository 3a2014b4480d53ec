/// One six-axis IMU reading in physical units, stamped on a clock in seconds.
///
/// Which clock `time` is on depends on the stage: device time straight out of a decoder,
/// session time (seconds since the session's first sample) after clock alignment or CSV import.
/// 32 bytes, no references: samples flow through the pipeline without allocation.
@frozen
public struct ImuSample: Sendable, Hashable {
    /// Timestamp, seconds.
    public var time: Double
    /// Specific force in the sensor frame, units of g (about +1 g on the axis pointing up at rest).
    public var accelerometer: Vector3
    /// Angular velocity in the sensor frame, degrees per second (right-handed).
    public var gyroscope: Vector3

    @inlinable
    public init(time: Double, accelerometer: Vector3, gyroscope: Vector3) {
        self.time = time
        self.accelerometer = accelerometer
        self.gyroscope = gyroscope
    }
}
