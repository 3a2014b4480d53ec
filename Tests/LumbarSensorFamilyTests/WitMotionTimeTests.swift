import LumbarCore
import LumbarProtocol
import LumbarSim
import Testing

/// The WitMotion time packet (0x50): decoded from the manual's layout, and, on a device set to send it,
/// the clock its samples are timed by (no receive latency in them, lost cycles seen as gaps).
@Suite("Sensor families: WitMotion time packets")
struct WitMotionTimeTests {
    /// Built byte by byte from the manual's "Time Output" table (0x55 0x50 YY MM DD hh mm ss msL msH SUM,
    /// year 20YY, ms = msH << 8 | msL, SUM the low byte of the first ten): 2026-12-05 03:04:05.678,
    /// 678 = 0x02A6; SUM = 0x55+0x50+0x1A+0x0C+0x05+0x03+0x04+0x05+0xA6+0x02 = 0x184 -> 0x84.
    static let vendorLayoutVector: [UInt8] = [0x55, 0x50, 0x1A, 0x0C, 0x05, 0x03, 0x04, 0x05, 0xA6, 0x02, 0x84]

    @Test func theManualsTimePacketLayoutDecodesToItsDateAndTime() throws {
        let time = try #require(Self.vendorLayoutVector.withUnsafeBytes { WitMotionTime(packet: $0) })
        #expect(time == WitMotionTime(year: 2026, month: 12, day: 5, hour: 3, minute: 4, second: 5, millisecond: 678))
        // 9835 days from 2000-01-01, then 03:04:05.678.
        #expect(time.secondsSince2000 == 849_755_045.678)
        var decoder = WitMotionDecoder()
        #expect(decoder.decode(Self.vendorLayoutVector, receivedAt: 1).isEmpty)
        #expect(decoder.lastTime == time && decoder.counters.messages == 1 && decoder.counters.checksumFailures == 0)
    }

    @Test func aFieldOutOfItsRangeIsNotATime() {
        var month13 = Self.vendorLayoutVector
        month13[3] = 13
        #expect(month13.withUnsafeBytes { WitMotionTime(packet: $0) } == nil)
        var ms1000 = Self.vendorLayoutVector
        (ms1000[8], ms1000[9]) = (0xE8, 0x03)
        #expect(ms1000.withUnsafeBytes { WitMotionTime(packet: $0) } == nil)
    }

    /// A device sending time packets, delivered in bursts with 1-30 ms of latency: the sample times are its
    /// clock from 0 (exactly 10 ms apart), not the arrivals; without time packets the receive clock stays.
    @Test func aDeviceSendingItsTimeIsTimedByItNotByArrivals() {
        var decoder = WitMotionDecoder(configuration: .init(rate: 100))
        var random = SplitMix64(seed: 5)
        var times: [Double] = []
        for (index, sample) in FamilyFixtures.samples.enumerated() {
            let device = ImuSample(time: 7.5 + Double(index) / 100, accelerometer: sample.accelerometer, gyroscope: sample.gyroscope)
            let arrival = 100 + Double(index) / 100 + Double(1 + random.next() % 30) / 1000
            decoder.decode(WitMotionEmulation.cycle(device, timePackets: true), receivedAt: arrival) {
                if case .sample(let s) = $0 { times.append(s.time) }
            }
        }
        #expect(decoder.timeSource == .timePackets)
        #expect(times.count == FamilyFixtures.samples.count)
        #expect(times.enumerated().allSatisfy { abs($0.element - Double($0.offset) / 100) < 1e-6 })
        #expect(decoder.counters.lostSamples == 0)

        var plain = WitMotionDecoder(configuration: .init(rate: 100))
        _ = plain.decode(WitMotionEmulation.cycle(FamilyFixtures.samples[0]), receivedAt: 3)
        #expect(plain.timeSource == .receiveClock)
    }

    /// Cycles 20-39 lost (all arriving at once afterwards would not matter): the gap in the device's time
    /// counts 20 lost samples and the next sample is at its own time; a clock set back continues one
    /// period on.
    @Test func lostCyclesAreCountedFromTheDevicesTimeAndAClockSetBackContinues() {
        var decoder = WitMotionDecoder(configuration: .init(rate: 100))
        var times: [Double] = []
        for (index, sample) in FamilyFixtures.samples.prefix(60).enumerated() where !(20..<40).contains(index) {
            let device = ImuSample(time: 4000 + Double(index) / 100, accelerometer: sample.accelerometer, gyroscope: sample.gyroscope)
            decoder.decode(WitMotionEmulation.cycle(device, timePackets: true), receivedAt: 200) {
                if case .sample(let s) = $0 { times.append(s.time) }
            }
        }
        #expect(times.count == 40 && decoder.counters.lostSamples == 20)
        #expect(abs(times[20] - 0.40) < 1e-6)
        // The device's clock set back by an hour: the next sample is one period after the last.
        let back = ImuSample(time: 4000 - 3600 + 0.6, accelerometer: Vector3(0, 0, 1), gyroscope: Vector3(0, 0, 0))
        decoder.decode(WitMotionEmulation.cycle(back, timePackets: true), receivedAt: 201) {
            if case .sample(let s) = $0 { times.append(s.time) }
        }
        #expect(abs(times.last! - (times[39] + 0.01)) < 1e-9)
    }
}
