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
        /// An x-IMU3 streaming that answers no command (its receive side lost, or a clone).
        case unanswering(XIMU3DeviceEmulation)
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
        /// The line speed the port was set to last (`.setLineSpeed`; at open: the session's), and each one set.
        var hostSpeed: Int?
        var speeds: [Int] = []
        /// When set, each 10 ms step hands the pending bytes over only on a coin toss: reads come 10, 20,
        /// 30 … ms apart, bunching packets like a USB-serial bridge's latency timer.
        var readJitter: SplitMix64?
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
                let holds = readJitter.map { var r = $0; defer { readJitter = r }; return r.next() % 2 == 0 } ?? false
                if !pending.isEmpty, !holds {
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
                d.hostLineSpeed(hostSpeed, at: t)
                d.cycle(sample(), at: t, into: &pending)  // 100 Hz source
                device = .witMotion(d)
            case .unanswering(var d):
                for _ in 0..<4 { d.inertial(sample(), at: t, mode: .ascii, into: &pending) }
                device = .unanswering(d)
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
                    hostSpeed = session.lineSpeed(of: port)
                case .setLineSpeed(_, let speed):
                    hostSpeed = speed
                    speeds.append(speed)
                case .write(_, let bytes):
                    writes.append((bytes, now))
                    let t = Double(now) / 1e9
                    bytes.withUnsafeBytes { raw in
                        switch device {
                        case .ximu3(var d):
                            d.receive(raw, at: t, into: &pending)
                            device = .ximu3(d)
                        case .witMotion(var d):
                            d.hostLineSpeed(hostSpeed, at: t)
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
                if case .familySettingsApplied(_, _, let family, let asked, let applied, let refused, _) = $0 { (family, asked, applied, refused) } else { nil }
            }
        }

        /// The packet rates measured for the outcomes (nil where the device reported its settings).
        var measured: [RateMeasurement.Result?] {
            notices.compactMap { notice -> RateMeasurement.Result?? in
                if case .familySettingsApplied(_, _, _, _, _, _, let measured) = notice { .some(measured) } else { nil }
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
            settings: settings(.rightAnkle, rate: 50, accel: 8, gyro: 1000), baud: 115200)
        var bench = Bench(configuration, device: .witMotion(WitMotionDeviceEmulation(sourceRate: 100)))
        bench.run(seconds: 3)
        let outcome = try #require(bench.outcomes.first, "\(bench.notices)")
        #expect(outcome.family == .witMotion)
        #expect(outcome.applied == .init(rateHz: 50, accelerometerRangeG: 8, gyroscopeRangeDPS: 1000))
        #expect(outcome.refused.isEmpty)
        #expect(bench.measured == [nil])  // confirmed by the registers read back, not by the packet rate
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
            settings: settings(.rightAnkle, rate: 50), baud: 115200)
        var bench = Bench(configuration, device: .silent)
        bench.run(seconds: 4)
        #expect(bench.outcomes.isEmpty)
        #expect(bench.unconfirmed == 1)
    }

    /// A named WitMotion at the right ankle (100 Hz source) that does not answer register reads, asked
    /// `settings`, run 4 s with reads bunched at random (`readJitter`).
    private func witMotionWithoutReadBack(_ settings: SensorSettingsRequest, seed: UInt64) -> Bench {
        let configuration = DeviceSessionConfiguration(
            devices: ["/dev/ttyUSB0"], families: ["/dev/ttyUSB0": .witMotion], placements: ["/dev/ttyusb0": .rightAnkle],
            settings: settings, baud: 115200)
        var device = WitMotionDeviceEmulation(sourceRate: 100)
        device.answersReads = false
        var bench = Bench(configuration, device: .witMotion(device))
        bench.readJitter = SplitMix64(seed: seed)
        bench.run(seconds: 4)
        return bench
    }

    /// A WitMotion model that does not answer register reads: the rate asked is confirmed by the rate its
    /// packets arrive at (reads bunched 10-40 ms apart), and said so; the ranges it cannot confirm.
    @Test func aWitMotionWithoutReadBackHasItsRateConfirmedByThePacketsItSends() throws {
        let bench = witMotionWithoutReadBack(settings(.rightAnkle, rate: 50, accel: 8), seed: 21)
        let outcome = try #require(bench.outcomes.first, "\(bench.notices)")
        #expect(bench.outcomes.count == 1)
        #expect(bench.unconfirmed == 0)
        #expect(outcome.applied == .init(rateHz: 50))
        #expect(outcome.refused == ["ranges: not confirmed (this WitMotion does not answer register reads)"])
        let measured = try #require(bench.measured.first ?? nil)
        #expect(measured.confirms)
        #expect(abs(measured.hertz - 50) < 50 * RateMeasurement.tolerance)
        #expect(measured.seconds >= 1.5 && measured.packets >= 75)
        // The device did take the rate: it sends every other 100 Hz sample.
        guard case .witMotion(let after) = bench.device else { return }
        #expect(after.registers[0x03] == 0x08)
    }

    /// The same model asked a rate it cannot send (200 Hz from a 100 Hz sensor): reported with the rate
    /// measured, not as configured.
    @Test func aWitMotionWithoutReadBackThatSendsAnotherRateIsReportedWithTheRateMeasured() throws {
        let bench = witMotionWithoutReadBack(settings(.rightAnkle, rate: 200), seed: 22)
        let outcome = try #require(bench.outcomes.first, "\(bench.notices)")
        let measured = try #require(bench.measured.first ?? nil)
        #expect(!measured.confirms)
        #expect(abs(measured.hertz - 100) < 10)
        #expect(abs((outcome.applied.rateHz ?? 0) - 100) < 10)
        #expect(outcome.refused.isEmpty)
        let exchange = FamilySettingsExchange.Outcome(applied: outcome.applied, refused: outcome.refused)
        #expect(exchange.differences(from: outcome.asked).first?.hasSuffix("Hz (asked 200 Hz)") == true)
    }

    /// The measurement on its own: packets before the settling time do not count, the clock starts at the
    /// first read after it, and the result comes once the window and the packet count are both reached.
    @Test func thePacketRateIsMeasuredFromTheFirstReadAfterSettling() {
        let ms: Int64 = 1_000_000
        var measurement = RateMeasurement(expectedHz: 20, from: 0)
        #expect(measurement.observe(packets: 50, at: 400 * ms) == nil)  // settling: ignored
        #expect(measurement.observe(packets: 1, at: 520 * ms) == nil)  // starts the clock
        var result: RateMeasurement.Result?
        var t = 520 * ms
        while result == nil, t < 3000 * ms {
            t += 50 * ms
            result = measurement.observe(packets: 1, at: t)  // 20 Hz
        }
        #expect(t == 2020 * ms)
        #expect(result == .init(packets: 30, seconds: 1.5, hertz: 20, confirms: true))
        var fast = RateMeasurement(expectedHz: 20, from: 0)
        _ = fast.observe(packets: 1, at: 500 * ms)
        #expect(fast.observe(packets: 34, at: 2000 * ms)?.confirms == false)  // 22.7 Hz: over 10 % off
        var near = RateMeasurement(expectedHz: 20, from: 0)
        _ = near.observe(packets: 1, at: 500 * ms)
        #expect(near.observe(packets: 32, at: 2000 * ms)?.confirms == true)  // 21.3 Hz
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

    /// The identities an x-IMU3 with serial number 65577B49 joins under, streaming (found by its bytes) and
    /// idle (found by the ping), on `configuration` and, when given, the USB port discovery found.
    private func identities(_ configuration: DeviceSessionConfiguration, discovered: DiscoveredPort? = nil) throws -> [SensorIdentity] {
        try [1, 0].map { divisor in
            var bench = Bench(
                configuration, device: .ximu3(XIMU3DeviceEmulation(serialNumber: "65577B49", inertialDivisor: UInt32(divisor))),
                discovered: discovered)
            bench.run(seconds: 4)
            return try #require(bench.identities.first, "\(bench.notices)")
        }
    }

    @Test func anXIMU3GoesByTheSerialNumberItReportsWhetherFoundByItsBytesOrByThePing() throws {
        // The hardware-in-the-loop `families` scenario's x-IMU3: the USB serial number of its port is XIMU3-L1,
        // its own 65577B49. Found streaming it went by XIMU3-L1, found by the ping by 65577B49.
        let usb = DiscoveredPort(path: "/dev/ttyACM0", serialNumber: "XIMU3-L1", usbID: "0525:a4a7")
        let discovered = try identities(DeviceSessionConfiguration(placements: ["ximu3-l1": .lumbar]), discovered: usb)
        #expect(discovered.map(\.id) == ["65577B49", "65577B49"])
        #expect(discovered.map(\.serialNumber) == ["65577B49", "65577B49"])
        // Still placed by the USB serial number the config names.
        #expect(discovered.map(\.placement) == [.lumbar, .lumbar])
        // A `--device` path (no USB serial number: went by its path when streaming), and one named x-IMU3.
        let path = try identities(DeviceSessionConfiguration(devices: ["/dev/ttyACM1"]))
        #expect(path.map(\.id) == ["65577B49", "65577B49"])
        let named = try identities(DeviceSessionConfiguration(devices: ["/dev/ttyACM1"], families: ["/dev/ttyACM1": .xIMU3]))
        #expect(named.map(\.id) == ["65577B49", "65577B49"])
    }

    @Test func aStreamingXIMU3IsPingedOnceAndEveryByteItSentBeforeItsAnswerIsDelivered() throws {
        var bench = Bench(
            DeviceSessionConfiguration(devices: ["/dev/ttyACM1"]), device: .ximu3(XIMU3DeviceEmulation(serialNumber: "65577B49")))
        bench.run(seconds: 3)
        #expect(bench.writes.filter { $0.bytes == XIMU3Command.ping }.count == 1)
        // It was told apart by its bytes, so it got no further Lumbar handshake after the first.
        #expect(bench.writes.count == 2, "\(bench.writes.map(\.bytes))")
        // Every inertial message from the first on, in order: 400 a second over 3 s, less the one being read.
        let lines = String(decoding: bench.delivered.flatMap(\.bytes), as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("I,") }
        #expect(lines.count >= 1196)
    }

    @Test func anXIMU3ThatDoesNotAnswerThePingJoinsUnderItsUSBSerialNumberAfterTheSerialTimeout() throws {
        let configuration = DeviceSessionConfiguration()
        var bench = Bench(
            configuration, device: .unanswering(XIMU3DeviceEmulation(serialNumber: "65577B49")),
            discovered: DiscoveredPort(path: "/dev/ttyACM0", serialNumber: "XIMU3-L1", usbID: "0525:a4a7"))
        bench.run(seconds: 3)
        let identity = try #require(bench.identities.first, "\(bench.notices)")
        #expect(identity.id == "XIMU3-L1" && identity.serialNumber == nil && identity.family == .xIMU3)
        let connected = try #require(bench.delivered.first?.at)
        #expect(connected < configuration.timing.serialTimeout)  // the kept bytes keep their receive times
        let lines = String(decoding: bench.delivered.flatMap(\.bytes), as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("I,") }
        #expect(lines.count >= 1196)
    }

    @Test func withoutPingsAStreamingXIMU3IsSentNothingAndGoesByItsUSBSerialNumber() throws {
        var configuration = DeviceSessionConfiguration()
        configuration.pingsUnidentifiedPorts = false
        var bench = Bench(
            configuration, device: .ximu3(XIMU3DeviceEmulation(serialNumber: "65577B49")),
            discovered: DiscoveredPort(path: "/dev/ttyACM0", serialNumber: "XIMU3-L1", usbID: "0525:a4a7"))
        bench.run(seconds: 2)
        #expect(bench.identities.first?.id == "XIMU3-L1")
        #expect(!bench.writes.contains { $0.bytes == XIMU3Command.ping })
    }

    @Test func anXIMU3SwitchedOnAfterItsPortWasPingedIsPingedAgainWhenItsBytesTellItApart() throws {
        // The hardware-in-the-loop `families` scenario: the daemon opened the port, pinged it as unknown a
        // second in while nothing listened, and the x-IMU3 came on streaming later. It waited for an answer to
        // that lost ping and joined under its port's USB serial number.
        var bench = Bench(
            DeviceSessionConfiguration(), device: .silent,
            discovered: DiscoveredPort(path: "/dev/ttyACM0", serialNumber: "XIMU3-L1", usbID: "0525:a4a7"))
        bench.run(seconds: 2)
        #expect(bench.writes.filter { $0.bytes == XIMU3Command.ping }.count == 1)
        bench.device = .ximu3(XIMU3DeviceEmulation(serialNumber: "65577B49"))
        bench.run(seconds: 2)
        let identity = try #require(bench.identities.first, "\(bench.notices)")
        #expect(identity.id == "65577B49")
        #expect(bench.writes.filter { $0.bytes == XIMU3Command.ping }.count == 2)
    }
}

extension DeviceSessionConfiguration {
    /// A configuration whose one `--device` port runs at `baud` bit/s (`--device PATH@BAUD`): for the
    /// register exchange alone, at a speed that carries the rate asked (no BAUD command first).
    init(
        devices: [String], families: [String: SensorFamily], placements: [String: SensorPlacement], settings: SensorSettingsRequest,
        baud: Int
    ) {
        self.init(devices: devices, families: families, placements: placements, settings: settings)
        for device in devices { baudRates[device.lowercased()] = baud }
    }
}
