import Foundation
import LumbarCore
import LumbarProtocol
import LumbarSim
import Testing

struct WitMotionDecoderTests {
    /// Packets worked by hand from the manual's formulas: acceleration Z = 2048/32768 × 16 g = 1 g,
    /// temperature 3000 = 30.00 °C; angular velocity X = 16384/32768 × 2000 = 1000 °/s, Z = -2000 °/s.
    @Test func handWorkedPacketsFromTheManualFormulasDecode() {
        let acceleration: [UInt8] = [0x55, 0x51, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0xB8, 0x0B, 0x71]
        let angularVelocity: [UInt8] = [0x55, 0x52, 0x00, 0x40, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x67]
        var decoder = WitMotionDecoder()
        let outputs = decoder.decode(acceleration + angularVelocity, receivedAt: 5)
        #expect(outputs == [.sample(ImuSample(time: 5, accelerometer: Vector3(0, 0, 1), gyroscope: Vector3(1000, 0, -2000)))])
        #expect(decoder.counters.checksumFailures == 0 && decoder.counters.skippedBytes == 0)
    }

    @Test func emulatorStreamDecodesWithinOneQuantisationStep() {
        var decoder = WitMotionDecoder()
        let decoded = FamilyFixtures.samples(
            in: decoder.decode(WitMotionEmulation.stream(FamilyFixtures.samples, timePackets: true), receivedAt: 0)
        )
        #expect(decoded.count == FamilyFixtures.samples.count)
        for (got, sent) in zip(decoded, FamilyFixtures.samples) {
            #expect(FamilyFixtures.near(got.accelerometer, sent.accelerometer, 16.0 / 32768))
            #expect(FamilyFixtures.near(got.gyroscope, sent.gyroscope, 2000.0 / 32768))
        }
        #expect(decoder.counters.messages == UInt64(4 * FamilyFixtures.samples.count))
        #expect(decoder.counters.skippedBytes == 0)
    }

    /// Arrival jitter (USB latency of 0 to 30 ms, deliveries in bursts) does not enter the sample times:
    /// they come out evenly spaced at the configured rate, anchored at the least-delayed arrival.
    @Test func receiveJitterDoesNotEnterSampleTimes() {
        var decoder = WitMotionDecoder(configuration: .init(rate: 100))
        var random = SplitMix64(seed: 11)
        var times: [Double] = []
        for (index, sample) in FamilyFixtures.samples.enumerated() {
            // 1 to 30 ms late, except a quiet moment (samples 50 to 59) with no delay at all.
            let latency = (50..<60).contains(index) ? 0 : Double(1 + random.next() % 30) / 1000
            let arrival = 10 + Double(index) / 100 + latency
            decoder.decode(WitMotionEmulation.cycle(sample), receivedAt: arrival) {
                if case .sample(let s) = $0 { times.append(s.time) }
            }
        }
        #expect(times.count == FamilyFixtures.samples.count)
        // Times always increase; after the least-delayed arrival has been seen the spacing is exact.
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        let steps = zip(times.dropFirst(100), times.dropFirst(101)).map { $1 - $0 }
        #expect(steps.allSatisfy { abs($0 - 0.01) < 1e-9 })
        #expect(decoder.counters.lostSamples == 0)
        #expect(times.last! >= 10 + 1.99 && times.last! <= 10 + 1.99 + 0.03)
    }

    /// A silence of 20 periods (lost packets) is counted, and once the arrivals have stayed that late for the
    /// loss confirmation (0.25 s) the times line up with them again; until then they go on evenly spaced.
    @Test func lostPacketsAreCountedAndTimesRealignOnceTheLatenessHeld() {
        var decoder = WitMotionDecoder(configuration: .init(rate: 100))
        var times: [Double] = []
        for (index, sample) in FamilyFixtures.samples.prefix(100).enumerated() where !(20..<40).contains(index) {
            decoder.decode(WitMotionEmulation.cycle(sample), receivedAt: Double(index) / 100) {
                if case .sample(let s) = $0 { times.append(s.time) }
            }
        }
        #expect(times.count == 80)
        #expect(decoder.counters.lostSamples == 20)
        // Samples 40 to 64 (times[20 ..< 45]) arrived 0.2 s late: stamped on from before the silence.
        #expect(abs(times[20] - 0.20) < 1e-9 && abs(times[44] - 0.44) < 1e-9)
        // Sample 65 arrived 0.25 s after the first late one: the 20 periods are skipped there.
        #expect(abs(times[45] - 0.65) < 1e-9 && abs(times[79] - 0.99) < 1e-9)
    }

    /// The host or the link stalls 70 ms every 150 ms (a loaded machine, an emulated guest), then reads the
    /// backlog at once: nothing was lost, and the times stay evenly spaced at the configured rate. So the leg
    /// turns by what the gyroscope says: its rate integrated over the sample times gives the true angle. (Before,
    /// each stall's first sample skipped 6 periods, and the burst after it was stamped half a period apart:
    /// 60 ms steps then 5 ms ones, the integrated swing degrees off, reps rejected as `sensor_resettled`.)
    @Test func aStallCaughtUpByABurstLosesNothingAndKeepsTheSampleTimesEvenlySpaced() {
        var decoder = WitMotionDecoder(configuration: .init(rate: 100))
        var times: [Double] = []
        var gyro: [Double] = []
        var truth = 0.0
        for index in 0..<1000 {
            let t = 10 + Double(index) / 100
            // A 1.5 s kick and back: up to 120 deg/s about x.
            let rate = 120 * sin(2 * Double.pi * t / 1.5)
            truth += rate / 100
            let sample = ImuSample(time: t, accelerometer: Vector3(0, 0, 1), gyroscope: Vector3(Float(rate), 0, 0))
            // Read when sent, except while stalled: 80-150 ms of every 150 ms window is read at its end.
            let phase = (t - 10).truncatingRemainder(dividingBy: 0.15)
            let arrival = phase >= 0.08 - 1e-9 ? t - phase + 0.15 : t
            decoder.decode(WitMotionEmulation.cycle(sample), receivedAt: arrival) {
                if case .sample(let s) = $0 { times.append(s.time); gyro.append(Double(s.gyroscope.x)) }
            }
        }
        #expect(times.count == 1000)
        #expect(decoder.counters.lostSamples == 0)
        let steps = zip(times, times.dropFirst()).map { $1 - $0 }
        #expect(steps.allSatisfy { abs($0 - 0.01) < 1e-9 }, "\(Set(steps.map { ($0 * 1e4).rounded() / 10 }).sorted()) ms")
        var integrated = 0.0
        for i in 1..<times.count { integrated += gyro[i] * (times[i] - times[i - 1]) }
        // The first sample's own turn is not integrated (no step before it); the rest within the 16-bit words.
        #expect(abs(integrated - (truth - gyro[0] / 100)) < 0.1, "integrated \(integrated) deg, true \(truth) deg")
    }

    /// An acceleration packet whose angular-velocity partner was corrupted is a lost sample.
    @Test func badChecksumDropsThePacketAndCountsTheLostSample() {
        var first = WitMotionEmulation.cycle(FamilyFixtures.samples[0], timePackets: true)
        first[11 + 11 + 5] ^= 0x01  // inside the 0x52 packet, after the time and acceleration packets
        let second = WitMotionEmulation.cycle(FamilyFixtures.samples[1], timePackets: true)
        var decoder = WitMotionDecoder()
        let decoded = FamilyFixtures.samples(in: decoder.decode(first + second, receivedAt: 0))
        #expect(decoded.count == 1)
        #expect(decoder.counters.checksumFailures == 1)
        #expect(decoder.counters.lostSamples == 1)
        #expect(decoder.counters.skippedBytes >= 1)
    }

    /// Garbage with stray 0x55 bytes between cycles: every sample is found again.
    @Test func garbageWithStrayHeadersResynchronises() {
        var stream: [UInt8] = []
        var skippable: UInt64 = 0
        for (index, sample) in FamilyFixtures.samples.prefix(100).enumerated() {
            var garbage = FamilyFixtures.garbage(index % 17, seed: UInt64(100 + index), excluding: [0x55])
            if index % 3 == 0 { garbage.insert(0x55, at: garbage.count / 2) }
            stream += garbage + WitMotionEmulation.cycle(sample)
            skippable += UInt64(garbage.count)
        }
        var decoder = WitMotionDecoder()
        #expect(FamilyFixtures.samples(in: decoder.decode(stream, receivedAt: 0)).count == 100)
        #expect(decoder.counters.skippedBytes == skippable)
        #expect(decoder.counters.bytes == UInt64(stream.count))
    }

    @Test func everyChunkSizeGivesTheSameOutputsAndCounters() {
        var stream = FamilyFixtures.garbage(50, seed: 3)
        for (index, sample) in FamilyFixtures.samples.prefix(60).enumerated() {
            var cycle = WitMotionEmulation.cycle(sample)
            if index % 7 == 0 { cycle[13] ^= 0x10 }
            stream += cycle + FamilyFixtures.garbage(index % 5, seed: UInt64(index))
        }
        var whole = WitMotionDecoder()
        let reference = whole.decode(stream, receivedAt: 1)
        for size in 1...23 {
            var decoder = WitMotionDecoder()
            var outputs: [SensorFamilyOutput] = []
            FamilyFixtures.chunks(stream, size: size) { decoder.decode(Array($0), receivedAt: 1) { outputs.append($0) } }
            #expect(outputs == reference, "chunk size \(size)")
            #expect(decoder.counters == whole.counters, "chunk size \(size)")
        }
    }
}
