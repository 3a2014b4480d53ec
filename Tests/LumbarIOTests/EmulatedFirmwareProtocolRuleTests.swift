import LumbarDevice
import LumbarProtocol
import Testing

@testable import LumbarIO

/// The device rules of PROTOCOL.md that a firmware author asked about, as the emulated firmware (the
/// reference the HIL and end-to-end runs use) keeps them.
@Suite("Emulated firmware: the protocol's device rules")
struct EmulatedFirmwareProtocolRuleTests {
    /// Feeds `bytes` to `firmware`; returns its answers, decoded.
    static func answers(to bytes: [UInt8], _ firmware: inout EmulatedFirmware) -> [Packet] {
        var output: [UInt8] = []
        _ = bytes.withUnsafeBytes { firmware.receive($0, deviceTicks: 0, into: &output) }
        return FrameDecoder().decodedPackets(output)
    }

    /// The sequence numbers of the batches `firmware` sends of `batches`.
    static func sentSequences(_ batches: [TimedPacket], _ firmware: inout EmulatedFirmware) -> [UInt32] {
        var sequences: [UInt32] = []
        for timed in batches {
            var output: [UInt8] = []
            guard firmware.send(timed.packet, into: &output) else { continue }
            for case .sampleBatch(let batch) in FrameDecoder().decodedPackets(output) { sequences.append(batch.sequence) }
        }
        return sequences
    }

    @Test func aRepeatedTokenIsAcknowledgedAgainButNotActedOnTwice() {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .normal)
        var encoder = FrameEncoder()
        var start: [UInt8] = []
        encoder.encode(.command(HostCommand(token: 9, action: .startStreaming)), into: &start)
        var stop: [UInt8] = []
        encoder.encode(.command(HostCommand(token: 10, action: .stopStreaming)), into: &stop)
        _ = Self.answers(to: start, &firmware)
        _ = Self.answers(to: stop, &firmware)
        #expect(!firmware.isStreaming)
        // The stop's acknowledgement was lost; the host resends it with the same token: ok again.
        #expect(Self.answers(to: stop, &firmware) == [.acknowledgement(Acknowledgement(token: 10, opcode: 0x02, result: .ok))])
        // A configuration command resent after a busy answer is busy again, not applied.
        _ = Self.answers(to: start, &firmware)
        var range: [UInt8] = []
        encoder.encode(.command(HostCommand(token: 11, action: .setAccelerometerRange(g: 2))), into: &range)
        #expect(Self.answers(to: range, &firmware) == [.acknowledgement(Acknowledgement(token: 11, opcode: 0x06, result: .busy))])
        #expect(Self.answers(to: range, &firmware) == [.acknowledgement(Acknowledgement(token: 11, opcode: 0x06, result: .busy))])
        #expect(firmware.deviceInfo == testDeviceInfo)
        // A repeated request is answered again (the host missed the answer).
        var info: [UInt8] = []
        encoder.encode(.command(HostCommand(token: 12, action: .requestDeviceInfo)), into: &info)
        let twice = Self.answers(to: info + info, &firmware)
        #expect(twice.filter { if case .deviceInfo = $0 { true } else { false } }.count == 2)
        #expect(firmware.commandsReceived == 8)
    }

    @Test func theSequenceDoesNotAdvanceWhileStreamingIsStopped() {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .normal)
        var commander = CommandWriter()
        let batches = testBatches(6)  // sequences 0, 4, 8, 12, 16, 20 of the source
        _ = Self.answers(to: commander.frame(.startStreaming), &firmware)
        var sent = Self.sentSequences(Array(batches[0..<2]), &firmware)
        _ = Self.answers(to: commander.frame(.stopStreaming), &firmware)
        sent += Self.sentSequences(Array(batches[2..<4]), &firmware)  // produced while stopped: not sent
        _ = Self.answers(to: commander.frame(.startStreaming), &firmware)
        sent += Self.sentSequences(Array(batches[4..<6]), &firmware)
        // Continuous for the host: no samples_lost after a stop and start.
        #expect(sent == [0, 4, 8, 12])
    }

    @Test func aHeartbeatSaysWhetherTheFirmwareStreamsNow() {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .normal)
        var commander = CommandWriter()
        let scripted = Packet.status(
            DeviceStatus(
                timestamp: 1, batteryMillivolts: 4000, batteryPercent: 90, isStreaming: true,
                temperatureCentidegrees: 3000, samplesDropped: 0, errors: []))
        func heartbeat() -> Bool? {
            var output: [UInt8] = []
            guard firmware.send(scripted, into: &output) else { return nil }
            guard case .status(let status)? = FrameDecoder().decodedPackets(output).first else { return nil }
            return status.isStreaming
        }
        #expect(heartbeat() == false)  // idle after power-up: heartbeats run, streaming bit clear
        _ = Self.answers(to: commander.frame(.startStreaming), &firmware)
        #expect(heartbeat() == true)
        _ = Self.answers(to: commander.frame(.stopStreaming), &firmware)
        #expect(heartbeat() == false)
    }

    @Test func nothingOfABatchFollowsTheAcknowledgementOfAStop() {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .normal)
        var commander = CommandWriter()
        _ = Self.answers(to: commander.frame(.startStreaming), &firmware)
        #expect(Self.sentSequences(testBatches(1), &firmware) == [0])
        #expect(Self.answers(to: commander.frame(.stopStreaming), &firmware)
            == [.acknowledgement(Acknowledgement(token: 2, opcode: 0x02, result: .ok))])
        #expect(Self.sentSequences(testBatches(3, start: 0.01), &firmware).isEmpty)
    }

    @Test func aRangeHalfwayBetweenTwoIsTheLargerOneSoNothingClipsThatWouldNotHave() {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .normal)
        var commander = CommandWriter()
        let answers = Self.answers(
            to: commander.frame(.setAccelerometerRange(g: 3)) + commander.frame(.setGyroscopeRange(degreesPerSecond: 750)),
            &firmware)
        #expect(firmware.deviceInfo.accelerometerFullScale == 4)
        #expect(firmware.deviceInfo.gyroscopeFullScale == 1000)
        // A device info follows each configuration command, whether or not the value changed.
        _ = Self.answers(to: commander.frame(.setAccelerometerRange(g: 4)), &firmware)
        #expect(answers.filter { if case .deviceInfo = $0 { true } else { false } }.count == 2)
        let unchanged = Self.answers(to: commander.frame(.setAccelerometerRange(g: 4)), &firmware)
        #expect(unchanged.last == .deviceInfo(firmware.deviceInfo))
    }
}
