import Dispatch
import LumbarCore
import LumbarThreads

/// The per-sample exports (orientation CSV per sensor, OpenSense `.sto`) formatted and written on a
/// thread of their own (an `OSThread`, joined by `close` or `deinit`; batches pass along a ring of
/// semaphores, as between the replay's stages), so that turning millions of quaternions into text does not hold up the merge
/// stage. The samples and OpenSense column announcements reach the writers in exactly the order they
/// were given (batches along a ring), so the files are byte-identical to writing them inline.
///
/// ```swift
/// let stage = SampleWriterStage(orientation: exporter, openSense: writer)
/// stage.write(sample)                     // per sample, on the merge thread: a copy into a batch
/// try stage.close()                       // waits for the writer thread, closes the files
/// ```
final class SampleWriterStage {
    private let orientation: OrientationExporter?
    private let openSense: OpenSenseWriter?
    private let handoff: Handoff
    private let thread: OSThread
    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) private var next = 0
    @exclusivity(unchecked) private var closed = false

    /// Samples per batch handed to the writer thread.
    static let batchSamples = 4096
    /// Batches in flight (bounds memory).
    static let batchCount = 4

    /// One batch: samples, and OpenSense column announcements at their place among them.
    private final class Batch {
        var samples: [SessionSample] = []
        var connects: [(position: Int, sensor: Int, placement: SensorPlacement)] = []
        var isLast = false

        init() { samples.reserveCapacity(SampleWriterStage.batchSamples) }
    }

    // @unchecked: a batch belongs to one side at a time, passed by the semaphores (`free` → caller fills,
    // `full` → writer drains); `cpuSeconds` is written by the writer thread before it ends and read after
    // the join.
    private final class Handoff: @unchecked Sendable {
        let batches = (0..<SampleWriterStage.batchCount).map { _ in Batch() }
        let free = DispatchSemaphore(value: SampleWriterStage.batchCount)
        let full = DispatchSemaphore(value: 0)
        /// The writer thread's CPU seconds, set before the thread ends.
        var cpuSeconds = 0.0
    }

    private var current: Batch { handoff.batches[next % handoff.batches.count] }

    /// Starts the writer thread for the writers given.
    init(orientation: OrientationExporter?, openSense: OpenSenseWriter?) {
        self.orientation = orientation
        self.openSense = openSense
        handoff = Handoff()
        handoff.free.wait()
        let work = UncheckedWriters(handoff: handoff, orientation: orientation, openSense: openSense)
        thread = OSThread(name: "lumbar-export") { work.run() }
    }

    deinit {
        if !closed { finishThread() }
    }

    /// Queues one sample for the writers.
    @inline(__always)
    func write(_ s: SessionSample) {
        let batch = current
        batch.samples.append(s)
        if batch.samples.count >= Self.batchSamples { handOver() }
    }

    /// Queues an OpenSense column announcement (`OpenSenseWriter.sensorConnected`) after the samples so far.
    func sensorConnected(index: Int, placement: SensorPlacement) {
        let batch = current
        batch.connects.append((batch.samples.count, index, placement))
    }

    /// CPU seconds the writer thread used (known once `close` returned).
    var cpuSeconds: Double { handoff.cpuSeconds }

    /// Writes everything queued, waits for the writer thread and closes the files.
    ///
    /// - Throws: the first `ExportError` of the writers.
    func close() throws(ExportError) {
        if !closed { finishThread() }
        var failure: ExportError?
        do { try orientation?.close() } catch { failure = error }
        do { try openSense?.close() } catch { if failure == nil { failure = error } }
        if let failure { throw failure }
    }

    private func finishThread() {
        closed = true
        current.isLast = true
        handoff.full.signal()
        thread.join()
    }

    private func handOver() {
        handoff.full.signal()
        next += 1
        handoff.free.wait()
    }

    /// The writer thread's side.
    // @unchecked: after `init` hands them over, the writers are used by the writer thread only.
    private struct UncheckedWriters: @unchecked Sendable {
        let handoff: Handoff
        let orientation: OrientationExporter?
        let openSense: OpenSenseWriter?

        func run() {
            let start = OSThread.cpuSeconds
            var i = 0
            while true {
                handoff.full.wait()
                let batch = handoff.batches[i % handoff.batches.count]
                var c = 0
                for (p, s) in batch.samples.enumerated() {
                    while c < batch.connects.count && batch.connects[c].position == p {
                        openSense?.sensorConnected(index: batch.connects[c].sensor, placement: batch.connects[c].placement)
                        c += 1
                    }
                    orientation?.write(s)
                    openSense?.write(s)
                }
                for k in c..<batch.connects.count {
                    openSense?.sensorConnected(index: batch.connects[k].sensor, placement: batch.connects[k].placement)
                }
                let last = batch.isLast
                batch.samples.removeAll(keepingCapacity: true)
                batch.connects.removeAll(keepingCapacity: true)
                batch.isLast = false
                handoff.free.signal()
                if last { break }
                i += 1
            }
            handoff.cpuSeconds = OSThread.cpuSeconds - start
        }
    }
}
