import LumbarProtocol
import Testing

struct FrameDecoderTests {
    /// A stream with every packet type, a corrupt frame, an unknown type, garbage and a sequence gap.
    static let mixedStream: [UInt8] = {
        var encoder = FrameEncoder()
        var bytes: [UInt8] = []
        for packet in Fixtures.everyPacket { encoder.encode(packet, into: &bytes) }
        encoder.encode(.sampleBatch(Fixtures.batch(sequence: 100, count: 20)), into: &bytes)
        var corrupt: [UInt8] = []
        encoder.encode(.sampleBatch(Fixtures.batch(sequence: 120, count: 20)), into: &corrupt)
        corrupt[40] ^= 0x01
        bytes += corrupt
        encoder.encodeRaw(version: 1, type: 0x7F, payload: [1, 2, 3], into: &bytes)
        bytes += [0x55, 0xAA, 0x13, 0x00]
        encoder.encode(.sampleBatch(Fixtures.batch(sequence: 140, count: 20)), into: &bytes)
        return bytes
    }()

    @Test func everyChunkSizeGivesTheSameOutputs() {
        let (reference, referenceCounters) = Fixtures.decode(Self.mixedStream, chunkSize: Self.mixedStream.count)
        #expect(referenceCounters.frames == UInt64(Fixtures.everyPacket.count + 2))
        #expect(referenceCounters.crcFailures == 1)
        #expect(referenceCounters.unknownPacketTypes == 1)
        #expect(referenceCounters.lostSamples == 40)  // 20 before seq 100, 20 in the corrupt batch
        for chunkSize in 1...500 {
            let (outputs, counters) = Fixtures.decode(Self.mixedStream, chunkSize: chunkSize)
            #expect(outputs == reference, "chunk size \(chunkSize)")
            #expect(counters == referenceCounters, "chunk size \(chunkSize)")
        }
    }

    @Test func corruptFrameIsDroppedWithoutLosingTheFrameBehindIt() {
        var frame = FrameEncoder.frame(.status(Fixtures.status))
        let good = FrameEncoder.frame(.status(Fixtures.status))
        frame[5] ^= 0x20
        var decoder = FrameDecoder()
        let outputs = decoder.decode(frame + good)
        #expect(outputs.count == 2)
        guard case .dropped(.crcMismatch(let offset, _, let received, let computed)) = outputs.first else {
            Issue.record("expected a CRC mismatch, got \(outputs)")
            return
        }
        #expect(offset == 0)
        #expect(received != computed)
        #expect(outputs.last == .packet(.status(Fixtures.status)))
        #expect(decoder.counters.crcFailures == 1)
        #expect(decoder.counters.frames == 1)
    }

    @Test func garbageBeforeADelimiterIsOneDroppedFrame() {
        let good = FrameEncoder.frame(.acknowledgement(Acknowledgement(token: 1, opcode: 1, result: .ok)))
        var decoder = FrameDecoder()
        let outputs = decoder.decode([0x13, 0x37, 0x42, 0x00] + good)
        #expect(outputs.count == 2)
        #expect(outputs.first.map { if case .dropped = $0 { true } else { false } } == true)
        #expect(outputs.last == .packet(.acknowledgement(Acknowledgement(token: 1, opcode: 1, result: .ok))))
    }

    @Test func emptyFramesBetweenDelimitersAreIgnored() {
        let good = FrameEncoder.frame(.status(Fixtures.status))
        var decoder = FrameDecoder()
        #expect(decoder.decode([0, 0, 0] + good + [0, 0]) == [.packet(.status(Fixtures.status))])
        #expect(decoder.counters.droppedFrames == 0)
    }

    @Test func oversizeFrameIsReportedOnceAndTheNextFrameDecodes() {
        let long = [UInt8](repeating: 0x41, count: WireFormat.maximumEncodedFrameLength * 3)
        let good = FrameEncoder.frame(.status(Fixtures.status))
        for chunkSize in [1, 7, 1000, 5000] {
            let (outputs, counters) = Fixtures.decode(long + [0] + good, chunkSize: chunkSize)
            #expect(
                outputs == [
                    .dropped(.oversize(offset: 0, limit: WireFormat.maximumEncodedFrameLength)),
                    .packet(.status(Fixtures.status)),
                ],
                "chunk size \(chunkSize)"
            )
            #expect(counters.oversizeFrames == 1)
        }
    }

    @Test func truncatedFrameIsDroppedAtTheNextDelimiter() {
        let frame = FrameEncoder.frame(.sampleBatch(Fixtures.batch(sequence: 0, count: 10)))
        let good = FrameEncoder.frame(.status(Fixtures.status))
        var decoder = FrameDecoder()
        let outputs = decoder.decode(Array(frame.prefix(50)) + [0] + good)
        #expect(outputs.count == 2)
        #expect(outputs.last == .packet(.status(Fixtures.status)))
        #expect(decoder.counters.droppedFrames == 1)
    }

    @Test func unknownPacketTypeIsSkippedAndCounted() {
        var encoder = FrameEncoder()
        var bytes: [UInt8] = []
        encoder.encodeRaw(version: 1, type: 0x42, payload: [9, 9], into: &bytes)
        encoder.encode(.status(Fixtures.status), into: &bytes)
        var decoder = FrameDecoder()
        #expect(
            decoder.decode(bytes) == [
                .dropped(.unknownPacketType(offset: 0, type: 0x42, length: 8)), .packet(.status(Fixtures.status)),
            ]
        )
        #expect(decoder.counters.unknownPacketTypes == 1)
    }

    @Test func longerPayloadsThanKnownAreAccepted() {
        var encoder = FrameEncoder()
        var bytes: [UInt8] = []
        encoder.encodeRaw(version: 1, type: 0x11, payload: [1, 0, 2, 0, 0xEE, 0xEE], into: &bytes)
        var decoder = FrameDecoder()
        #expect(decoder.decode(bytes) == [.packet(.acknowledgement(Acknowledgement(token: 1, opcode: 2, result: .ok)))])
    }

    @Test func otherProtocolVersionsAreDropped() {
        var encoder = FrameEncoder()
        var bytes: [UInt8] = []
        encoder.encodeRaw(version: 2, type: 0x11, payload: [1, 0, 2, 0], into: &bytes)
        var decoder = FrameDecoder()
        #expect(decoder.decode(bytes) == [.dropped(.unsupportedVersion(offset: 0, version: 2))])
        #expect(decoder.counters.malformedFrames == 1)
    }

    @Test func sequenceGapCountsLostSamplesAcrossWrapAround() {
        var encoder = FrameEncoder()
        var bytes: [UInt8] = []
        encoder.encode(.sampleBatch(Fixtures.batch(sequence: UInt32.max - 9, count: 5)), into: &bytes)
        // expected next: max - 4; next batch starts at 3 (wrapped): 4 + 1 + 3 = 8 samples lost
        encoder.encode(.sampleBatch(Fixtures.batch(sequence: 3, count: 5)), into: &bytes)
        encoder.encode(.sampleBatch(Fixtures.batch(sequence: 8, count: 5)), into: &bytes)
        var decoder = FrameDecoder()
        let outputs = decoder.decode(bytes)
        #expect(outputs[1] == .samplesLost(SequenceGap(expected: UInt32.max - 4, received: 3, lostSamples: 8)))
        #expect(outputs.count == 4)
        #expect(decoder.counters.lostSamples == 8)
        #expect(decoder.counters.sequenceGaps == 1)
        #expect(decoder.counters.samples == 15)
    }

    @Test func sequenceJumpingBackIsARestartNotALoss() {
        var encoder = FrameEncoder()
        var bytes: [UInt8] = []
        encoder.encode(.sampleBatch(Fixtures.batch(sequence: 5000, count: 5)), into: &bytes)
        encoder.encode(.sampleBatch(Fixtures.batch(sequence: 0, count: 5)), into: &bytes)
        var decoder = FrameDecoder()
        let outputs = decoder.decode(bytes)
        #expect(outputs[1] == .sequenceRestarted(expected: 5005, received: 0))
        #expect(decoder.counters.lostSamples == 0)
        #expect(decoder.counters.sequenceRestarts == 1)
    }

    @Test func malformedPayloadsAreDroppedWithTheirDefect() {
        var encoder = FrameEncoder()
        var bytes: [UInt8] = []
        encoder.encodeRaw(version: 1, type: 0x02, payload: [UInt8](repeating: 1, count: 17), into: &bytes)
        var emptyBatch = [UInt8](repeating: 0, count: 18)
        emptyBatch[16] = 0
        encoder.encodeRaw(version: 1, type: 0x02, payload: emptyBatch, into: &bytes)
        var decoder = FrameDecoder()
        let outputs = decoder.decode(bytes)
        #expect(
            outputs == [
                .dropped(
                    .malformedPayload(
                        offset: 0,
                        type: .sampleBatch,
                        payloadLength: 17,
                        defect: .tooShort(minimumLength: 18)
                    )
                ),
                .dropped(
                    .malformedPayload(offset: 25, type: .sampleBatch, payloadLength: 18, defect: .emptySampleBatch)
                ),
            ]
        )
    }

    @Test func randomBytesNeverTrapAndCountEveryByte() {
        var generator = SeededGenerator(seed: 7)
        var decoder = FrameDecoder()
        var total = 0
        for round in 0..<200 {
            let length = Int.random(in: 0...3000, using: &generator)
            // Mostly small alphabets so delimiters and plausible COBS codes appear often.
            let alphabet: UInt8 = round % 2 == 0 ? 255 : 4
            let chunk = (0..<length).map { _ in UInt8.random(in: 0...alphabet, using: &generator) }
            decoder.decode(chunk) { _ in }
            total += length
        }
        #expect(decoder.counters.bytes == UInt64(total))
    }

    @Test func randomRoundTripsSurviveRandomChunking() {
        var generator = SeededGenerator(seed: 2024)
        var encoder = FrameEncoder()
        var stream: [UInt8] = []
        var expected: [DecoderOutput] = []
        var sequence: UInt32 = UInt32.random(in: 0...UInt32.max, using: &generator)
        for _ in 0..<300 {
            let count = Int.random(in: 1...SampleBatch.maximumSampleCount, using: &generator)
            let samples = (0..<count).map { _ in
                RawImuSample(
                    accelerometer: RawVector3(
                        .random(in: .min ... .max, using: &generator),
                        .random(in: .min ... .max, using: &generator),
                        0
                    ),
                    gyroscope: RawVector3(
                        .random(in: .min ... .max, using: &generator),
                        0,
                        .random(in: .min ... .max, using: &generator)
                    )
                )
            }
            let batch = SampleBatch(
                sequence: sequence,
                timestamp: .random(in: 0...UInt64.max, using: &generator),
                samplePeriod: .random(in: 0...UInt32.max, using: &generator),
                samples: samples
            )
            encoder.encode(.sampleBatch(batch), into: &stream)
            expected.append(.packet(.sampleBatch(batch)))
            sequence = batch.nextSequence
        }
        var decoder = FrameDecoder()
        var outputs: [DecoderOutput] = []
        var start = 0
        while start < stream.count {
            let end = min(stream.count, start + Int.random(in: 0...700, using: &generator))
            decoder.decode(stream[start..<end]) { outputs.append($0) }
            start = end
        }
        #expect(outputs == expected)
    }

    @Test func batchStorageIsReusedWhenTheConsumerLetsGoOfTheBatch() {
        var encoder = FrameEncoder()
        var bytes: [UInt8] = []
        for k in 0..<5 {
            encoder.encode(.sampleBatch(Fixtures.batch(sequence: UInt32(k * 20), count: 20)), into: &bytes)
        }
        var decoder = FrameDecoder()
        var storage: Set<UInt> = []
        decoder.decode(bytes) { output in
            guard case .packet(.sampleBatch(let batch)) = output else { return }
            batch.samples.withUnsafeBufferPointer { storage.insert(UInt(bitPattern: $0.baseAddress)) }
        }
        #expect(storage.count == 1, "one sample buffer for all batches: no allocation per batch in steady state")
        // A consumer that keeps a batch gets its own copy-on-write snapshot; later batches do not change it.
        var kept: [SampleBatch] = []
        decoder.decode(bytes) { output in
            if case .packet(.sampleBatch(let batch)) = output { kept.append(batch) }
        }
        #expect(kept.map(\.sequence) == [0, 20, 40, 60, 80])
        #expect(kept.map { $0.samples.first?.accelerometer.x } == [0, 20, 40, 60, 80])
    }

    @Test func everyDroppedFrameExplainsItselfInOneLine() {
        let errors: [FrameError] = [
            .oversize(offset: 1, limit: WireFormat.maximumEncodedFrameLength),
            .invalidEncoding(offset: 2, position: 3, code: 0x48),
            .tooShort(offset: 4, length: 3),
            .crcMismatch(offset: 5, length: 28, received: 0xDEAD_BEEF, computed: 0x0123_4567),
            .unsupportedVersion(offset: 6, version: 2),
            .unknownPacketType(offset: 7, type: 0x7F, length: 9),
            .malformedPayload(offset: 8, type: .status, payloadLength: 10, defect: .tooShort(minimumLength: 22)),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains("at byte \(error.offset)"))
        }
        #expect(errors[3].description.contains("0xDEADBEEF received, 0x01234567 computed"))
        #expect(errors[6].description.contains("needs at least 22 bytes"))
    }
}

