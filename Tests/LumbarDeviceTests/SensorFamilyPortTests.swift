import LumbarCore
import LumbarDevice
import LumbarProtocol
import Testing

/// Sensors of other families (x-IMU3, WitMotion, text lines) on the device session, on a virtual clock:
/// told apart by their first bytes or named with `--device PATH:FAMILY`, never sent a byte that could
/// reconfigure them, every byte delivered once, unplugged and back through the same state machine.
@Suite("Device session: sensor families on serial ports")
struct SensorFamilyPortTests {
    private let ms: Int64 = 1_000_000

    /// WitMotion output cycles (time, acceleration, angular velocity, angle packets: 44 bytes) for `count` samples.
    private func witMotion(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for n in 0..<count {
            for type: UInt8 in [0x50, 0x51, 0x52, 0x53] {
                var packet: [UInt8] = [0x55, type]
                for k in 0..<8 { packet.append(UInt8(truncatingIfNeeded: n &* 7 &+ k &+ Int(type))) }
                packet.append(packet.reduce(0, &+))
                bytes += packet
            }
        }
        return bytes
    }

    /// Reads of 33 bytes (cutting packets anywhere), 10 ms apart from `start`.
    private func feed(
        _ bytes: [UInt8], to session: inout DeviceSession, port: DevicePort = DevicePort(0), from start: Int64,
        into actions: inout [DeviceAction]
    ) -> [(bytes: [UInt8], at: Int64)] {
        var reads: [(bytes: [UInt8], at: Int64)] = []
        var offset = 0
        var t = start
        while offset < bytes.count {
            let chunk = Array(bytes[offset..<min(offset + 33, bytes.count)])
            session.received(chunk, on: port, at: t, into: &actions)
            reads.append((chunk, t))
            offset += chunk.count
            t += 10 * ms
        }
        return reads
    }

    /// The bytes handed to the port's sensor, in order (kept reads, then live reads).
    private func delivered(_ actions: [DeviceAction], reads: [(bytes: [UInt8], at: Int64)]) -> [UInt8] {
        var out: [UInt8] = []
        var readIndex: [Int64: Int] = [:]
        for (i, r) in reads.enumerated() { readIndex[r.at] = i }
        for action in actions {
            switch action {
            case .deliverKept(_, let bytes, _): out += bytes
            case .deliver(_, let at): out += reads[readIndex[at]!].bytes
            default: break
            }
        }
        return out
    }

    @Test func aWitMotionPortIsToldApartByItsFirstBytesJoinsPlacedByItsPathAndGetsEveryByteOnce() {
        var configuration = DeviceSessionConfiguration(devices: ["/dev/ttyUSB0"])
        configuration.placements["/dev/ttyusb0"] = .rightAnkle
        var session = DeviceSession(configuration)
        var actions: [DeviceAction] = []
        session.start(at: 0, into: &actions)
        session.opened(DevicePort(0), at: 0, into: &actions)
        let stream = witMotion(50)
        let reads = feed(stream, to: &session, from: 5 * ms, into: &actions)
        let connects = actions.compactMap { if case .connect(_, let identity, _) = $0 { identity } else { nil } }
        #expect(connects.count == 1)
        #expect(connects.first?.family == .witMotion)
        #expect(connects.first?.placement == .rightAnkle)
        #expect(connects.first?.id == "/dev/ttyUSB0")
        #expect(connects.first?.deviceInfo == nil)
        #expect(delivered(actions, reads: reads) == stream)
        #expect(session.posture(of: DevicePort(0)) == .streaming)
        // After the Lumbar handshake at open, nothing more is written: no resend, no start, no stop.
        let writesAfterOpen = actions.drop { if case .write = $0 { false } else { true } }.dropFirst()
        actions.removeAll()
        for t in stride(from: Int64(1_000), through: 20_000, by: 100) { session.tick(at: t * ms, into: &actions) }
        session.shutdown(into: &actions)
        #expect(!writesAfterOpen.contains { if case .write = $0 { true } else { false } })
        #expect(!actions.contains { if case .write = $0 { true } else { false } })
        #expect(!actions.contains { if case .lose = $0 { true } else { false } })
    }

    @Test func aPortNamedWithItsFamilyIsSentNothingAndJoinsAsItOpensThenComesBackAfterAnUnplug() {
        var session = DeviceSession(DeviceSessionConfiguration(devices: ["/dev/rfcomm0"], families: ["/dev/rfcomm0": .witMotion]))
        var actions: [DeviceAction] = []
        session.start(at: 0, into: &actions)
        session.opened(DevicePort(0), at: 0, into: &actions)
        #expect(!actions.contains { if case .write = $0 { true } else { false } })
        #expect(actions.contains { if case .connect(_, let identity, 0) = $0 { identity.family == .witMotion } else { false } })
        _ = feed(witMotion(5), to: &session, from: 10 * ms, into: &actions)
        session.ended(DevicePort(0), .vanished(message: "gone"), at: 100 * ms, into: &actions)
        #expect(actions.contains { if case .lose(_, .unplugged, _) = $0 { true } else { false } })
        actions.removeAll()
        session.tick(at: 700 * ms, into: &actions)
        #expect(actions == [.open(DevicePort(0), path: "/dev/rfcomm0")])
        session.opened(DevicePort(0), at: 710 * ms, into: &actions)
        #expect(actions.contains { if case .connect(_, let identity, _) = $0 { identity.id == "/dev/rfcomm0" } else { false } })
        #expect(!actions.contains { if case .write = $0 { true } else { false } })
    }

    @Test func devicesProbeNamesAnXIMU3PortsFamilyAsksItsSerialAndClosesItWithoutStartingAnything() {
        var session = DeviceSession(DeviceSessionConfiguration(purpose: .probe, devices: ["/dev/ttyACM3"]))
        var actions: [DeviceAction] = []
        session.start(at: 0, into: &actions)
        session.opened(DevicePort(0), at: 0, into: &actions)
        var text: [UInt8] = []
        for n in 0..<6 { text += Array("I,\(1000 * n),0.1000,0.2000,0.3000,0.0000,0.0000,1.0000\n".utf8) }
        let reads = feed(text, to: &session, from: 5 * ms, into: &actions)
        // Told apart by its bytes, it is asked its serial number (the ping) and, not answering, listed without
        // it once the serial timeout is over.
        #expect(actions.last == .write(DevicePort(0), XIMU3Command.ping))
        #expect(!actions.contains(.close(DevicePort(0))))
        session.tick(at: reads.last!.at + session.configuration.timing.serialTimeout, into: &actions)
        let identified = actions.compactMap { if case .notice(.identified(_, let identity)) = $0 { identity } else { nil } }
        #expect(identified.map(\.family) == [.xIMU3])
        #expect(actions.contains(.close(DevicePort(0))))
        #expect(!actions.contains { if case .connect = $0 { true } else { false } })
    }

    /// The Lumbar handshake goes to every port not named with a family before its family is known: it
    /// must not hold a command of another family. WitMotion commands start with 0xFF 0xAA; x-IMU3
    /// commands are JSON objects, `{"`. Every token value a session can use is checked.
    @Test func theLumbarHandshakeNeverHoldsAWitMotionOrXIMU3CommandWhateverItsTokens() {
        var writer = CommandWriter()
        var seen = 0
        while seen < 65_536 {
            let frames = writer.frames([.requestDeviceInfo, .startStreaming], leadingDelimiter: true).bytes
            for i in 0..<(frames.count - 1) {
                #expect(!(frames[i] == 0xFF && frames[i + 1] == 0xAA), "token \(seen): \(frames)")
                #expect(!(frames[i] == UInt8(ascii: "{") && frames[i + 1] == UInt8(ascii: "\"")), "token \(seen): \(frames)")
            }
            seen += 2
        }
    }
}
