import LumbarProtocol
import Dispatch

extension SessionInput {
    /// How `replay` spreads the work.
    public enum ReplayThreads: Sendable, Hashable {
        /// Everything on the calling thread, in batches.
        case one
        /// The per-sensor stage (read, decode, align, fuse) on a worker thread, the merge stage (merge,
        /// motion analysis, outputs) on the calling thread: about twice as fast on two cores.
        case two
    }

    /// Samples per batch handed from the per-sensor stage to the merge stage.
    static let replayBatchSamples = 4096
    /// Batches in flight between the stages (bounds memory: streamed, whatever the input's length).
    static let replayBatchCount = 4

    /// Replays the whole input as fast as possible into `pipeline` (then call `pipeline.finish`).
    ///
    /// The outputs get exactly what calling `step` in a loop gives them, bit for bit, whichever
    /// `threads` is chosen: the per-sensor stage depends only on the input, and the merge stage applies
    /// its results in input order (`StagedBatch`). Do not touch `pipeline` from elsewhere meanwhile.
    ///
    /// ```swift
    /// try input.replay(into: pipeline, output: &exporter) { fraction in bar.progress(fraction) }
    /// pipeline.finish(into: &exporter)
    /// ```
    ///
    /// - Parameters:
    ///   - pipeline: a fresh pipeline.
    ///   - output: receives the samples and events, on the calling thread.
    ///   - threads: `.two` (the default) or `.one`.
    ///   - progress: called on the calling thread after each batch with the fraction of the input read, 0…1.
    /// - Throws: `SessionInputError` for a read error or a malformed CSV row, after everything before it
    ///   was delivered.
    public func replay<Output: SessionOutput>(
        into pipeline: SessionPipeline, output: inout Output, threads: ReplayThreads = .two,
        progress: (Double) -> Void = { _ in }
    ) throws(SessionInputError) {
        switch threads {
        case .one:
            let batch = StagedBatch(sampleCapacity: Self.replayBatchSamples + SampleBatch.maximumSampleCount)
            while true {
                fill(batch, stages: pipeline.stages)
                pipeline.apply(batch, into: &output)
                progress(batch.progress)
                if let error = batch.error { throw error }
                if batch.isLast { return }
                batch.removeAll()
            }
        case .two:
            let handoff = BatchHandoff(count: Self.replayBatchCount, sampleCapacity: Self.replayBatchSamples)
            let worker = UncheckedSendable((self, pipeline.stages, handoff))
            DispatchQueue.global().async {
                let (input, stages, handoff) = worker.value
                var i = 0
                while true {
                    handoff.free.wait()
                    let batch = handoff.batches[i % handoff.batches.count]
                    batch.removeAll()
                    input.fill(batch, stages: stages)
                    let last = batch.isLast
                    handoff.full.signal()
                    if last { break }
                    i += 1
                }
                handoff.done.signal()
            }
            defer { handoff.done.wait() }
            var i = 0
            while true {
                handoff.full.wait()
                let batch = handoff.batches[i % handoff.batches.count]
                pipeline.apply(batch, into: &output)
                progress(batch.progress)
                let (last, error) = (batch.isLast, batch.error)
                handoff.free.signal()
                if let error { throw error }
                if last { return }
                i += 1
            }
        }
    }

    /// Runs input steps through the per-sensor stage into `batch` until it holds a batch's worth of
    /// samples or steps, or the input ends (`isLast`, and `error` when reading failed).
    private func fill(_ batch: StagedBatch, stages: SensorStages) {
        do {
            while batch.samples.count < Self.replayBatchSamples && batch.marks.count < Self.replayBatchSamples {
                if try step(into: stages, batch: batch) == nil {
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

/// The batches between the two stages of a replay and the semaphores that pass them back and forth:
/// `full` counts batches ready for the merge stage, `free` batches ready to be filled again.
private final class BatchHandoff: @unchecked Sendable {
    let batches: [StagedBatch]
    let free: DispatchSemaphore
    let full = DispatchSemaphore(value: 0)
    /// Signalled when the worker has let go of everything.
    let done = DispatchSemaphore(value: 0)

    init(count: Int, sampleCapacity: Int) {
        batches = (0..<count).map { _ in StagedBatch(sampleCapacity: sampleCapacity + SampleBatch.maximumSampleCount) }
        free = DispatchSemaphore(value: count)
    }
}

/// Hands values to the replay's worker thread; safe because the semaphores order every access.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
