import LumbarCore
import LumbarProtocol
import Testing

/// The tests' fixed-seed generator.
typealias SeededGenerator = SplitMix64


enum Fixtures {
    static let deviceInfo = DeviceInfo(
        firmwareVersion: FirmwareVersion(1, 2, 3),
        deviceID: 0x0123_4567_89AB_CDEF,
        placement: .lumbar,
        imuPartName: "LSM6DSO",
        accelerometerFullScale: 8,
        gyroscopeFullScale: 2000,
        accelerometerSensitivity: 8.0 / 32768,
        gyroscopeSensitivity: 0.07,
        sampleRateMillihertz: 208_000,
        tickFrequency: 1_000_000
    )

    static let status = DeviceStatus(
        timestamp: 5_000_000,
        batteryMillivolts: 3987,
        batteryPercent: 81,
        isStreaming: true,
        temperatureCentidegrees: 3125,
        samplesDropped: 7,
        errors: [.fifoOverflow]
    )

    /// A batch whose samples are a deterministic function of their sequence number.
    static func batch(sequence: UInt32, count: Int, timestamp: UInt64 = 1_000_000, period: UInt32 = 4808) -> SampleBatch
    {
        let samples = (0..<count).map { i -> RawImuSample in
            let s = Int16(truncatingIfNeeded: Int(sequence) &+ i)
            return RawImuSample(
                accelerometer: RawVector3(s, s &* 3, Int16.max &- s),
                gyroscope: RawVector3(-s, s &* 7, Int16.min &+ s)
            )
        }
        return SampleBatch(sequence: sequence, timestamp: timestamp, samplePeriod: period, samples: samples)
    }

    /// One packet of every type and command, for round trips.
    static var everyPacket: [Packet] {
        let actions: [HostCommand.Action] = [
            .startStreaming, .stopStreaming, .requestDeviceInfo, .requestStatus, .setSampleRate(millihertz: 104_000),
            .setAccelerometerRange(g: 16), .setGyroscopeRange(degreesPerSecond: 500), .identify(milliseconds: 3000),
            .unknown(opcode: 0x7E),
        ]
        var unknownStatus = status
        unknownStatus.batteryMillivolts = nil
        unknownStatus.batteryPercent = nil
        unknownStatus.temperatureCentidegrees = nil
        unknownStatus.errors = DeviceStatus.ErrorFlags(rawValue: 0x8000_0001)
        var saturated = batch(sequence: UInt32.max - 2, count: SampleBatch.maximumSampleCount)
        saturated.flags = [.accelerometerSaturated, .gyroscopeSaturated]
        return [
            .deviceInfo(deviceInfo), .sampleBatch(batch(sequence: 0, count: 1)), .sampleBatch(saturated),
            .status(status), .status(unknownStatus),
            .acknowledgement(Acknowledgement(token: 9, opcode: 0x05, result: .invalidArgument)),
            .acknowledgement(Acknowledgement(token: 0xFFFF, opcode: 0x7E, result: .other(200))),
        ] + actions.enumerated().map { .command(HostCommand(token: UInt16($0.offset), action: $0.element)) }
    }

    /// Decodes `stream` fed in chunks of `chunkSize` bytes (with an empty chunk after every third).
    static func decode(_ stream: [UInt8], chunkSize: Int) -> ([DecoderOutput], FrameDecoderCounters) {
        var decoder = FrameDecoder()
        var outputs: [DecoderOutput] = []
        var start = 0
        var chunks = 0
        while start < stream.count {
            let end = min(stream.count, start + chunkSize)
            decoder.decode(stream[start..<end]) { outputs.append($0) }
            chunks += 1
            if chunks % 3 == 0 { decoder.decode([UInt8]()) { outputs.append($0) } }
            start = end
        }
        return (outputs, decoder.counters)
    }
}

extension DecoderOutput {
    /// The packet, if this output is one.
    var packet: Packet? { if case .packet(let packet) = self { packet } else { nil } }
}

/// Compares two sequences and reports only the count and the first difference (outputs can be huge).
func expectSame<T: Equatable>(
    _ actual: [T],
    _ expected: [T],
    _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    if actual.count != expected.count {
        Issue.record("\(what): \(actual.count) items, expected \(expected.count)", sourceLocation: sourceLocation)
    }
    if let index = (0..<min(actual.count, expected.count)).first(where: { actual[$0] != expected[$0] }) {
        Issue.record(
            "\(what): first difference at \(index): \(actual[index]) vs \(expected[index])",
            sourceLocation: sourceLocation
        )
    }
}
