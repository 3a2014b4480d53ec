import LumbarCore
import LumbarFusion

/// The orientation filters of all sensors: turns stamped samples into fused ones, one filter per sensor
/// index, created at the sensor's first sample and kept across reconnections (a reconnection restarts the
/// byte stream and clock alignment, not the sensor's orientation).
///
/// The pipeline runs it inline (`SessionPipeline`); the replay on three threads runs one on a thread of
/// its own between decoding and merging (`ParallelReplay`). A filter depends only on its sensor's samples,
/// in the order they came, so either way gives the same orientations, bit for bit.
package struct SensorFusion {
    package let settings: OrientationFilter.Settings
    private var filters: [OrientationFilter] = []

    package init(settings: OrientationFilter.Settings) {
        self.settings = settings
    }

    /// The fused sample: the filter of `s.sensor` stepped by the sensor's own clock (`deviceTime`), never
    /// by the session time, which comes from an estimate of the clock offset that moves as frames arrive.
    @inline(__always)
    package mutating func fuse(_ s: StampedSample) -> SessionSample {
        if s.sensor >= filters.count {
            filters.append(contentsOf: repeatElement(OrientationFilter(settings: settings), count: s.sensor + 1 - filters.count))
        }
        var device = s.sample
        device.time = s.deviceTime
        let q = filters[s.sensor].update(device)
        return SessionSample(sensor: s.sensor, placement: s.placement, sample: s.sample, orientation: q, deviceTime: s.deviceTime)
    }
}
