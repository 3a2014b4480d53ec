import LumbarCore
import LumbarProtocol
import LumbarSim
import Testing

struct TextLineDecoderTests {
    @Test func emulatorStreamDecodesWithinThePrintedDecimals() {
        var decoder = TextLineDecoder()
        let decoded = FamilyFixtures.samples(in: decoder.decode(TextLineEmulation.stream(FamilyFixtures.samples)))
        #expect(decoded.count == FamilyFixtures.samples.count)
        for (got, sent) in zip(decoded, FamilyFixtures.samples) {
            #expect(abs(got.time - sent.time) <= 0.5e-6 + 1e-9)
            #expect(FamilyFixtures.near(got.accelerometer, sent.accelerometer, 0.00006))
            #expect(FamilyFixtures.near(got.gyroscope, sent.gyroscope, 0.0001))
        }
        #expect(decoder.counters.skippedBytes == 0)
    }

    /// Arduino's `micros()` wraps at 2³² µs (71.6 minutes): times keep increasing across the wrap.
    @Test func wrappingMicrosecondCounterIsUnwrapped() {
        let start = 4294.9
        let samples = (0..<40).map { ImuSample(time: start + Double($0) * 0.005, accelerometer: .unitZ, gyroscope: .zero) }
        var decoder = TextLineDecoder()
        let decoded = FamilyFixtures.samples(in: decoder.decode(TextLineEmulation.stream(samples)))
        #expect(decoded.count == 40)
        for (got, sent) in zip(decoded, samples) { #expect(abs(got.time - sent.time) < 1e-6) }
    }

    @Test func headerUnitsAreApplied() {
        let text = "time[ms];ax[m/s2];ay[m/s2];az[m/s2];gx[rad/s];gy[rad/s];gz[rad/s]\n1500;0;0;9.80665;3.14159265;0;0\n"
        var decoder = TextLineDecoder()
        let decoded = FamilyFixtures.samples(in: decoder.decode(Array(text.utf8)))
        #expect(decoded.count == 1)
        #expect(abs(decoded[0].time - 1.5) < 1e-12)
        #expect(abs(decoded[0].accelerometer.z - 1) < 1e-6)
        #expect(abs(decoded[0].gyroscope.x - 180) < 1e-3)
    }

    @Test func columnsInAnyOrderWithExtrasAreMapped() {
        let text = "gx_dps,gy_dps,gz_dps,temp,ax_g,ay_g,az_g,t_us\n1,2,3,25.5,0.1,0.2,0.3,1000\n"
        var decoder = TextLineDecoder()
        let decoded = FamilyFixtures.samples(in: decoder.decode(Array(text.utf8)))
        #expect(decoded == [ImuSample(time: 0.001, accelerometer: Vector3(0.1, 0.2, 0.3), gyroscope: Vector3(1, 2, 3))])
    }

    @Test func badHeaderIsRejectedWithAReasonAndThePreviousFormatStays() {
        var decoder = TextLineDecoder()
        let outputs = decoder.decode(Array("t_us,ax_furlongs,ay,az,gx,gy,gz\n1000,0,0,1,0,0,0\n".utf8))
        #expect(FamilyFixtures.samples(in: outputs).count == 1)
        #expect(decoder.lastHeaderError == .unknownUnit(column: "ax_furlongs", unit: "furlongs"))
        #expect(decoder.counters.malformedMessages == 1)
        #expect(throws: TextLineFormat.HeaderError.missingColumn("gz")) { try TextLineFormat(header: "t,ax,ay,az,gx,gy") }
    }

    @Test func malformedLinesAreSkippedAndCounted() {
        let good = "1000,0,0,1,0,0,0\n"
        let bad = ["1000,0,0,1,0,0\n", "1000,0,0,1,0,0,0,7\n", "1000,0,x,1,0,0,0\n", "\u{1}\u{2}\u{3}\n"]
        let stream = Array((good + bad.joined() + good).utf8)
        var decoder = TextLineDecoder()
        #expect(FamilyFixtures.samples(in: decoder.decode(stream)).count == 2)
        #expect(decoder.counters.malformedMessages == UInt64(bad.count))
        #expect(decoder.counters.skippedBytes == UInt64(bad.joined().utf8.count))
    }

    @Test func everyChunkSizeGivesTheSameOutputsAndCounters() {
        var stream = Array("2,0.0,".utf8)  // a port opened mid-line
        stream += TextLineEmulation.stream(Array(FamilyFixtures.samples.prefix(50)))
        stream += FamilyFixtures.garbage(200, seed: 5) + [0x0A]
        stream += Array("# comment\n".utf8) + TextLineEmulation.stream(Array(FamilyFixtures.samples.prefix(50)))
        var whole = TextLineDecoder()
        let reference = whole.decode(stream)
        #expect(FamilyFixtures.samples(in: reference).count == 100)
        for size in [1, 2, 3, 5, 8, 13, 64, 511, 513] {
            var decoder = TextLineDecoder()
            var outputs: [SensorFamilyOutput] = []
            FamilyFixtures.chunks(stream, size: size) { decoder.decode(Array($0)) { outputs.append($0) } }
            #expect(outputs == reference, "chunk size \(size)")
            #expect(decoder.counters == whole.counters, "chunk size \(size)")
        }
    }
}
