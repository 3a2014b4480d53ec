import LumbarCore
import LumbarDevice
import LumbarProtocol
import LumbarSim
import Testing

/// Rate and range commands to x-IMU3 and WitMotion through the device session, and the x-IMU3 ping, on a
/// virtual clock against the vendor-doc device emulations (`XIMU3DeviceEmulation`, `WitMotionDeviceEmulation`):
/// what the session writes, what the device answers, what the session concludes, and that the device
/// streams as it was told afterwards.
@Suite("Device session: family rate/range commands and the x-IMU3 ping")
struct FamilySettingsSessionTests {
    private static let ms: Int64 = 1_000_000

    /// The device on the one port.
    enum Device {
        case ximu3(XIMU3DeviceEmulation)
        case witMotion(WitMotionDeviceEmulation)
        /// Random bytes, never a message of any family.
        case babble(SplitMix64)
        case silent
    }

    /// One port, its device, the session, 10 ms steps.
    struct Bench {
        var session: DeviceSession
        var device: Device
        var now: Int64 = 0
        var pending: [UInt8] = []
        var notices: [DeviceNotice] = []
        /// Every write, with its time.
        var writes: [(bytes: [UInt8], at: Int64)] = []
        /// Bytes delivered to the sensor, with the time of their read.
        var delivered: [(bytes: [UInt8], at: Int64)] = []
        var identities: [SensorIdentity] = []
        private var actions: [DeviceAction] = []
        private var sampleIndex = 0

        /// `discovered`: the port a USB scan found (the configuration then names no `--device`).
        init(_ configuration: DeviceSessionConfiguration, device: Device, discovered: DiscoveredPort? = nil) {
            session = DeviceSession(configuration)
            self.device = device
            session.start(at: 0, into: &actions)
            if let discovered { session.discovered([discovered], at: 0, into: &actions) }
            apply()
        }

        mutating func run(seconds: Double) {
            let end = now + Int64(seconds * 1e9)
            while now < end {
                now += 10 * FamilySettingsSessionTests.ms
                produce()
                if !pending.isEmpty {
                    lastRead = pending
                    session.received(pending, on: DevicePort(0), at: now, into: &actions)
                    pending = []
                    apply()
                }
                if now % (100 * FamilySettingsSessionTests.ms) == 0 {
                    session.tick(at: now, into: &actions)
                    apply()
                }
            }
        }

        private mutating func produce() {
            let t = Double(now) / 1e9
            switch device {
            case .ximu3(var d):
                for _ in 0..<4 {  // 400 Hz inertial samples
                    d.inertial(sample(), at: t, mode: .ascii, into: &pending)
                }
                device = .ximu3(d)
            case .witMotion(var d):
                d.cycle(sample(), into: &pending)  // 100 Hz source
                device = .witMotion(d)
            case .babble(var random):
                for _ in 0..<40 { pending.append(UInt8(truncatingIfNeeded: random.next())) }
                device = .babble(random)
            case .silent:
                break
            }
        }

        private mutating func sample() -> ImuSample {
            sampleIndex += 1
            return ImuSample(time: Double(sampleIndex) / 400, accelerometer: Vector3(0, 0, 1), gyroscope: Vector3(1, 2, 3))
        }

        private mutating func apply() {
            let current = actions
            actions.removeAll()
            for action in current {
                switch action {
                case .open(let port, _):
                    session.opened(port, at: now, into: &actions)
                case .write(_, let bytes):
                    writes.append((bytes, now))
                    let t = Double(now) / 1e9
                    bytes.withUnsafeBytes { raw in
                        switch device {
                        case .ximu3(var d):
                            d.receive(raw, at: t, into: &pending)
                            device = .ximu3(d)
                        case .witMotion(var d):
                            d.receive(raw, at: t, into: &pending)
                            device = .witMotion(d)
                        default: break
                        }
                    }
                case .notice(let notice):
                    notices.append(notice)
                case .connect(_, let identity, _):
                    identities.append(identity)
                case .deliverKept(_, let bytes, let at):
                    delivered.append((bytes, at))
                case .deliver(_, let at):
                    // The bytes of the current read: the last `received` call's.
                    delivered.append((lastRead, at))
                default:
                    break
                }
            }
            if !actions.isEmpty { apply() }
        }

        private var lastRead: [UInt8] = []

        /// The family settings outcome notices.
        var outcomes: [(family: SensorFamily, asked: SensorSettingsRequest.Values, applied: SensorSettingsRequest.Values, refused: [String])] {
            notices.compactMap {
                if case .familySettingsApplied(_, _, let family, let asked, let applied, let refused) = $0 { (family, asked, applied, refused) } else { nil }
            }
        }

        var unconfirmed: Int { notices.filter { if case .settingsUnconfirmed = $0 { true } else { false } }.count }
    }

    private func settings(_ placement: SensorPlacement, rate: Double? = nil, accel: UInt16? = nil, gyro: UInt16? = nil) -> SensorSettingsRequest {
        var request = SensorSettingsRequest()
        request.byPlacement[placement] = .init(rateHz: rate, accelerometerRangeG: accel, gyroscopeRangeDPS: gyro)
        return request
    }

    /// True when `bytes` hold a WitMotion command prefix or an x-IMU3 setting write.
    private func reconfigures(_ bytes: [UInt8]) -> Bool {
        zip(bytes, bytes.dropFirst()).contains { $0 == 0xFF && $1 == 0xAA } || String(decoding: bytes, as: UTF8.self).contains("divisor")
    }

    @Test func anXIMU3ToldApartByItsBytesIsToldTheRateAndConfirmsItByItsEcho() throws {
        var configuration = DeviceSessionConfiguration(
            devices: ["/dev/ttyACM0"], placements: ["/dev/ttyacm0": .lumbar], settings: settings(.lumbar, rate: 100, accel: 8))
        configuration.pingsUnidentifiedPorts = false
        var bench = Bench(configuration, device: .ximu3(XIMU3DeviceEmulation(serialNumber: "0000ABCD")))
        bench.run(seconds: 3)
        let outcome = try #require(bench.outcomes.first, "\(bench.notices)")
        #expect(bench.outcomes.count == 1)
        #expect(outcome.family == .xIMU3)
        #expect(outcome.applied.rateHz == 100)
        #expect(outcome.refused == ["accelerometer range (x-IMU3: fixed)"])
        #expect(bench.unconfirmed == 0)
        // Written once, after the x-IMU3 was recognised: the divisor and apply.
        let familyWrites = bench.writes.filter { reconfigures($0.bytes) }
        #expect(familyWrites.map(\.bytes) == [[0x0A] + Array("{\"inertial_message_rate_divisor\":4}\n{\"apply\":null}\n".utf8)])
        guard case .ximu3(let device) = bench.device else { return }
        #expect(device.inertialDivisor == 4)
        // The stream follows: 100 inertial messages a second from then on (400 Hz / 4).
        let after = bench.delivered.filter { $0.at > familyWrites[0].at + 100 * Self.ms }.flatMap(\.bytes)
        let lines = String(decoding: after, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("I,") }.count
        let seconds = Double(bench.now - familyWrites[0].at - 100 * Self.ms) / 1e9
        #expect(abs(Double(lines) / seconds - 100) < 5, "\(lines) messages in \(seconds) s")
    }

    @Test func aNamedWitMotionIsUnlockedWrittenSavedAndReadBack() throws {
        let configuration = DeviceSessionConfiguration(
            devices: ["/dev/ttyUSB0"], families: ["/dev/ttyUSB0": .witMotion], placements: ["/dev/ttyusb0": .rightAnkle],
            settings: settings(.rightAnkle, rate: 50, accel: 8, gyro: 1000))
        var bench = Bench(configuration, device: .witMotion(WitMotionDeviceEmulation(sourceRate: 100)))
        bench.run(seconds: 3)
        let outcome = try #require(bench.outcomes.first, "\(bench.notices)")
        #expect(outcome.family == .witMotion)
        #expect(outcome.applied == .init(rateHz: 50, accelerometerRangeG: 8, gyroscopeRangeDPS: 1000))
        #expect(outcome.refused.isEmpty)
        // A named port gets nothing but the family's commands: unlock, the three writes, save, two reads.
        let expected: [UInt8] =
            [0xFF, 0xAA, 0x69, 0x88, 0xB5, 0xFF, 0xAA, 0x03, 0x08, 0x00, 0xFF, 0xAA, 0x21, 0x02, 0x00, 0xFF, 0xAA, 0x20, 0x02, 0x00,
             0xFF, 0xAA, 0x00, 0x00, 0x00, 0xFF, 0xAA, 0x27, 0x03, 0x00, 0xFF, 0xAA, 0x27, 0x20, 0x00]
        #expect(bench.writes.map(\.bytes) == [expected])
        guard case .witMotion(let device) = bench.device else { return }
        #expect(device.saved[0x03] == 0x08 && device.saved[0x21] == 2 && device.saved[0x20] == 2)
        // The stream follows: 50 cycles a second (every other 100 Hz sample), words on ±8 g.
        let after = bench.delivered.filter { $0.at > bench.writes[0].at }.flatMap(\.bytes)
        var decoder = WitMotionDecoder(configuration: .init(accelerometerRange: 8, gyroscopeRange: 1000, rate: 50))
        var z: [Float] = []
        decoder.decode(after, receivedAt: 0) { if case .sample(let s) = $0 { z.append(s.accelerometer.z) } }
        let seconds = Double(bench.now - bench.writes[0].at) / 1e9
        #expect(abs(Double(z.count) / seconds - 50) < 3, "\(z.count) samples in \(seconds) s")
        #expect(z.allSatisfy { abs($0 - 1) < 0.001 })
    }

    @Test func aWitMotionThatDoesNotReadBackIsReportedUnconfirmed() {
        // A device that never answers (silent): named WitMotion, asked a rate.
        let configuration = DeviceSessionConfiguration(
            devices: ["/dev/ttyUSB0"], families: ["/dev/ttyUSB0": .witMotion], placements: ["/dev/ttyusb0": .rightAnkle],
            settings: settings(.rightAnkle, rate: 50))
        var bench = Bench(configuration, device: .silent)
        bench.run(seconds: 4)
        #expect(bench.outcomes.isEmpty)
        #expect(bench.unconfirmed == 1)
    }

    @Test func aPortNeverIdentifiedIsSentNoFamilyCommandOnlyTheHandshakeAndOnePing() {
        var configuration = DeviceSessionConfiguration(devices: ["/dev/ttyUSB0"], settings: settings(.lumbar, rate: 50, accel: 8))
        configuration.placements["/dev/ttyusb0"] = .lumbar
        var bench = Bench(configuration, device: .babble(SplitMix64(seed: 7)))
        bench.run(seconds: 5)
        #expect(bench.identities.isEmpty)
        #expect(!bench.writes.contains { reconfigures($0.bytes) })
        #expect(bench.writes.filter { $0.bytes == XIMU3Command.ping }.count == 1)
        #expect(bench.outcomes.isEmpty)
    }

    @Test func anIdleXIMU3IsFoundByThePingPlacedByItsSerialNumberAndStartedByTheRateAsked() throws {
        let configuration = DeviceSessionConfiguration(
            devices: ["/dev/ttyACM1"], placements: ["65577b49": .lumbar], settings: settings(.lumbar, rate: 200))
        var bench = Bench(configuration, device: .ximu3(XIMU3DeviceEmulation(serialNumber: "65577B49", inertialDivisor: 0)))
        bench.run(seconds: 4)
        let identity = try #require(bench.identities.first, "\(bench.notices)")
        #expect(identity.family == .xIMU3)
        #expect(identity.serialNumber == "65577B49")
        #expect(identity.id == "65577B49")
        #expect(identity.placement == .lumbar)
        // The ping went once, after the first (unanswered) handshake, a resend interval in.
        let pings = bench.writes.filter { $0.bytes == XIMU3Command.ping }
        #expect(pings.count == 1)
        #expect(pings[0].at >= configuration.timing.resendInterval)
        #expect(bench.outcomes.first?.applied.rateHz == 200)
        guard case .ximu3(let device) = bench.device else { return }
        #expect(device.inertialDivisor == 2)
        #expect(bench.delivered.flatMap(\.bytes).count > 1000)
    }

    @Test func anXIMU3FoundByThePingIsPlacedByItsPortsUSBSerialNumberWhenTheConfigNamesThatOne() throws {
        // The hardware-in-the-loop `families` scenario: the config names the USB serial number of the
        // discovered port (what `lumbar devices` lists for an x-IMU3 found streaming); found by the ping
        // instead (it was switched on after the daemon), it answered its own serial and went unassigned.
        let configuration = DeviceSessionConfiguration(placements: ["ximu3-l1": .lumbar], settings: settings(.lumbar, rate: 200))
        var bench = Bench(
            configuration, device: .ximu3(XIMU3DeviceEmulation(serialNumber: "65577B49", inertialDivisor: 0)),
            discovered: DiscoveredPort(path: "/dev/ttyACM0", serialNumber: "XIMU3-L1", usbID: "0525:a4a7"))
        bench.run(seconds: 4)
        let identity = try #require(bench.identities.first, "\(bench.notices)")
        #expect(identity.family == .xIMU3)
        #expect(identity.serialNumber == "65577B49")
        #expect(identity.placement == .lumbar)
        #expect(bench.outcomes.first?.applied.rateHz == 200)
    }

    @Test func theSerialNumberAnXIMU3ReportsPlacesItBeforeItsPortsUSBSerialNumber() throws {
        let configuration = DeviceSessionConfiguration(
            placements: ["ximu3-l1": .lumbar, "65577b49": .leftAnkle], settings: settings(.leftAnkle, rate: 200))
        var bench = Bench(
            configuration, device: .ximu3(XIMU3DeviceEmulation(serialNumber: "65577B49", inertialDivisor: 0)),
            discovered: DiscoveredPort(path: "/dev/ttyACM0", serialNumber: "XIMU3-L1", usbID: "0525:a4a7"))
        bench.run(seconds: 4)
        let identity = try #require(bench.identities.first, "\(bench.notices)")
        #expect(identity.placement == .leftAnkle)
    }

    @Test func withoutPingsAnIdleXIMU3StaysUnknownAndIsSentNothingOfItsFamily() {
        var configuration = DeviceSessionConfiguration(devices: ["/dev/ttyACM1"], settings: settings(.lumbar, rate: 200))
        configuration.pingsUnidentifiedPorts = false
        var bench = Bench(configuration, device: .ximu3(XIMU3DeviceEmulation(serialNumber: "65577B49", inertialDivisor: 0)))
        bench.run(seconds: 4)
        #expect(bench.identities.isEmpty)
        #expect(!bench.writes.contains { $0.bytes == XIMU3Command.ping || reconfigures($0.bytes) })
    }

    @Test func devicesFindsAnIdleXIMU3ByThePingWithItsSerialNumber() throws {
        let configuration = DeviceSessionConfiguration(
            purpose: .probe, devices: ["/dev/ttyACM1"], placements: ["65577b49": .leftAnkle], timing: .probe(timeout: 1_000_000_000))
        var bench = Bench(configuration, device: .ximu3(XIMU3DeviceEmulation(serialNumber: "65577B49", inertialDivisor: 0)))
        bench.run(seconds: 2)
        let identified = bench.notices.compactMap { if case .identified(_, let s) = $0 { s } else { nil } }
        let identity = try #require(identified.first, "\(bench.notices)")
        #expect(identity.family == .xIMU3 && identity.serialNumber == "65577B49" && identity.placement == .leftAnkle)
        // A probe starts nothing: no rate written even to a device found.
        #expect(!bench.writes.contains { reconfigures($0.bytes) })
    }
}
