import LumbarCore
import LumbarProtocol
import Testing

struct PacketRoundTripTests {
    @Test(arguments: Fixtures.everyPacket)
    func everyPacketDecodesToWhatWasEncoded(packet: Packet) {
        let frame = FrameEncoder.frame(packet)
        #expect(frame.last == 0)
        #expect(frame.dropLast().allSatisfy { $0 != 0 }, "COBS leaves no zero inside a frame")
        #expect(frame.count <= WireFormat.maximumEncodedFrameLength + 1)
        var decoder = FrameDecoder()
        #expect(decoder.decode(frame) == [.packet(packet)])
        #expect(decoder.counters.frames == 1)
        #expect(decoder.counters.droppedFrames == 0)
    }

    @Test func fullestBatchFillsTheMaximumFrameExactly() {
        let batch = Fixtures.batch(sequence: 0, count: SampleBatch.maximumSampleCount)
        #expect(SampleBatch.maximumSampleCount == 83)
        // version + type + 18-byte header + 83 * 12 + CRC = 1020 <= 1024
        let frame = FrameEncoder.frame(.sampleBatch(batch))
        #expect(frame.count <= WireFormat.maximumEncodedFrameLength + 1)
    }

    @Test func samplesConvertToPhysicalUnitsOnTheDeviceClock() {
        let raw = RawImuSample(accelerometer: RawVector3(4096, -4096, 0), gyroscope: RawVector3(100, -100, 0))
        let batch = SampleBatch(
            sequence: 0,
            timestamp: 2_000_000,
            samplePeriod: 5000,
            samples: [raw, raw, raw]
        )
        var converted: [ImuSample] = []
        batch.appendSamples(scale: Fixtures.deviceInfo.scale, to: &converted)
        #expect(converted.map(\.time) == [2.0, 2.005, 2.01])
        #expect(converted[0].accelerometer == Vector3(1, -1, 0))  // 4096 * 8/32768, exact in binary
        #expect(converted[0].gyroscope.x == 100 * Float(0.07))
        #expect(converted[2].gyroscope.y == -100 * Float(0.07))
    }

    @Test func deviceIDPrintsAsSixteenHexDigits() {
        var info = Fixtures.deviceInfo
        #expect(info.deviceIDString == "0123456789abcdef")
        info.deviceID = 0xAB
        #expect(info.deviceIDString == "00000000000000ab")
    }

    @Test func unknownPlacementCodesReadAsUnassigned() {
        #expect(SensorPlacement(wireCode: 9) == .unassigned)
        for placement in SensorPlacement.allCases {
            #expect(SensorPlacement(wireCode: placement.wireCode) == placement)
        }
    }
}
