import LumbarCore
import LumbarFusion
import LumbarSession

/// The orientation filters of all sensors as a stage of its own: fuses the samples of a `StagedBatch`
/// in place, in batch order (each sensor's samples in the order they came), so it can run on its own
/// thread between decoding and merging (`ParallelReplay`, three threads) with exactly the result
/// of fusing inline (`SensorChannel.fuse`): same filter, same samples, same order.
struct FusionStage {
    let settings: OrientationFilter.Settings
    /// One filter per sensor index, created at the sensor's first sample (as a channel creates its
    /// filter when the sensor first connects, and keeps it across reconnections).
    private var filters: [OrientationFilter] = []

    init(settings: OrientationFilter.Settings) {
        self.settings = settings
    }

    /// Sets the orientation of every sample in `batch`.
    mutating func fuse(_ batch: StagedBatch) {
        batch.samples.withUnsafeMutableBufferPointer { samples in
            for i in samples.indices {
                let sensor = samples[i].sensor
                if sensor >= filters.count {
                    let missing = sensor + 1 - filters.count
                    filters.append(contentsOf: repeatElement(OrientationFilter(settings: settings), count: missing))
                }
                var device = samples[i].sample
                device.time = samples[i].deviceTime
                samples[i].orientation = filters[sensor].update(device)
            }
        }
    }
}
