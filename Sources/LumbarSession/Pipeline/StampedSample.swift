import LumbarCore

/// One sample of one sensor on the session clock, not fused yet: what the per-sensor stage's decoding and
/// clock alignment produce (`SensorChannel`) and fusion turns into a `SessionSample` (`SensorFusion`).
/// A type of its own so that no sample ever carries an orientation it does not have yet.
@frozen
package struct StampedSample: Sendable, Hashable {
    /// Index of the sensor in `SessionPipeline.sensors`.
    package var sensor: Int
    /// Where that sensor is worn.
    package var placement: SensorPlacement
    /// The sample; `sample.time` is session-clock seconds (before the session's origin is taken off).
    package var sample: ImuSample
    /// The sample's time on the sensor's own clock, s: what the orientation filter steps by.
    package var deviceTime: Double

    @inlinable
    package init(sensor: Int, placement: SensorPlacement, sample: ImuSample, deviceTime: Double) {
        self.sensor = sensor
        self.placement = placement
        self.sample = sample
        self.deviceTime = deviceTime
    }
}
