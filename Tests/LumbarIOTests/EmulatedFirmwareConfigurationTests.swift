import LumbarProtocol
import LumbarDevice
import Testing

@testable import LumbarIO

@Suite("Emulated firmware: sample rate and ranges set by the host")
struct EmulatedFirmwareConfigurationTests {
    /// Sends `actions` to `firmware` in one write; returns what it answered, decoded.
    static func command(_ actions: [HostCommand.Action], to firmware: inout EmulatedFirmware, commander: inout CommandWriter) -> [Packet] {
        var request: [UInt8] = []
        for action in actions { request += commander.frame(action) }
        var output: [UInt8] = []
        _ = request.withUnsafeBytes { firmware.receive($0, deviceTicks: 0, into: &output) }
        return FrameDecoder().decodedPackets(output)
    }

    @Test func picksTheNearestSupportedValuesAndReportsThemInAFreshDeviceInfo() {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .normal)
        var commander = CommandWriter()
        let answers = Self.command(
            [.setSampleRate(millihertz: 90_000), .setAccelerometerRange(g: 5), .setGyroscopeRange(degreesPerSecond: 400)],
            to: &firmware, commander: &commander)
        var expected = testDeviceInfo
        expected.sampleRateMillihertz = 100_000
        expected.accelerometerFullScale = 4
        expected.accelerometerSensitivity = 4 / 32768
        expected.gyroscopeFullScale = 500
        expected.gyroscopeSensitivity = 500 / 32768
        #expect(firmware.deviceInfo == expected)
        #expect(answers.count == 6)
        #expect(answers.last == .deviceInfo(expected))
        #expect(answers.first == .acknowledgement(Acknowledgement(token: 1, opcode: 0x05, result: .ok)))
    }

    @Test func refusesChangesWhileStreamingAsBusy() {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .normal)
        var commander = CommandWriter()
        let answers = Self.command([.startStreaming, .setAccelerometerRange(g: 2)], to: &firmware, commander: &commander)
        #expect(answers == [
            .acknowledgement(Acknowledgement(token: 1, opcode: 0x01, result: .ok)),
            .acknowledgement(Acknowledgement(token: 2, opcode: 0x06, result: .busy)),
        ])
        #expect(firmware.deviceInfo == testDeviceInfo)
    }

    @Test func sendsEveryKthSampleRescaledWithItsOwnSampleCountAndClipsAtFullScale() throws {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .normal)
        var commander = CommandWriter()
        _ = Self.command(
            [.setSampleRate(millihertz: 200_000), .setAccelerometerRange(g: 4), .startStreaming], to: &firmware, commander: &commander)
        var sent: [SampleBatch] = []
        for timed in testBatches(3) {
            var output: [UInt8] = []
            #expect(firmware.send(timed.packet, into: &output))
            for case .sampleBatch(let batch) in FrameDecoder().decodedPackets(output) { sent.append(batch) }
        }
        // 3 batches of 4 native samples (period 2500 ticks) → 3 batches of 2 (period 5000), sequence 0, 2, 4.
        #expect(sent.map(\.sequence) == [0, 2, 4])
        #expect(sent.map(\.samplePeriod) == [5000, 5000, 5000])
        #expect(sent.map(\.timestamp) == [0, 10_000, 20_000])
        #expect(sent.map(\.samples.count) == [2, 2, 2])
        // Native z = 4096 counts at ±8 g (0.25 g... ×2 at ±4 g) = 8192; samples 0 and 2 of each batch kept.
        let first = try #require(sent.first)
        #expect(first.samples.map(\.accelerometer) == [RawVector3(0, 0, 8192), RawVector3(0, 4, 8192)])
        #expect(first.flags.isEmpty)
        // A count beyond the new full scale clips, and the batch says so.
        let big = SampleBatch(
            sequence: 12, timestamp: 30_000, samplePeriod: 2500,
            samples: [RawImuSample(accelerometer: RawVector3(20_000, 0, 0), gyroscope: RawVector3(0, 0, 0))])
        var output: [UInt8] = []
        #expect(firmware.send(.sampleBatch(big), into: &output))
        guard case .sampleBatch(let clipped)? = FrameDecoder().decodedPackets(output).first else {
            Issue.record("no batch sent")
            return
        }
        #expect(clipped.samples.first?.accelerometer.x == 32767)
        #expect(clipped.flags.contains(.accelerometerSaturated))
    }

    @Test func theConfirmationIsTheDeviceInfoAnsweringTheRequestAfterTheSettings() {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .normal)
        var commander = CommandWriter()
        // An answer to an earlier request (the old device info) comes first and must not count.
        var stream: [UInt8] = []
        var encoder = FrameEncoder()
        encoder.encode(.acknowledgement(Acknowledgement(token: 1, opcode: 0x03, result: .ok)), into: &stream)
        encoder.encode(.deviceInfo(testDeviceInfo), into: &stream)
        _ = commander.frame(.requestDeviceInfo)
        let tokens: [UInt16] = [2, 3, 4]
        var request = commander.frame(.setGyroscopeRange(degreesPerSecond: 250)) + commander.frame(.unknown(opcode: 0x7e))
            + commander.frame(.requestDeviceInfo)
        var output: [UInt8] = []
        _ = request.withUnsafeMutableBytes { firmware.receive(UnsafeRawBufferPointer($0), deviceTicks: 0, into: &output) }
        stream += output
        var confirmation = SettingsConfirmation(tokens: tokens)
        var outcomes: [SettingsConfirmation.Outcome] = []
        // Byte by byte: the outcome comes exactly once.
        for byte in stream {
            if let outcome = [byte].withUnsafeBytes({ confirmation.feed($0) }) { outcomes.append(outcome) }
        }
        #expect(outcomes.count == 1)
        #expect(outcomes.first?.deviceInfo.gyroscopeFullScale == 250)
        #expect(outcomes.first?.refused == [0x7e: .unsupported])
    }
}
