import LumbarCore
import LumbarProtocol
import LumbarSim

/// How a sensor's samples are cut into sample-batch frames and when those frames reach the host: the
/// part of a live session that must not change what Lumbar finds (issue 12: results are a function of
/// the samples and their device timestamps, never of framing or arrival).
///
/// `Framing.apply` takes a simulated session's packets and re-frames the very same samples (same raw
/// counts, same device ticks and sequence numbers): `samplesPerFrame` per frame (drawn per frame), each
/// frame arriving `latency` after its last sample was taken (uniform, seconds), except during stalls of
/// the link (`stallDuration` seconds starting about every `stallInterval` seconds, per sensor), whose
/// frames all arrive together when the stall ends (a burst). Runs of samples listed in `lostRuns` are
/// never sent (a sequence gap, as a firmware FIFO overrun makes). Everything is drawn from `seed`.
///
/// ```swift
/// let framing = Framing(samplesPerFrame: 4...4, latency: 0...0.020, seed: 7)
/// let packets = framing.apply(to: Simulator.stream(script))   // in arrival order
/// ```
public struct Framing: Sendable, Hashable {
    /// A run of consecutive samples of one sensor that never reach the host.
    public struct LostRun: Sendable, Hashable {
        /// Index of the sensor in the script.
        public var sensor: Int
        /// True session time of the first lost sample, s.
        public var start: Double
        /// Number of samples lost.
        public var count: Int

        public init(sensor: Int, start: Double, count: Int) {
            self.sensor = sensor
            self.start = start
            self.count = count
        }
    }

    /// Samples per frame (1 … `SampleBatch.maximumSampleCount`), drawn uniformly for every frame.
    public var samplesPerFrame: ClosedRange<Int>
    /// From a frame's last sample to its arrival, s (uniform in this range).
    public var latency: ClosedRange<Double>
    /// Mean time between the starts of two stalls of one sensor's link, s (nil: no stalls).
    public var stallInterval: Double?
    /// How long a stall holds the frames back, s.
    public var stallDuration: Double
    /// Samples never sent.
    public var lostRuns: [LostRun]
    /// Seed of every draw.
    public var seed: UInt64

    public init(
        samplesPerFrame: ClosedRange<Int>, latency: ClosedRange<Double>, stallInterval: Double? = nil,
        stallDuration: Double = 0.2, lostRuns: [LostRun] = [], seed: UInt64
    ) {
        precondition(
            samplesPerFrame.lowerBound >= 1 && samplesPerFrame.upperBound <= SampleBatch.maximumSampleCount,
            "Framing.init: 'samplesPerFrame' must lie in 1...\(SampleBatch.maximumSampleCount)")
        precondition(latency.lowerBound >= 0, "Framing.init: 'latency' must not be negative")
        self.samplesPerFrame = samplesPerFrame
        self.latency = latency
        self.stallInterval = stallInterval
        self.stallDuration = stallDuration
        self.lostRuns = lostRuns
        self.seed = seed
    }

    /// One sample per frame, arriving `latency` after it was taken: the reference every other framing
    /// of the same samples must agree with.
    public static func oneSamplePerFrame(latency: Double = 0.001, lostRuns: [LostRun] = []) -> Framing {
        Framing(samplesPerFrame: 1...1, latency: latency...latency, lostRuns: lostRuns, seed: 0)
    }

    /// The packets of `stream` with every sensor's samples re-framed and re-timed, in arrival order.
    /// Device info and status packets keep their arrival times.
    public func apply(to stream: SimulatedFrameStream) -> [SimulatedPacket] {
        var stream = stream
        var others: [SimulatedPacket] = []
        var samples: [[TimedRawSample]] = []
        var periods: [UInt32] = []
        // SimulatedPacket has no public initialiser: each sensor's frames are made from one of its packets.
        var templates: [SimulatedPacket?] = []
        while let p = stream.next() {
            guard case .sampleBatch(let batch) = p.packet, let truth = p.batchTruth else {
                others.append(p)
                continue
            }
            let i = p.sensorIndex
            while samples.count <= i {
                samples.append([])
                periods.append(0)
                templates.append(nil)
            }
            periods[i] = batch.samplePeriod
            if templates[i] == nil { templates[i] = p }
            for (k, raw) in batch.samples.enumerated() {
                samples[i].append(TimedRawSample(
                    index: truth.firstSampleIndex + k, ticks: batch.ticks(ofSampleAt: k), raw: raw,
                    trueTime: truth.trueTimes[k]))
            }
        }
        var frames: [SimulatedPacket] = []
        for i in samples.indices {
            guard let template = templates[i] else { continue }
            frames += frame(sensor: i, samples[i], period: periods[i], template: template)
        }
        // Arrival order; at equal times, packets of the original stream first (device info before samples),
        // then by sensor, then in each sensor's order.
        let all = others.map { ($0, 0) } + frames.map { ($0, 1) }
        return all.enumerated().sorted { a, b in
            let (pa, ka) = a.element
            let (pb, kb) = b.element
            if pa.arrivalTime != pb.arrivalTime { return pa.arrivalTime < pb.arrivalTime }
            if ka != kb { return ka < kb }
            if pa.sensorIndex != pb.sensorIndex { return pa.sensorIndex < pb.sensorIndex }
            return a.offset < b.offset
        }.map(\.element.0)
    }

    /// One sample as the firmware took it.
    struct TimedRawSample {
        var index: Int
        var ticks: UInt64
        var raw: RawImuSample
        var trueTime: Double
    }

    /// Cuts one sensor's samples (minus the lost runs) into frames and times their arrival.
    private func frame(
        sensor: Int, _ all: [TimedRawSample], period: UInt32, template: SimulatedPacket
    ) -> [SimulatedPacket] {
        var random = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(sensor + 1))
        func uniform(_ r: ClosedRange<Double>) -> Double { r.lowerBound + random.unit() * (r.upperBound - r.lowerBound) }
        var lost = Set<Int>()
        for run in lostRuns where run.sensor == sensor {
            guard let first = all.firstIndex(where: { $0.trueTime >= run.start }) else { continue }
            for k in first..<min(all.count, first + run.count) { lost.insert(all[k].index) }
        }
        // Stalls of this sensor's link, over the whole session.
        var stalls: [SimulatedInterval] = []
        if let every = stallInterval, let end = all.last?.trueTime {
            var t = uniform(0...every)
            while t < end {
                stalls.append(SimulatedInterval(start: t, end: t + stallDuration))
                t += stallDuration + uniform(0.5 * every...1.5 * every)
            }
        }
        var packets: [SimulatedPacket] = []
        var lastArrival = 0.0
        var k = 0
        while k < all.count {
            if lost.contains(all[k].index) {
                k += 1
                continue
            }
            let size = samplesPerFrame.lowerBound == samplesPerFrame.upperBound
                ? samplesPerFrame.lowerBound
                : samplesPerFrame.lowerBound + Int(random.next() % UInt64(samplesPerFrame.count))
            var end = k
            while end < all.count && end - k < size && !lost.contains(all[end].index)
                && all[end].index == all[k].index + (end - k)
            {
                end += 1
            }
            let run = all[k..<end]
            let last = run.last!
            var arrival = last.trueTime + uniform(latency)
            if let stall = stalls.first(where: { $0.contains(arrival) }) {
                arrival = stall.end + uniform(0...0.001)
            }
            arrival = max(arrival, lastArrival)
            lastArrival = arrival
            let raws = run.map(\.raw)
            var flags: SampleBatch.Flags = []
            if raws.contains(where: { $0.accelerometer.isSaturated }) { flags.insert(.accelerometerSaturated) }
            if raws.contains(where: { $0.gyroscope.isSaturated }) { flags.insert(.gyroscopeSaturated) }
            let batch = SampleBatch(
                sequence: UInt32(truncatingIfNeeded: run.first!.index), timestamp: run.first!.ticks,
                samplePeriod: period, flags: flags, samples: raws)
            var packet = template
            packet.arrivalTime = arrival
            packet.packet = .sampleBatch(batch)
            packet.batchTruth = nil
            packets.append(packet)
            k = end
        }
        return packets
    }
}
