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

    /// A silence of 20 periods (lost packets) is counted and the times after it line up again.
    @Test func lostPacketsAreCountedAndTimesRealign() {
        var decoder = WitMotionDecoder(configuration: .init(rate: 100))
        var times: [Double] = []
        for (index, sample) in FamilyFixtures.samples.prefix(60).enumerated() where !(20..<40).contains(index) {
            decoder.decode(WitMotionEmulation.cycle(sample), receivedAt: Double(index) / 100) {
                if case .sample(let s) = $0 { times.append(s.time) }
            }
        }
        #expect(times.count == 40)
        #expect(decoder.counters.lostSamples == 20)
        #expect(abs(times[20] - 0.40) < 1e-9)
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
