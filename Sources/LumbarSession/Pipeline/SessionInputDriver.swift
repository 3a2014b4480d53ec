import LumbarCore

/// What an input file's records are fed to (`SessionInput.step(into:)`): the pipeline on the calling
/// thread (`PipelineInputDriver`), or a replay that stages the per-sensor stage's results for other
/// threads (`ParallelReplay` in LumbarReplay). The methods mirror `SessionPipeline`'s inputs.
package protocol SessionInputDriver {
    /// A sensor (re)connected at host time `receiveTime` (ns). - Returns: its pipeline index.
    mutating func connect(_ sensor: SensorDescriptor, at receiveTime: Int64) -> Int
    /// Bytes of sensor `index` read at host time `receiveTime` (ns).
    mutating func receive(_ bytes: UnsafeRawBufferPointer, from index: Int, at receiveTime: Int64)
    /// An already-timed sample of sensor `index` (CSV, x-IMU3 logged data).
    mutating func receive(timed sample: ImuSample, from index: Int)
    /// Sensor `index` was lost for `reason` at host time `receiveTime` (ns).
    mutating func lose(sensor index: Int, reason: SensorLossReason, at receiveTime: Int64)
}

/// Feeds the input straight to a pipeline and its output, on the calling thread.
struct PipelineInputDriver<Output: SessionOutput>: SessionInputDriver {
    let pipeline: SessionPipeline
    /// The caller's output, valid for the driver's lifetime (`withUnsafeMutablePointer` around it): no copy.
    let output: UnsafeMutablePointer<Output>

    @inline(__always)
    func connect(_ sensor: SensorDescriptor, at receiveTime: Int64) -> Int {
        pipeline.connect(sensor, at: receiveTime, into: &output.pointee)
    }

    @inline(__always)
    func receive(_ bytes: UnsafeRawBufferPointer, from index: Int, at receiveTime: Int64) {
        pipeline.receive(bytes, from: index, at: receiveTime, into: &output.pointee)
    }

    @inline(__always)
    func receive(timed sample: ImuSample, from index: Int) {
        pipeline.receive(timed: sample, from: index, into: &output.pointee)
    }

    @inline(__always)
    func lose(sensor index: Int, reason: SensorLossReason, at receiveTime: Int64) {
        pipeline.lose(sensor: index, reason: reason, at: receiveTime, into: &output.pointee)
    }
}
