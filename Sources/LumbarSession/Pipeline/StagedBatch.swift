import LumbarCore

/// What the per-sensor stage (`SensorStages`: decode, clock alignment, fusion) hands the merge stage
/// (`SessionPipeline`: sensor presence, merge, motion analysis, outputs), in input order.
///
/// A list of marks, each one input step (a connect, a receive, a loss, a silence check) followed by
/// the fused samples that step produced. The merge stage applies them in order, so feeding a batch
/// one record at a time on one thread or thousands of records at a time from another thread gives
/// the same result, bit for bit. Reused: `removeAll()` keeps the capacity (no allocation per sample).
package final class StagedBatch {
    /// The input step a mark stands for.
    enum Step: UInt8 {
        /// Only samples (timed-sample input continues).
        case samples
        /// A sensor (re)connected; its descriptor is the next of `descriptors`.
        case connect
        /// Bytes of a sensor were received, with at least one sample batch.
        case receive
        /// Bytes of a sensor were received without a sample batch (heartbeat, answers, noise).
        case receiveWithoutSamples
        /// A sensor's transport went away; the reason is the next of `reasons`.
        case lose
        /// Host time passed without data (silence check).
        case advance
    }

    /// One input step and where its samples end.
    struct Mark {
        var step: Step
        /// The sensor's index (unused for `samples` and `advance`).
        var sensor: Int
        /// Session-clock seconds of the step: host-relative seconds minus `SessionClock.shift` (0 for `samples`).
        var host: Double
        /// `samples[..<samplesEnd]` were produced up to and including this step.
        var samplesEnd: Int
    }

    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) private(set) var marks: [Mark] = []
    /// Fused samples, in the order the per-sensor stage produced them.
    @exclusivity(unchecked) package var samples: [SessionSample] = []
    @exclusivity(unchecked) private(set) var descriptors: [SensorDescriptor] = []
    @exclusivity(unchecked) private(set) var reasons: [SensorLossReason] = []
    /// Fraction of the input consumed when the batch was closed, 0…1 (replay progress).
    @exclusivity(unchecked) package var progress = 0.0
    /// The input's read error that ended the replay after this batch's steps.
    @exclusivity(unchecked) package var error: SessionInputError?
    /// The input ended with this batch.
    @exclusivity(unchecked) package var isLast = false

    package init(sampleCapacity: Int = 0) {
        samples.reserveCapacity(sampleCapacity)
        marks.reserveCapacity(sampleCapacity / 4)
    }

    var isEmpty: Bool { marks.isEmpty }

    func append(_ step: Step, sensor: Int = 0, host: Double = 0) {
        marks.append(Mark(step: step, sensor: sensor, host: host, samplesEnd: samples.count))
    }

    func append(connect sensor: Int, _ descriptor: SensorDescriptor, host: Double) {
        descriptors.append(descriptor)
        append(.connect, sensor: sensor, host: host)
    }

    func append(lose sensor: Int, reason: SensorLossReason, host: Double) {
        reasons.append(reason)
        append(.lose, sensor: sensor, host: host)
    }

    /// Marks the last step, a `receive`, as one whose bytes held no sample batch.
    func lastReceiveHadNoSamples() {
        marks[marks.count - 1].step = .receiveWithoutSamples
    }

    /// Attributes the samples appended since the last mark to that mark (or to a new `samples` mark).
    @inline(__always)
    func closeStep() {
        if marks.isEmpty {
            if samples.isEmpty { return }
            append(.samples)
        }
        marks[marks.count - 1].samplesEnd = samples.count
    }

    /// Empties the batch, keeping its capacity.
    package func removeAll() {
        marks.removeAll(keepingCapacity: true)
        samples.removeAll(keepingCapacity: true)
        descriptors.removeAll(keepingCapacity: true)
        reasons.removeAll(keepingCapacity: true)
        progress = 0
        error = nil
        isLast = false
    }
}
