import LumbarCore
import LumbarProtocol
import Testing

/// The families' own commands, byte for byte as their vendors document them, and the parsers of what the
/// devices answer (golden bytes from the x-IMU3 user manual, "Command messages", and WitMotion's "WIT
/// standard communication protocol" / `wit_c_sdk`).
@Suite("Sensor family commands: encoders and answer parsers")
struct FamilyCommandTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func xIMU3CommandsAreTheManualsJSONLines() {
        #expect(XIMU3Command.ping == bytes("\n{\"ping\":null}\n"))
        #expect(XIMU3Command.apply == bytes("{\"apply\":null}\n"))
        #expect(XIMU3Command.write("inertial_message_rate_divisor", 4) == bytes("{\"inertial_message_rate_divisor\":4}\n"))
        #expect(XIMU3Command.read("serial_number") == bytes("{\"serial_number\":null}\n"))
        // The ping holds nothing another family acts on: no Lumbar delimiter, no WitMotion command prefix.
        #expect(!XIMU3Command.ping.contains(0x00))
        #expect(!zip(XIMU3Command.ping, XIMU3Command.ping.dropFirst()).contains { $0 == 0xFF && $1 == 0xAA })
    }

    @Test func xIMU3DivisorIsTheNearestToTheRateAskedOf400Hz() {
        #expect(XIMU3Command.divisor(forRate: 100) == 4)
        #expect(XIMU3Command.divisor(forRate: 400) == 1)
        #expect(XIMU3Command.divisor(forRate: 1000) == 1)
        #expect(XIMU3Command.divisor(forRate: 150) == 3)
        #expect(XIMU3Command.divisor(forRate: 50) == 8)
        #expect(XIMU3Command.rate(divisor: 3) == 400.0 / 3)
        #expect(XIMU3Command.rate(divisor: 0) == 0)
    }

    @Test func xIMU3KeysCompareAsTheManualSays() {
        #expect(XIMU3Command.normalized("serial_number") == "serialnumber")
        #expect(XIMU3Command.normalized("Serial Number") == "serialnumber")
        #expect(XIMU3Command.normalized("serialNumber") == "serialnumber")
    }

    @Test func xIMU3AnswersParseAsTheManualsExamples() throws {
        let ping = try #require(XIMU3Command.parse(bytes("{\"ping\":{\"interface\":\"USB\",\"name\":\"x-IMU3\",\"sn\":\"01234567\"}}")))
        #expect(ping.ping?.interface == "USB")
        #expect(ping.ping?.name == "x-IMU3")
        #expect(ping.ping?.serialNumber == "01234567")
        let error = try #require(XIMU3Command.parse(bytes("{\"serial_number\":{\"error\":\"Unable to write read-only setting\"}}\r")))
        #expect(error.error == "Unable to write read-only setting")
        #expect(error.ping == nil)
        let divisor = try #require(XIMU3Command.parse(bytes("{\"inertial_message_rate_divisor\":4}")))
        #expect(divisor.value == .number(4))
        #expect(XIMU3Command.parse(bytes("{\"time\":\"2020-01-01 00:00:00\"}"))?.value == .string("2020-01-01 00:00:00"))
        #expect(XIMU3Command.parse(bytes("{\"note\":\"a \\\"q\\\" \\u0041\"}"))?.value == .string("a \"q\" A"))
        #expect(XIMU3Command.parse(bytes("{\"apply\":null}"))?.value == .null)
        // Not one key/value pair, not closed, trailing bytes: not a command message.
        #expect(XIMU3Command.parse(bytes("{\"a\":1,\"b\":2}")) == nil)
        #expect(XIMU3Command.parse(bytes("{\"a\":1")) == nil)
        #expect(XIMU3Command.parse(bytes("{\"a\":1}x")) == nil)
        #expect(XIMU3Command.parse(bytes("I,123,1,2,3")) == nil)
    }

    @Test func xIMU3AnswersAreFoundAmongBinaryAndASCIIDataMessagesSplitAnywhere() {
        var stream: [UInt8] = [0xC9, 1, 2, 3, 0x0A]  // a (short) binary message
        stream += bytes("I,1000,1.0,2.0,3.0,0.0,0.0,1.0\n{\"inertial_message_rate_divisor\":4}\n")
        stream += [0xC9, 0x7B, 0x22, 0x0A]  // binary bytes that look like `{"`, not at a line start
        stream += bytes("{\"apply\":null}\n")
        stream += [0xC9, 0x12, 0x7B] + bytes("{\"ping\":{\"interface\":\"USB\",\"name\":\"x-IMU3\",\"sn\":\"1\"}}\n")  // after a cut-short message
        for cut in 1..<stream.count {
            var scanner = XIMU3ResponseScanner()
            var keys: [String] = []
            scanner.feed(Array(stream[..<cut])) { keys.append($0.key) }
            scanner.feed(Array(stream[cut...])) { keys.append($0.key) }
            #expect(keys == ["inertial_message_rate_divisor", "apply", "ping"], "cut at \(cut)")
        }
    }

    @Test func witMotionCommandsAreTheProtocolsFiveBytes() {
        #expect(WitMotionCommand.unlock == [0xFF, 0xAA, 0x69, 0x88, 0xB5])
        #expect(WitMotionCommand.save == [0xFF, 0xAA, 0x00, 0x00, 0x00])
        #expect(WitMotionCommand.write(.outputRate, 0x09) == [0xFF, 0xAA, 0x03, 0x09, 0x00])
        #expect(WitMotionCommand.write(.accelerometerRange, 2) == [0xFF, 0xAA, 0x21, 0x02, 0x00])
        #expect(WitMotionCommand.write(.gyroscopeRange, 3) == [0xFF, 0xAA, 0x20, 0x03, 0x00])
        #expect(WitMotionCommand.read(.outputRate) == [0xFF, 0xAA, 0x27, 0x03, 0x00])
    }

    @Test func witMotionRatesAndRangesAreTheDocumentedCodes() {
        #expect(WitMotionCommand.outputRate(nearest: 100).code == 0x09)
        #expect(WitMotionCommand.outputRate(nearest: 200).code == 0x0B)
        #expect(WitMotionCommand.outputRate(nearest: 50).code == 0x08)
        #expect(WitMotionCommand.outputRate(nearest: 60).hertz == 50)
        #expect(WitMotionCommand.outputRate(nearest: 1000).hertz == 200)
        #expect(WitMotionCommand.outputRate(code: 0x0A) == nil)
        #expect(WitMotionCommand.accelerometerRange(atLeast: 8) == (2, 8))
        #expect(WitMotionCommand.accelerometerRange(atLeast: 5) == (2, 8))
        #expect(WitMotionCommand.accelerometerRange(atLeast: 24) == (3, 16))
        #expect(WitMotionCommand.gyroscopeRange(atLeast: 2000) == (3, 2000))
        #expect(WitMotionCommand.gyroscopeRange(atLeast: 300) == (1, 500))
    }

    @Test func aWitMotionReadAnswerIsFourRegistersWithItsSum() throws {
        // RRATE 0x09, BAUD 0x02 (9600), AXOFFSET 0, AYOFFSET 0xFFFF: 55 5F 09 00 02 00 00 00 FF FF, sum 0xBD.
        let packet: [UInt8] = [0x55, 0x5F, 0x09, 0x00, 0x02, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xBD]
        let words = try #require(WitMotionCommand.readAnswer(packet))
        #expect(words == (0x0009, 0x0002, 0x0000, 0xFFFF))
        #expect(WitMotionCommand.readAnswerPacket(words) == packet)
        var bad = packet
        bad[10] &+= 1
        #expect(WitMotionCommand.readAnswer(bad) == nil)
    }

    @Test func witMotionReadAnswersAreFoundInTheDataStreamThroughGarbage() {
        var stream = WitMotionEmulationBytes.cycle
        stream += [0x55, 0x5F, 0x12]  // garbage that starts like an answer
        stream += WitMotionCommand.readAnswerPacket((0x0B, 2, 0, 0))
        stream += WitMotionEmulationBytes.cycle
        stream += WitMotionCommand.readAnswerPacket((3, 1, 0, 0))
        for cut in stride(from: 1, to: stream.count, by: 3) {
            var scanner = WitMotionReadScanner()
            var answers: [UInt16] = []
            scanner.feed(Array(stream[..<cut])) { answers.append($0.0) }
            scanner.feed(Array(stream[cut...])) { answers.append($0.0) }
            #expect(answers == [0x0B, 3], "cut at \(cut)")
        }
    }
}

/// A WitMotion output cycle built byte by byte (acceleration, angular velocity, angle packets).
enum WitMotionEmulationBytes {
    static let cycle: [UInt8] = {
        var bytes: [UInt8] = []
        for type: UInt8 in [0x51, 0x52, 0x53] {
            var packet: [UInt8] = [0x55, type, 0x10, 0x00, 0x20, 0x00, 0x00, 0x08, 0x34, 0x0C]
            packet.append(packet.reduce(0, &+))
            bytes += packet
        }
        return bytes
    }()
}
