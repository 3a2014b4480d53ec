import LumbarCore
import LumbarProtocol
import LumbarSession
import LumbarSim
import Testing

/// Three families in one session, on a virtual clock: the simulated bird-dog demo (a sensor on each ankle)
/// with an x-IMU3 at 400 Hz on the back (binary messages, its own µs clock), a Lumbar sensor at 200 Hz on
/// the left ankle (its frames, its own clock) and a WitMotion at 100 Hz on the right ankle (no clock: times
/// from arrivals 1-30 ms late, in bursts). Every byte goes through one `SessionPipeline` as the live
/// daemon hands it over; the samples come out on one session clock, and the reps are found.
@Suite("Sensor families: mixed families on one session clock")
struct MixedFamilyClockTests {
    /// Host receive time in ns of true session time `t` (s): the host clock started 1000 s earlier.
    private static func host(_ t: Double) -> Int64 { Int64(((1000 + t) * 1e9).rounded()) }

    private struct Tape: SessionOutput {
        var samples: [SessionSample] = []
        var events: [LumbarEvent] = []
        mutating func sample(_ s: SessionSample) { samples.append(s) }
        mutating func event(_ e: LumbarEvent) { events.append(e) }
    }

    @Test func anXIMU3ALumbarSensorAndAWitMotionShareOneClockWithinAWitMotionPeriodAndGiveTheReps() {
        var script = SessionScript.demo(.birdDog, seed: 3)
        // Back: x-IMU3 at 400 Hz; left ankle: Lumbar at 200 Hz; right ankle: WitMotion at 100 Hz.
        script.sensors[0].sampleRateHz = 400
        script.sensors[1].sampleRateHz = 200
        script.sensors[2].sampleRateHz = 100
        #expect(script.sensors.map(\.site) == [.lumbar, .leftAnkle, .rightAnkle])
        let session = Simulator.run(script)
        var random = SplitMix64(seed: 21)
        // (receive time, sensor, bytes) of every read, in arrival order.
        var reads: [(at: Int64, sensor: Int, bytes: [UInt8])] = []
        let back = session.sensors[0]
        for start in stride(from: 0, to: back.samples.count, by: 8) {
            let end = min(start + 8, back.samples.count)
            let latency = Double(1 + random.next() % 4) / 1000
            reads.append((Self.host(back.trueTimes[end - 1] + latency), 0, XIMU3Emulation.stream(Array(back.samples[start..<end]), mode: .binary)))
        }
        var frames = Simulator.stream(script, sensors: [1])
        var encoder = FrameEncoder()
        while let packet = frames.next() {
            var bytes: [UInt8] = []
            packet.encode(with: &encoder, into: &bytes)
            reads.append((Self.host(packet.arrivalTime), 1, bytes))
        }
        // WitMotion: a CH340 delivering a burst every 1-3 cycles, 1-30 ms after the last cycle of it.
        let right = session.sensors[2]
        var index = 0
        while index < right.samples.count {
            let end = min(index + 1 + Int(random.next() % 3), right.samples.count)
            let latency = Double(1 + random.next() % 30) / 1000
            reads.append((Self.host(right.trueTimes[end - 1] + latency), 2, WitMotionEmulation.stream(Array(right.samples[index..<end]))))
            index = end
        }
        reads.sort { ($0.at, $0.sensor) < ($1.at, $1.sensor) }

        let pipeline = SessionPipeline()
        var tape = Tape()
        let descriptors = [
            SensorDescriptor(id: "XIMU3-0001", placement: .lumbar, details: KeyValueText([("family", "ximu3")])),
            SensorDescriptor(id: "LUMBAR-LEFT", placement: .leftAnkle),
            SensorDescriptor(id: "WIT-RIGHT", placement: .rightAnkle, details: KeyValueText([("family", "witmotion"), ("rate_hz", "100")])),
        ]
        for (i, descriptor) in descriptors.enumerated() { pipeline.connect(descriptor, at: reads[0].at - Int64(3 - i), into: &tape) }
        for read in reads { pipeline.receive(read.bytes, from: read.sensor, at: read.at, into: &tape) }
        pipeline.finish(into: &tape)

        // Each sensor's k-th sample out is its k-th sample sent: session time minus true time, past the
        // first 10 s (the clocks settled), is one offset shared by all three within a WitMotion period.
        var offsets: [[Double]] = [[], [], []]
        var next = [0, 0, 0]
        for s in tape.samples {
            let truth = session.sensors[s.sensor].trueTimes
            guard next[s.sensor] < truth.count else { continue }
            let trueTime = truth[next[s.sensor]]
            next[s.sensor] += 1
            if trueTime > 10 { offsets[s.sensor].append(s.time - trueTime) }
        }
        #expect(next == session.sensors.map(\.samples.count), "every sample sent comes out once")
        let reference = offsets[0].sorted()[offsets[0].count / 2]
        let worst = offsets.map { $0.map { abs($0 - reference) }.max() ?? .infinity }
        #expect(worst.allSatisfy { $0 < 0.010 }, "misalignment from the x-IMU3's clock, s: \(worst)")
        #expect(worst[0] < 0.0025, "the x-IMU3 itself stays within its own period: \(worst[0]) s")

        let reps = tape.events.filter { $0.type == "rep_completed" }
        #expect(reps.count >= session.truth.reps.count - 2, "reps \(reps.count) of \(session.truth.reps.count)")
        print("mixed families: worst misalignment x-IMU3/Lumbar/WitMotion \(worst.map { ($0 * 1e6).rounded() / 1e3 }) ms, reps \(reps.count) of \(session.truth.reps.count)")
    }
}
