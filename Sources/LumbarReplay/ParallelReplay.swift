#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import LumbarProtocol
import LumbarSession
import LumbarThreads
import Synchronization

/// The replay on two or three threads: a separate driver of the same pipeline stages that
/// `SessionInput.replay` runs on the calling thread, with the same result, bit for bit: the per-sensor
/// stage and fusion depend only on the input, and the merge stage applies their results in input order
/// (`StagedBatch`, this driver's own staging). Do not touch the pipeline from elsewhere meanwhile.
///
/// ```swift
/// let cpu = try ParallelReplay.run(input, into: pipeline, output: &exporter) { bar.progress($0) }
/// pipeline.finish(into: &exporter)
/// ```
public enum ParallelReplay {
    /// How the work is spread.
    public enum Threads: Sendable, Hashable {
        /// The per-sensor stage (read, decode, align, fuse) on a worker thread, the merge stage (merge,
        /// motion analysis, outputs) on the calling thread.
        case two
        /// Read, decode and align on one worker, fuse on another, merge on the calling thread: the work
        /// splits into three similar parts, so two cores stay busy (the default).
        case three
    }

    /// Batches in flight between the stages (bounds memory: streamed, whatever the input's length).
    static let batchCount = 16
    /// Buffers of stamped (not yet fused) samples: needed only between reading and fusion, so fewer than
    /// batches; the reading thread waits for one when it runs this far ahead of the fusing thread. (One
    /// per batch held 16 x 4,160 stamped samples, 3.8 MiB more peak memory than fusing in place did.)
    static let stampedBufferCount = 4
    /// Samples (or input steps) per batch.
    static let batchSamples = 4096

    /// Replays the whole input as fast as possible into `pipeline` (then call `pipeline.finish`).
    ///
    /// - Parameters:
    ///   - pipeline: a fresh pipeline.
    ///   - output: receives the samples and events, on the calling thread.
    ///   - threads: `.three` (the default) or `.two`.
    ///   - progress: called on the calling thread after each batch with the fraction of the input read, 0…1.
    /// - Returns: the CPU seconds of each thread, in stage order (read and decode, [fuse,] merge): on an
    ///   idle machine the wall time approaches the largest.
    /// - Throws: `SessionInputError` for a read error or a malformed CSV row, after everything before it
    ///   was delivered; every worker thread has been joined by then.
    // Exported specialisation for the exporter (`lumbar export`, the replay benchmark): see
    // `SessionInput.replay`.
    @_specialize(exported: true, where Output == SessionExporter)
    @discardableResult
    public static func run<Output: SessionOutput>(
        _ input: SessionInput, into pipeline: SessionPipeline, output: inout Output, threads: Threads = .three,
        progress: (Double) -> Void = { _ in }
    ) throws(SessionInputError) -> [Double] {
        let fusing = threads == .three
        let handoff = BatchHandoff(
            count: batchCount, stages: fusing ? 3 : 2, sampleCapacity: batchSamples, fusion: pipeline.fusion,
            stampedBuffers: fusing ? stampedBufferCount : 1)
        let start = threadCPUSeconds
        var workers: [OSThread] = []
        let reader = UncheckedSendable((input, pipeline.stages))
        workers.append(OSThread(name: "lumbar-read") {
            let (input, stages) = reader.value
            handoff.run(stage: 0) { batch in
                batch.removeAll()
                handoff.stamped.take(into: batch)
                StagingDriver(stages: stages, batch: batch).fill(from: input, limit: batchSamples)
                if !fusing {
                    batch.fuse(with: &handoff.fusion)
                    handoff.stamped.give(from: batch)
                }
            }
        })
        if fusing {
            workers.append(OSThread(name: "lumbar-fuse") {
                handoff.run(stage: 1) { batch in
                    batch.fuse(with: &handoff.fusion)
                    handoff.stamped.give(from: batch)
                }
            })
        }
        let last = handoff.ready.count - 1
        var failure: SessionInputError?
        var i = 0
        while true {
            handoff.ready[last].wait()
            let batch = handoff.batches[i % handoff.batches.count]
            batch.apply(to: pipeline, into: &output)
            progress(batch.progress)
            let isLast = batch.isLast
            failure = batch.error
            handoff.ready[0].signal()
            // The workers stop after the input's last batch (an error also ends the input).
            if isLast || failure != nil { break }
            i += 1
        }
        for worker in workers { worker.join() }
        // The filters go back to the pipeline (samples a later `finish` releases are fused by them).
        pipeline.fusion = handoff.fusion
        handoff.cpuSeconds[last] = threadCPUSeconds - start
        if let failure { throw failure }
        return Array(handoff.cpuSeconds)
    }

    /// CPU time the calling thread has used so far, s (`CLOCK_THREAD_CPUTIME_ID`).
    static var threadCPUSeconds: Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}

/// The batches between the stages of a replay and the semaphores that pass them along a ring:
/// `ready[k]` counts batches ready for stage `k` (`ready[0]`: free batches to fill); each stage takes the
/// batches in ring order, so they reach the last stage (the caller) in input order.
// @unchecked: a batch belongs to one stage at a time, passed along by the semaphores; each `cpuSeconds`
// slot is written by its own stage's thread, and read only after that thread was joined; `fusion` is used
// by the one fusing thread, and read back only after it was joined.
private final class BatchHandoff: @unchecked Sendable {
    let batches: [StagedBatch]
    /// The orientation filters, used by the fusing stage's thread only (the pipeline's, handed back after).
    var fusion: SensorFusion
    let ready: [DispatchSemaphore]
    /// CPU seconds each stage's thread spent, each slot set by its stage as it ends.
    let cpuSeconds: UnsafeMutableBufferPointer<Double>
    /// The stamped-sample buffers, lent to a batch from reading to fusion.
    let stamped: StampedBuffers

    init(count: Int, stages: Int, sampleCapacity: Int, fusion: SensorFusion, stampedBuffers: Int) {
        self.fusion = fusion
        batches = (0..<count).map { _ in StagedBatch(sampleCapacity: sampleCapacity + SampleBatch.maximumSampleCount) }
        stamped = StampedBuffers(count: stampedBuffers, capacity: sampleCapacity + SampleBatch.maximumSampleCount)
        ready = (0..<stages).map { DispatchSemaphore(value: $0 == 0 ? count : 0) }
        cpuSeconds = .allocate(capacity: stages)
        cpuSeconds.initialize(repeating: 0)
    }

    deinit { cpuSeconds.deallocate() }

    /// Runs worker stage `stage` until the input's last batch went through it.
    func run(stage: Int, _ body: (StagedBatch) -> Void) {
        let start = ParallelReplay.threadCPUSeconds
        defer { cpuSeconds[stage] = ParallelReplay.threadCPUSeconds - start }
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

/// The buffers a batch's stamped samples go into, lent from the reading stage to the fusion stage and
/// given back emptied (their capacity kept: no allocation per batch). `take` waits while all are lent.
private final class StampedBuffers: Sendable {
    private let free: Mutex<[[StampedSample]]>
    private let available: DispatchSemaphore

    init(count: Int, capacity: Int) {
        var buffers: [[StampedSample]] = []
        buffers.reserveCapacity(count)
        for _ in 0..<count {
            var b: [StampedSample] = []
            b.reserveCapacity(capacity)
            buffers.append(b)
        }
        free = Mutex(buffers)
        available = DispatchSemaphore(value: count)
    }

    /// Lends a buffer to `batch` (its `stamped`, empty).
    func take(into batch: StagedBatch) {
        available.wait()
        batch.stamped = free.withLock { $0.removeLast() }
    }

    /// Takes `batch`'s buffer back, emptied.
    func give(from batch: StagedBatch) {
        var buffer: [StampedSample] = []
        swap(&buffer, &batch.stamped)
        buffer.removeAll(keepingCapacity: true)
        free.withLock { [buffer] in $0.append(buffer) }
        available.signal()
    }
}

/// Hands the input and the per-sensor stage (classes with one owner thread at a time) to the reading
/// thread: safe because the caller touches neither until that thread was joined.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
