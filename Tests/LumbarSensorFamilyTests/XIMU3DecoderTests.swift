import LumbarCore
import LumbarProtocol
import LumbarSim
import Testing

struct XIMU3DecoderTests {
    /// Inertial message examples of the x-IMU3 user manual (timestamp 1 s, accelerometer Z = 1 g).
    @Test func manualInertialExamplesDecodeInBothModes() {
        let ascii = Array("I,1000000,0.0000,0.0000,0.0000,0.0000,0.0000,1.0000\n".utf8)
        let binary: [UInt8] =
            [0xC9, 0x40, 0x42, 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00] + [UInt8](repeating: 0, count: 20)
            + [0x00, 0x00, 0x80, 0x3F, 0x0A]
        let expected = SensorFamilyOutput.sample(ImuSample(time: 1, accelerometer: Vector3(0, 0, 1), gyroscope: .zero))
        for bytes in [ascii, binary] {
            var decoder = XIMU3Decoder()
            #expect(decoder.decode(bytes) == [expected])
            #expect(decoder.counters.skippedBytes == 0)
        }
    }

    /// Battery, notification and error examples of the manual, ASCII and binary.
    @Test func manualStatusExamplesDecode() {
        let battery = SensorFamilyOutput.battery(time: 1, percent: 100, volts: 4.2, chargingStatus: 2)
        let button = SensorFamilyOutput.notification(time: 1, text: "Button pressed.")
        let empty = SensorFamilyOutput.deviceError(time: 1, text: "Battery empty.")
        let stamp: [UInt8] = [0x40, 0x42, 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00]
        let cases: [([UInt8], SensorFamilyOutput)] = [
            (Array("B,1000000,100.0000,4.2000,2.0000\n".utf8), battery),
            ([0xC2] + stamp + [0x00, 0x00, 0xC8, 0x42, 0x66, 0x66, 0x86, 0x40, 0x00, 0x00, 0x00, 0x40, 0x0A], battery),
            (Array("N,1000000,Button pressed.\n".utf8), button),
            ([0xCE] + stamp + [0x42, 0x75, 0x74, 0x74, 0x6F, 0x6E, 0x20, 0x70, 0x72, 0x65, 0x73, 0x73, 0x65, 0x64, 0x2E, 0x0A], button),
            (Array("F,1000000,Battery empty.\n".utf8), empty),
            ([0xC6] + stamp + [0x42, 0x61, 0x74, 0x74, 0x65, 0x72, 0x79, 0x20, 0x65, 0x6D, 0x70, 0x74, 0x79, 0x2E, 0x0A], empty),
            (Array("T,1000000,25.0000\n".utf8), .temperature(time: 1, celsius: 25)),
        ]
        for (bytes, expected) in cases {
            var decoder = XIMU3Decoder()
            #expect(decoder.decode(bytes) == [expected], "\(bytes)")
        }
    }

    /// The manual's byte-stuffing examples 2 to 4 (0x0A and 0xDB inside a message), as the arguments of a
    /// binary notification: the stuffed bytes decode to the original ones.
    @Test func manualByteStuffingExamplesUnstuff() {
        let stamp: [UInt8] = [0x40, 0x42, 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00]
        let examples: [(stuffed: [UInt8], original: [UInt8])] = [
            ([0x45, 0xDB, 0xDC, 0x41, 0x4D, 0x50, 0x4C, 0x45], [0x45, 0x0A, 0x41, 0x4D, 0x50, 0x4C, 0x45]),
            ([0x45, 0x58, 0xDB, 0xDD, 0x4D, 0x50, 0x4C, 0x45], [0x45, 0x58, 0xDB, 0x4D, 0x50, 0x4C, 0x45]),
            ([0x45, 0x58, 0x41, 0x4D, 0x50, 0xDB, 0xDD, 0xDB, 0xDC], [0x45, 0x58, 0x41, 0x4D, 0x50, 0xDB, 0x0A]),
        ]
        for example in examples {
            var decoder = XIMU3Decoder()
            let outputs = decoder.decode([0xCE] + stamp + example.stuffed + [0x0A])
            #expect(outputs == [.notification(time: 1, text: String(decoding: example.original, as: UTF8.self))])
        }
    }

    @Test func binaryEmulatorStreamDecodesToEverySampleExactly() {
        var decoder = XIMU3Decoder()
        let outputs = decoder.decode(XIMU3Emulation.stream(FamilyFixtures.samples, mode: .binary, statusEvery: 50))
        let decoded = FamilyFixtures.samples(in: outputs)
        #expect(decoded.count == FamilyFixtures.samples.count)
        for (got, sent) in zip(decoded, FamilyFixtures.samples) {
            #expect(got.accelerometer == sent.accelerometer && got.gyroscope == sent.gyroscope)
            #expect(abs(got.time - sent.time) <= 0.5e-6)
        }
        #expect(outputs.count == decoded.count + 2 * (FamilyFixtures.samples.count / 50))
        #expect(decoder.counters.skippedBytes == 0)
    }

    @Test func asciiEmulatorStreamDecodesWithinTheFourDecimals() {
        var decoder = XIMU3Decoder()
        let decoded = FamilyFixtures.samples(in: decoder.decode(XIMU3Emulation.stream(FamilyFixtures.samples, mode: .ascii)))
        #expect(decoded.count == FamilyFixtures.samples.count)
        for (got, sent) in zip(decoded, FamilyFixtures.samples) {
            // Half the last printed decimal plus a Float rounding step.
            #expect(FamilyFixtures.near(got.accelerometer, sent.accelerometer, 0.00006))
            #expect(FamilyFixtures.near(got.gyroscope, sent.gyroscope, 0.0001))
        }
        #expect(decoder.counters.skippedBytes == 0)
    }

    /// Bytes that need stuffing (0x0A, 0xDB) in timestamps and floats survive the round trip.
    @Test func timestampsAndValuesThatNeedStuffingRoundTrip() {
        let sample = ImuSample(
            time: Double(0x0A_DB0A) / 1e6, accelerometer: Vector3(Float(bitPattern: 0x3F0A_DB0A), 0, 1),
            gyroscope: Vector3(Float(bitPattern: 0x40DB_0A0A), -1, 2)
        )
        let bytes = XIMU3Emulation.inertial(sample, mode: .binary)
        #expect(bytes.filter { $0 == 0x0A }.count == 1)
        var decoder = XIMU3Decoder()
        #expect(decoder.decode(bytes) == [.sample(sample)])
    }

    @Test func everyChunkSizeGivesTheSameOutputsAndCounters() {
        var stream = Array("garbage without a line end".utf8) + [0x0A]
        stream += XIMU3Emulation.stream(Array(FamilyFixtures.samples.prefix(40)), mode: .binary, statusEvery: 10)
        stream += FamilyFixtures.garbage(300, seed: 7) + [0x0A]
        stream += XIMU3Emulation.stream(Array(FamilyFixtures.samples.prefix(40)), mode: .ascii, statusEvery: 10)
        stream += XIMU3Emulation.pingResponse(name: "x-IMU3", serialNumber: "0123ABCD")
        var whole = XIMU3Decoder()
        let reference = whole.decode(stream)
        #expect(FamilyFixtures.samples(in: reference).count >= 79)
        for size in [1, 2, 3, 5, 7, 11, 33, 64, 257, 1000] {
            var decoder = XIMU3Decoder()
            var outputs: [SensorFamilyOutput] = []
            FamilyFixtures.chunks(stream, size: size) { chunk in decoder.decode(Array(chunk)) { outputs.append($0) } }
            #expect(outputs == reference, "chunk size \(size)")
            #expect(decoder.counters == whole.counters, "chunk size \(size)")
        }
        #expect(whole.commandResponses == 1)
    }

    /// Garbage ending in LF costs exactly its own bytes: every message around it decodes.
    @Test func garbageLinesAreSkippedAndCountedWithoutLosingMessages() {
        let samples = Array(FamilyFixtures.samples.prefix(30))
        var stream: [UInt8] = []
        var garbageBytes: UInt64 = 0
        for (index, sample) in samples.enumerated() {
            stream += XIMU3Emulation.inertial(sample, mode: index.isMultiple(of: 2) ? .binary : .ascii)
            let garbage = FamilyFixtures.garbage(index % 13 + 1, seed: UInt64(index), excluding: [0x0A]) + [0x0A]
            stream += garbage
            garbageBytes += UInt64(garbage.count)
        }
        var decoder = XIMU3Decoder()
        let decoded = FamilyFixtures.samples(in: decoder.decode(stream))
        #expect(decoded.count == samples.count)
        #expect(decoder.counters.skippedBytes == garbageBytes)
        #expect(decoder.counters.bytes == UInt64(stream.count))
    }

    @Test func oversizeMessageIsDroppedWholeAndTheNextOneDecodes() {
        let long = [UInt8](repeating: 0x41, count: XIMU3Decoder.maximumMessageLength + 10) + [0x0A]
        let good = XIMU3Emulation.inertial(FamilyFixtures.samples[0], mode: .binary)
        var decoder = XIMU3Decoder()
        FamilyFixtures.chunks(long + good, size: 100) { _ = decoder.decode(Array($0)) }
        var fresh = XIMU3Decoder()
        #expect(FamilyFixtures.samples(in: fresh.decode(long + good)).count == 1)
        #expect(decoder.counters.oversizeMessages == 1 && decoder.counters.samples == 1)
        #expect(decoder.counters.skippedBytes == UInt64(long.count))
        #expect(fresh.counters == decoder.counters)
    }

    @Test func truncatedOrBadlyEscapedBinaryMessagesAreMalformed() {
        let good = XIMU3Emulation.inertial(FamilyFixtures.samples[0], mode: .binary)
        var truncated = Array(good.prefix(20))
        truncated.append(0x0A)
        let badEscape: [UInt8] = [0xC9, 0xDB, 0x01, 0x0A]
        var decoder = XIMU3Decoder()
        let outputs = decoder.decode(truncated + badEscape + good)
        #expect(FamilyFixtures.samples(in: outputs).count == 1)
        #expect(decoder.counters.malformedMessages == 2)
    }
}
