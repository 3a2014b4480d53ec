import CLumbarProtocol
import LumbarProtocol
import Testing

/// The C reference codec and LumbarProtocol agree in both directions.
struct CrossCodecTests {
    @Test func cCRCMatchesTheCatalogueCheckValue() {
        #expect(lp_crc32c(Array("123456789".utf8), 9) == CRC32C.checkValue)
    }

    @Test func cLimitsAreTheSwiftLimits() {
        #expect(MemoryLayout.size(ofValue: lp_decoder().buf) == WireFormat.maximumEncodedFrameLength)
        #expect(MemoryLayout.size(ofValue: lp_sample_batch().samples) / 12 == SampleBatch.maximumSampleCount)
        #expect(MemoryLayout.size(ofValue: lp_device_info().imu_part_name) == DeviceInfo.maximumPartNameLength)
    }

    @Test(arguments: Fixtures.everyPacket)
    func cAndSwiftEncodeEveryPacketIdentically(packet: Packet) throws {
        let cFrame = try #require(CCodec.encode(packet))
        #expect(cFrame == FrameEncoder.frame(packet))
    }

    @Test func randomPacketsRoundTripSwiftToCAndBack() throws {
        var generator = SeededGenerator(seed: 99)
        var swiftStream: [UInt8] = []
        var cStream: [UInt8] = []
        var packets: [Packet] = []
        var encoder = FrameEncoder()
        var sequence: UInt32 = 0
        for _ in 0..<400 {
            let packet = Self.randomPacket(&generator, sequence: &sequence)
            packets.append(packet)
            encoder.encode(packet, into: &swiftStream)
            cStream += try #require(CCodec.encode(packet))
        }
        #expect(cStream == swiftStream)
        let chunk = Int.random(in: 1...300, using: &generator)
        // Swift-encoded bytes through the C decoder, C-encoded bytes through the Swift decoder.
        let (cOutputs, cCounters) = CCodec.decode(swiftStream, chunkSize: chunk)
        let (swiftOutputs, swiftCounters) = Fixtures.decode(cStream, chunkSize: chunk)
        expectSame(cOutputs.compactMap(\.packet), packets, "C decoder")
        expectSame(swiftOutputs.compactMap(\.packet), packets, "Swift decoder")
        expectSame(cOutputs, swiftOutputs, "gaps and restarts")
        #expect(CCodec.counters(cCounters) == swiftCounters)
        #expect(swiftCounters.sequenceGaps > 0 && swiftCounters.sequenceRestarts > 0)
    }

    @Test func randomCorruptionIsReportedIdenticallyByBothDecoders() {
        var generator = SeededGenerator(seed: 5)
        var encoder = FrameEncoder()
        var stream: [UInt8] = []
        var sequence: UInt32 = 0
        for _ in 0..<300 {
            encoder.encode(Self.randomPacket(&generator, sequence: &sequence), into: &stream)
        }
        for _ in 0..<200 {
            let index = Int.random(in: 0..<stream.count, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: stream[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &generator)
            case 1: stream[index] = 0
            default: stream.remove(at: index)
            }
        }
        let (swiftOutputs, swiftCounters) = Fixtures.decode(stream, chunkSize: 97)
        let (cOutputs, cCounters) = CCodec.decode(stream, chunkSize: 13)
        expectSame(swiftOutputs, cOutputs, "Swift vs C")
        #expect(swiftCounters == CCodec.counters(cCounters))
        #expect(swiftCounters.droppedFrames > 0)
    }

    static func randomPacket(_ g: inout SeededGenerator, sequence: inout UInt32) -> Packet {
        switch Int.random(in: 0..<10, using: &g) {
        case 0:
            let name = String(
                (0..<Int.random(in: 0...32, using: &g)).map { _ in
                    Character(UnicodeScalar(UInt8.random(in: 0x21...0x7E, using: &g)))
                }
            )
            return .deviceInfo(
                DeviceInfo(
                    firmwareVersion: FirmwareVersion(
                        .random(in: 0...255, using: &g),
                        0,
                        .random(in: 0...255, using: &g)
                    ),
                    deviceID: .random(in: 0...UInt64.max, using: &g),
                    placement: .allCases.randomElement(using: &g) ?? .lumbar,
                    imuPartName: name,
                    accelerometerFullScale: .random(in: 0...UInt16.max, using: &g),
                    gyroscopeFullScale: .random(in: 0...UInt16.max, using: &g),
                    accelerometerSensitivity: .random(in: -1...1, using: &g),
                    gyroscopeSensitivity: .random(in: 0...1, using: &g),
                    sampleRateMillihertz: .random(in: 0...UInt32.max, using: &g),
                    tickFrequency: .random(in: 1...UInt32.max, using: &g)
                )
            )
        case 1:
            return .status(
                DeviceStatus(
                    timestamp: .random(in: 0...UInt64.max, using: &g),
                    batteryMillivolts: .random(in: 0...0xFFFE, using: &g),
                    batteryPercent: Bool.random(using: &g) ? nil : .random(in: 0...100, using: &g),
                    isStreaming: .random(using: &g),
                    temperatureCentidegrees: .random(in: -3000...9000, using: &g),
                    samplesDropped: .random(in: 0...UInt32.max, using: &g),
                    errors: DeviceStatus.ErrorFlags(rawValue: .random(in: 0...UInt32.max, using: &g))
                )
            )
        case 2:
            let actions: [HostCommand.Action] = [
                .startStreaming, .stopStreaming, .requestDeviceInfo, .requestStatus,
                .setSampleRate(millihertz: .random(in: 0...UInt32.max, using: &g)),
                .setAccelerometerRange(g: .random(in: 0...UInt16.max, using: &g)),
                .setGyroscopeRange(degreesPerSecond: .random(in: 0...UInt16.max, using: &g)),
                .identify(milliseconds: .random(in: 0...UInt16.max, using: &g)),
                .unknown(opcode: .random(in: 0x09...0xFF, using: &g)),
            ]
            return .command(
                HostCommand(
                    token: .random(in: 0...UInt16.max, using: &g),
                    action: actions.randomElement(using: &g) ?? .startStreaming
                )
            )
        case 3:
            return .acknowledgement(
                Acknowledgement(
                    token: .random(in: 0...UInt16.max, using: &g),
                    opcode: .random(in: 0...255, using: &g),
                    result: .init(code: .random(in: 0...255, using: &g))
                )
            )
        default:
            let count = Int.random(in: 1...SampleBatch.maximumSampleCount, using: &g)
            // Mostly continuous, sometimes a gap or a restart.
            switch Int.random(in: 0..<10, using: &g) {
            case 0: sequence &+= .random(in: 1...1000, using: &g)
            case 1: sequence &-= .random(in: 1...1000, using: &g)
            default: break
            }
            let samples = (0..<count).map { _ in
                RawImuSample(
                    accelerometer: RawVector3(
                        .random(in: .min ... .max, using: &g),
                        .random(in: -300...300, using: &g),
                        .random(in: .min ... .max, using: &g)
                    ),
                    gyroscope: RawVector3(.random(in: -5...5, using: &g), .random(in: .min ... .max, using: &g), 0)
                )
            }
            let batch = SampleBatch(
                sequence: sequence,
                timestamp: .random(in: 0...UInt64.max, using: &g),
                samplePeriod: .random(in: 0...UInt32.max, using: &g),
                flags: SampleBatch.Flags(rawValue: .random(in: 0...3, using: &g)),
                samples: samples
            )
            sequence = batch.nextSequence
            return .sampleBatch(batch)
        }
    }
}
