import LumbarProtocol

extension SessionInput {
    /// Samples per batch handed from the per-sensor stage to the merge stage.
    package static let replayBatchSamples = 4096

    /// Replays the whole input as fast as possible into `pipeline` (then call `pipeline.finish`), on the
    /// calling thread, in batches: the outputs get exactly what calling `step` in a loop gives them, bit for
    /// bit. (`ParallelReplay` in LumbarReplay drives the same stages on two or three threads.)
    ///
    /// ```swift
    /// try input.replay(into: pipeline, output: &exporter) { fraction in bar.progress(fraction) }
    /// pipeline.finish(into: &exporter)
    /// ```
    ///
    /// - Parameters:
    ///   - pipeline: a fresh pipeline.
    ///   - output: receives the samples and events.
    ///   - progress: called after each batch with the fraction of the input read, 0…1.
    /// - Throws: `SessionInputError` for a read error or a malformed CSV row, after everything before it
    ///   was delivered.
    // Exported specialisation for the exporter (`lumbar export`, the replay benchmark): without
    // `-cross-module-optimization` (an unsafe flag) a client cannot specialise this generic itself, and
    // the unspecialised per-sample path is several times slower.
    @_specialize(exported: true, where Output == SessionExporter)
    public func replay<Output: SessionOutput>(
        into pipeline: SessionPipeline, output: inout Output, progress: (Double) -> Void = { _ in }
    ) throws(SessionInputError) {
        let batch = StagedBatch(sampleCapacity: Self.replayBatchSamples + SampleBatch.maximumSampleCount)
        while true {
            fill(batch, stages: pipeline.stages)
            pipeline.apply(batch, into: &output)
            progress(batch.progress)
            if let error = batch.error { throw error }
            if batch.isLast { return }
            batch.removeAll()
        }
    }

    /// Runs input steps through the per-sensor stage into `batch` until it holds a batch's worth of
    /// samples or steps, or the input ends (`isLast`, and `error` when reading failed).
    package func fill(_ batch: StagedBatch, stages: SensorStages) {
        do {
            while batch.samples.count < Self.replayBatchSamples && batch.marks.count < Self.replayBatchSamples {
                if try step(into: stages, batch: batch) == nil {
                    // Samples still held for clock alignment go through this thread's stages too.
                    stages.flushPending(into: batch)
                    batch.isLast = true
                    break
                }
            }
        } catch {
            batch.error = error
            batch.isLast = true
        }
        batch.progress = progress
    }
}
