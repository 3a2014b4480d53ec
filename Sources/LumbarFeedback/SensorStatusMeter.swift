import LumbarCore
import LumbarSession

/// Turns the pipeline's running per-sensor counters into the dashboard's link status: sample rate and
/// packet loss over the last second or so of session time, and what the sensor's latest status packet
/// says (battery, temperature, device faults).
///
/// A pure value: feed it `SessionPipeline` state between pipeline steps; it answers at most once per
/// `window` of session time (and at once when sensors come or go).
public struct SensorStatusMeter: Sendable {
    /// The span rates and losses are measured over, s of session time.
    public var window: Double
    private var previous: [SensorStatistics] = []
    private var previousTime: Double?
    private var previousActive: [Bool] = []
    /// The latest status, as last returned.
    public private(set) var status: [SensorStatus] = []

    public init(window: Double = 1) {
        precondition(window > 0, "SensorStatusMeter.init: 'window' must be > 0")
        self.window = window
    }

    /// Updates the status when a window has passed or the sensors changed.
    ///
    /// - Parameters:
    ///   - time: session time, s (`SessionPipeline.sessionTime`).
    ///   - sensors: `SessionPipeline.sensors`.
    ///   - statistics: `SessionPipeline.statistics.sensors`, indexed like `sensors`.
    ///   - active: whether each sensor currently delivers (`SessionPipeline.isActive(sensor:)`).
    /// - Returns: the new status, or nil when it did not change.
    public mutating func update(
        time: Double, sensors: [SensorDescriptor], statistics: [SensorStatistics], active: [Bool]
    ) -> [SensorStatus]? {
        let changed = active != previousActive || statistics.count != previous.count
        if !changed, let t0 = previousTime, time - t0 < window, time >= t0 { return nil }
        var result: [SensorStatus] = []
        for (i, d) in sensors.enumerated() where i < statistics.count {
            let now = statistics[i]
            let isActive = i < active.count && active[i]
            var rate = Float(now.sampleRate)
            var loss: Float = 0
            if let t0 = previousTime, time > t0, i < previous.count {
                let samples = now.samples &- previous[i].samples
                let lost = now.lostSamples &- previous[i].lostSamples
                rate = Float(Double(samples) / (time - t0))
                if samples + lost > 0 { loss = Float(100 * Double(lost) / Double(samples + lost)) }
            }
            var status = SensorStatus(
                sensor: d.id, placement: d.placement, connected: isActive, rateHz: isActive ? rate : 0,
                packetLossPercent: loss, batteryPercent: nil)
            status.update(from: now.deviceStatus)
            result.append(status)
        }
        previous = statistics
        previousTime = time
        previousActive = active
        status = result
        return result
    }
}
