import LumbarCore
import LumbarSession

/// What the reading thread of `ParallelReplay` hands on, in input order: the per-sensor stage's results
/// for a few thousand input steps, then (fusion stage) their fused samples.
///
/// A list of marks, each one input step (a connect, a receive, a loss) followed by the samples that step
/// produced. The merge stage applies them in order, each step and then its samples, exactly as the
/// pipeline applies one step at a time (`SessionPipeline.receive` and the others), so the result is the
/// same, bit for bit. Only this driver stages steps: the pipeline itself never does.
/// Reused: `removeAll()` keeps the capacity (no allocation per sample).
final class StagedBatch {
    /// The input step a mark stands for.
    enum Step: UInt8 {
        /// Only samples (timed-sample input, or samples a sensor held until its stream ended).
        case samples
        /// A sensor (re)connected; its descriptor is the next of `descriptors`.
        case connect
        /// Bytes of a sensor were received, with at least one sample batch.
        case receive
        /// Bytes of a sensor were received without a sample batch (heartbeat, answers, noise).
        case receiveWithoutSamples
        /// A sensor's transport went away; the reason is the next of `reasons`.
        case lose
    }

    /// One input step and where its samples end.
    struct Mark {
        var step: Step
        /// The sensor's index (unused for `samples`).
        var sensor: Int
        /// Session-clock seconds of the step (0 for `samples`).
        var host: Double
        /// `stamped[..<samplesEnd]` (and `samples`) were produced up to and including this step.
        var samplesEnd: Int
    }

    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time (passed along by `ParallelReplay`'s semaphores), and no method accesses a property while
    // another access to it is open; the dynamic checks cost ~12% of replay time in release.
    @exclusivity(unchecked) private(set) var marks: [Mark] = []
    /// The per-sensor stage's samples, in the order it produced them: a buffer lent by `ParallelReplay`
    /// from reading to fusion (empty otherwise).
    @exclusivity(unchecked) var stamped: [StampedSample] = []
    /// `stamped`, fused (filled by `fuse`).
    @exclusivity(unchecked) private(set) var samples: [SessionSample] = []
    @exclusivity(unchecked) private(set) var descriptors: [SensorDescriptor] = []
    @exclusivity(unchecked) private(set) var reasons: [SensorLossReason] = []
    /// Fraction of the input consumed when the batch was closed, 0…1 (replay progress).
    @exclusivity(unchecked) var progress = 0.0
    /// The input's read error that ended the replay after this batch's steps.
    @exclusivity(unchecked) var error: SessionInputError?
    /// The input ended with this batch.
    @exclusivity(unchecked) var isLast = false

    init(sampleCapacity: Int = 0) {
        samples.reserveCapacity(sampleCapacity)
        marks.reserveCapacity(sampleCapacity / 4)
    }

    /// Appends a step whose samples are those of `stamped` not attributed to an earlier step.
    func append(_ step: Step, sensor: Int, host: Double) {
        marks.append(Mark(step: step, sensor: sensor, host: host, samplesEnd: stamped.count))
    }

    func append(connect sensor: Int, _ descriptor: SensorDescriptor, host: Double) {
        descriptors.append(descriptor)
        append(.connect, sensor: sensor, host: host)
    }

    func append(lose sensor: Int, reason: SensorLossReason, host: Double) {
        reasons.append(reason)
        append(.lose, sensor: sensor, host: host)
    }

    /// Attributes the samples appended since the last mark to that mark (or to a new `samples` mark).
    @inline(__always)
    func closeStep() {
        if marks.isEmpty {
            if stamped.isEmpty { return }
            marks.append(Mark(step: .samples, sensor: 0, host: 0, samplesEnd: 0))
        }
        marks[marks.count - 1].samplesEnd = stamped.count
    }

    /// Fuses `stamped` into `samples` (the fusion stage).
    func fuse(with fusion: inout SensorFusion) {
        samples.removeAll(keepingCapacity: true)
        for s in stamped { samples.append(fusion.fuse(s)) }
    }

    /// Applies the batch's steps and samples to the merge stage of `pipeline`, in order.
    func apply<Output: SessionOutput>(to pipeline: SessionPipeline, into out: inout Output) {
        var next = 0
        var d = 0
        var r = 0
        samples.withUnsafeBufferPointer { samples in
            for m in marks {
                switch m.step {
                case .connect:
                    pipeline.mergeConnected(m.sensor, descriptors[d], atHost: m.host, into: &out)
                    d += 1
                case .receive:
                    pipeline.mergeReceived(m.sensor, atHost: m.host, hadSamples: true, into: &out)
                case .receiveWithoutSamples:
                    pipeline.mergeReceived(m.sensor, atHost: m.host, hadSamples: false, into: &out)
                case .lose:
                    pipeline.mergeLost(m.sensor, reason: reasons[r], atHost: m.host, into: &out)
                    r += 1
                case .samples:
                    break
                }
                if m.samplesEnd > next {
                    pipeline.merge(UnsafeBufferPointer(rebasing: samples[next..<m.samplesEnd]), into: &out)
                    next = m.samplesEnd
                }
            }
        }
    }

    /// Empties the batch, keeping its capacity.
    func removeAll() {
        marks.removeAll(keepingCapacity: true)
        stamped.removeAll(keepingCapacity: true)
        samples.removeAll(keepingCapacity: true)
        descriptors.removeAll(keepingCapacity: true)
        reasons.removeAll(keepingCapacity: true)
        progress = 0
        error = nil
        isLast = false
    }
}

/// The reading thread's `SessionInputDriver`: runs each input step through the per-sensor stage and
/// records it in a batch, for fusion and the merge stage on other threads.
struct StagingDriver: SessionInputDriver {
    let stages: SensorStages
    let batch: StagedBatch

    func connect(_ sensor: SensorDescriptor, at receiveTime: Int64) -> Int {
        let (index, host) = stages.connect(sensor, at: receiveTime, flushingInto: &batch.stamped)
        batch.closeStep()
        batch.append(connect: index, sensor, host: host)
        return index
    }

    func receive(_ bytes: UnsafeRawBufferPointer, from index: Int, at receiveTime: Int64) {
        let (host, hadSamples) = stages.receive(bytes, from: index, at: receiveTime, into: &batch.stamped)
        batch.append(hadSamples ? .receive : .receiveWithoutSamples, sensor: index, host: host)
    }

    func receive(timed sample: ImuSample, from index: Int) {
        stages.receive(timed: sample, from: index, into: &batch.stamped)
        batch.closeStep()
    }

    func lose(sensor index: Int, reason: SensorLossReason, at receiveTime: Int64) {
        let host = stages.lose(sensor: index, at: receiveTime, flushingInto: &batch.stamped)
        batch.closeStep()
        batch.append(lose: index, reason: reason, host: host)
    }

    /// Runs input steps into the batch until it holds `limit` samples or steps, or the input ends
    /// (`isLast`, and `error` when reading failed).
    func fill(from input: SessionInput, limit: Int) {
        var driver = self
        do {
            while batch.stamped.count < limit && batch.marks.count < limit {
                if try input.step(into: &driver) == nil {
                    // Samples still held for clock alignment go through this thread's stage too.
                    stages.flushPending(into: &batch.stamped)
                    batch.closeStep()
                    batch.isLast = true
                    break
                }
            }
        } catch {
            batch.error = error
            batch.isLast = true
        }
        batch.progress = input.progress
    }
}
