import LumbarProtocol
import Dispatch

extension SessionInput {
    /// How `replay` spreads the work.
    public enum ReplayThreads: Sendable, Hashable {
        /// Everything on the calling thread, in batches.
        case one
        /// The per-sensor stage (read, decode, align, fuse) on a worker thread, the merge stage (merge,
        /// motion analysis, outputs) on the calling thread.
        case two
        /// Read, decode and align on one worker, fuse on another, merge on the calling thread: the work
        /// splits into three similar parts, so two cores stay busy (the default).
        case three
    }

    /// Samples per batch handed from the per-sensor stage to the merge stage.
    static let replayBatchSamples = 4096
    /// Batches in flight between the stages (bounds memory: streamed, whatever the input's length).
    static let replayBatchCount = 16

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
    ///   - threads: `.three` (the default), `.two` or `.one`.
    ///   - progress: called on the calling thread after each batch with the fraction of the input read, 0…1.
    /// - Throws: `SessionInputError` for a read error or a malformed CSV row, after everything before it
    ///   was delivered.
    public func replay<Output: SessionOutput>(
        into pipeline: SessionPipeline, output: inout Output, threads: ReplayThreads = .three,
        progress: (Double) -> Void = { _ in }
    ) throws(SessionInputError) {
        switch threads {
        case .one:
            let start = WorkerThread.cpuSeconds
            defer { replayStageCPUSeconds = [WorkerThread.cpuSeconds - start] }
            let batch = StagedBatch(sampleCapacity: Self.replayBatchSamples + SampleBatch.maximumSampleCount)
            while true {
                fill(batch, stages: pipeline.stages)
                pipeline.apply(batch, into: &output)
                progress(batch.progress)
                if let error = batch.error { throw error }
                if batch.isLast { return }
                batch.removeAll()
            }
        case .two, .three:
            let fusing = threads == .three
            let handoff = BatchHandoff(
                count: Self.replayBatchCount, stages: fusing ? 3 : 2, sampleCapacity: Self.replayBatchSamples)
            pipeline.stages.fusesInline = !fusing
            let start = WorkerThread.cpuSeconds
            defer {
                for _ in 1..<handoff.ready.count { handoff.done.wait() }
                pipeline.stages.fusesInline = true
                handoff.cpuSeconds[handoff.ready.count - 1] = WorkerThread.cpuSeconds - start
                replayStageCPUSeconds = Array(handoff.cpuSeconds)
            }
            let reader = UncheckedSendable((self, pipeline.stages, handoff))
            WorkerThread.start {
                let (input, stages, handoff) = reader.value
                handoff.run(stage: 0) { batch in
                    batch.removeAll()
                    input.fill(batch, stages: stages)
                }
            }
            if fusing {
                let fuser = UncheckedSendable((FusionStage(settings: pipeline.stages.fusion), handoff))
                WorkerThread.start {
                    var (fusion, handoff) = fuser.value
                    handoff.run(stage: 1) { batch in fusion.fuse(batch) }
                }
            }
            let last = handoff.ready.count - 1
            var i = 0
            while true {
                handoff.ready[last].wait()
                let batch = handoff.batches[i % handoff.batches.count]
                pipeline.apply(batch, into: &output)
                progress(batch.progress)
                let (isLast, error) = (batch.isLast, batch.error)
                handoff.ready[0].signal()
                if let error { throw error }
                if isLast { return }
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

/// The batches between the stages of a replay and the semaphores that pass them along a ring:
/// `ready[k]` counts batches ready for stage `k` (`ready[0]`: free batches to fill); each stage takes the
/// batches in ring order, so they reach the last stage (the caller) in input order.
private final class BatchHandoff: @unchecked Sendable {
    let batches: [StagedBatch]
    let ready: [DispatchSemaphore]
    /// Signalled by each worker stage when it has let go of everything.
    let done = DispatchSemaphore(value: 0)
    /// CPU seconds each stage's thread spent, each slot set by its stage as it ends.
    let cpuSeconds: UnsafeMutableBufferPointer<Double>

    init(count: Int, stages: Int, sampleCapacity: Int) {
        batches = (0..<count).map { _ in StagedBatch(sampleCapacity: sampleCapacity + SampleBatch.maximumSampleCount) }
        ready = (0..<stages).map { DispatchSemaphore(value: $0 == 0 ? count : 0) }
        cpuSeconds = .allocate(capacity: stages)
        cpuSeconds.initialize(repeating: 0)
    }

    deinit { cpuSeconds.deallocate() }

    /// Runs worker stage `stage` until the input's last batch went through it.
    func run(stage: Int, _ body: (StagedBatch) -> Void) {
        let start = WorkerThread.cpuSeconds
        defer {
            cpuSeconds[stage] = WorkerThread.cpuSeconds - start
            done.signal()
        }
        var i = 0
        while true {
            ready[stage].wait()
            let batch = batches[i % batches.count]
            body(batch)
            let last = batch.isLast
            ready[stage + 1].signal()
            if last { break }
            i += 1
        }
    }
}

/// Hands values to the replay's worker thread; safe because the semaphores order every access.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
