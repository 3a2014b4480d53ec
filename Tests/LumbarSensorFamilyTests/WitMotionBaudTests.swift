import LumbarCore
import LumbarDevice
import LumbarProtocol
import LumbarSim
import Testing

/// A WitMotion's line speed (#15, the BAUD command): the speed a rate needs, the command's bytes from the
/// vendor documents, and the device session raising a factory sensor's 9600 baud for the rate asked, on a
/// virtual clock against the emulated UART (`WitMotionDeviceEmulation.UART`): followed when the device takes
/// it, back at the old speed with one notice when it takes it only after a power cycle.
@Suite("WitMotion: the BAUD command and the line speed a rate needs")
struct WitMotionBaudTests {
    private static let ms: Int64 = 1_000_000

    @Test func theBaudCodesAreTheDatasheetsAndTheCommandIsUnlockBaudSave() {
        // HWT905-TTL datasheet §5.2.10 / WitMotion SDK REG.h WIT_BAUD_*: 0x02 9600 (default), 0x06 115200.
        #expect(WitMotionBaud.speeds.map(\.code) == Array(1...9))
        #expect(WitMotionBaud.code(bitsPerSecond: 9600) == 0x02)
        #expect(WitMotionBaud.code(bitsPerSecond: 115200) == 0x06)
        #expect(WitMotionBaud.code(bitsPerSecond: 230400) == 0x07)
        #expect(WitMotionBaud.code(bitsPerSecond: 921600) == 0x09)
        #expect(WitMotionBaud.code(bitsPerSecond: 14400) == nil)
        #expect(WitMotionBaud.bitsPerSecond(code: 0x04) == 38400)
        #expect(WitMotionBaud.bitsPerSecond(code: 0x0A) == nil)
        #expect(
            WitMotionBaud.command(to: 115200)
                == [0xFF, 0xAA, 0x69, 0x88, 0xB5, 0xFF, 0xAA, 0x04, 0x06, 0x00, 0xFF, 0xAA, 0x00, 0x00, 0x00])
        #expect(WitMotionBaud.command(to: 14400) == nil)
    }

    @Test func aLineIsRaisedOnlyWhenItCannotCarryTheRateTwiceOverAndNeverSlowedDown() {
        // 44-byte cycles, 10 bits a byte, twice over: 100 Hz needs 88 000 bit/s.
        #expect(WitMotionBaud.raise(from: 9600, for: 100) == 115200)
        #expect(WitMotionBaud.raise(from: 9600, for: 200) == 230400)
        #expect(WitMotionBaud.raise(from: 9600, for: 50) == 57600)
        #expect(WitMotionBaud.raise(from: 9600, for: 20) == 19200)
        #expect(WitMotionBaud.raise(from: 9600, for: 10) == nil)  // the factory 10 Hz: 8800 bit/s
        #expect(WitMotionBaud.raise(from: 115200, for: 100) == nil)
        #expect(WitMotionBaud.raise(from: 115200, for: 200) == 230400)
        #expect(WitMotionBaud.raise(from: 921600, for: 200) == nil)
        #expect(WitMotionBaud.raise(from: 9600, for: 5000) == 921600)  // none enough: the fastest
        #expect(WitMotionBaud.raise(from: 9600, for: .nan) == nil)
        // What 9600 baud carries: 21.8 cycles of 44 bytes, 29.1 of 33 (acceleration, angular velocity, angle).
        #expect(abs(WitMotionBaud.cyclesPerSecond(at: 9600) - 21.82) < 0.01)
        #expect(abs(WitMotionBaud.cyclesPerSecond(at: 9600, bytesPerCycle: 33) - 29.09) < 0.01)
    }

    @Test func aLineThatStaysSlowIsAskedTheFastestDocumentedRateItCarriesAndAFastOneTheRateAsked() {
        // 44-byte cycles, 10 bits a byte, 5 % spare: 20 Hz fills 8800 of 9600 bit/s, 50 Hz needs 22 000.
        #expect(WitMotionBaud.carriedRate(at: 9600, for: 100).hertz == 20)
        #expect(WitMotionBaud.carriedRate(at: 9600, for: 200).hertz == 20)
        #expect(WitMotionBaud.carriedRate(at: 9600, for: 10).hertz == 10)  // asked less than it carries: as asked
        #expect(WitMotionBaud.carriedRate(at: 19200, for: 100).hertz == 20)
        #expect(WitMotionBaud.carriedRate(at: 38400, for: 100).hertz == 50)
        #expect(WitMotionBaud.carriedRate(at: 115200, for: 100).hertz == 100)
        #expect(WitMotionBaud.carriedRate(at: 115200, for: 60).hertz == 50)  // the documented rate nearest the one asked
        #expect(WitMotionBaud.carriedRate(at: 115200, for: 200).hertz == 200)
        #expect(WitMotionBaud.carriedRate(at: 4800, for: 100).hertz == 10)
        #expect(WitMotionBaud.carriedRate(at: 50, for: 100).hertz == 0.2)  // none carried: the slowest
        #expect(WitMotionBaud.carriedRate(at: 9600, for: 100).code == 0x07)  // RRATE 20 Hz
    }

    @Test func theChangeWaitsForAPacketAtTheOldSpeedThenConfirmsOnFivePacketsAtTheNewOne() {
        var change = WitMotionBaudChange(from: 9600, to: 115200, at: 0)!
        let cycle = WitMotionEmulation.cycle(ImuSample(time: 0, accelerometer: Vector3(0, 0, 1), gyroscope: Vector3(0, 0, 0)))
        #expect(change.feed([0x01, 0x02, 0x55], at: 10 * Self.ms) == nil)
        #expect(change.tick(at: 2000 * Self.ms) == nil)
        #expect(change.feed(cycle, at: 2100 * Self.ms) == .send(bytes: WitMotionBaud.command(to: 115200)!, speed: 115200))
        // The timeout counts from the send.
        #expect(change.tick(at: 4000 * Self.ms) == nil)
        for n in 1..<WitMotionBaudChange.confirmationPackets { #expect(change.feed(cycle, at: (2100 + Int64(n)) * Self.ms) == nil) }
        #expect(change.feed(cycle, at: 2200 * Self.ms) == .ended(.raised(from: 9600, to: 115200)))
        #expect(change.tick(at: 9000 * Self.ms) == nil)

        var unanswered = WitMotionBaudChange(from: 9600, to: 115200, at: 0)!
        _ = unanswered.feed(cycle, at: 100 * Self.ms)
        // Garbage at the new speed is no packet.
        #expect(unanswered.feed(cycle.map(WitMotionDeviceEmulation.garbled), at: 200 * Self.ms) == nil)
        #expect(unanswered.tick(at: 3099 * Self.ms) == nil)
        #expect(unanswered.tick(at: 3100 * Self.ms) == .ended(.notApplied(from: 9600, to: 115200)))

        var silent = WitMotionBaudChange(from: 9600, to: 115200, at: 0)!
        #expect(silent.tick(at: 3000 * Self.ms) == .ended(.unheard(from: 9600)))
    }

    private func bench(_ applies: WitMotionDeviceEmulation.UART.Applies, rate: Double = 100) -> FamilySettingsSessionTests.Bench {
        var request = SensorSettingsRequest()
        request.byPlacement[.rightAnkle] = .init(rateHz: rate)
        // A named WitMotion with no speed given: opened at the factory 9600.
        let configuration = DeviceSessionConfiguration(
            devices: ["/dev/ttyUSB0"], families: ["/dev/ttyUSB0": .witMotion], placements: ["/dev/ttyusb0": .rightAnkle], settings: request)
        var device = WitMotionDeviceEmulation(sourceRate: 100)
        device.uart = .init(bitsPerSecond: 9600, applies: applies)
        return FamilySettingsSessionTests.Bench(configuration, device: .witMotion(device))
    }

    private func raised(_ bench: FamilySettingsSessionTests.Bench) -> [DeviceNotice] {
        bench.notices.filter {
            switch $0 {
            case .lineSpeedRaised, .lineSpeedNotApplied: true
            default: false
            }
        }
    }

    /// Acceleration packets among the bytes delivered in [from, to) ms.
    private func cycles(_ bench: FamilySettingsSessionTests.Bench, from: Int64, to: Int64) -> Int {
        var scanner = WitMotionReadScanner()
        scanner.feed(bench.delivered.filter { $0.at >= from * Self.ms && $0.at < to * Self.ms }.flatMap(\.bytes)) { _ in }
        return scanner.accelerationPackets
    }

    @Test func aFactoryWitMotionAskedMoreThanItsLineCarriesIsToldTheBaudFollowedAndThenConfigured() throws {
        var bench = bench(.atOnce)
        bench.run(seconds: 4)
        // At 9600 the 100 Hz source gets 29 cycles a second through (33 bytes each) until the change.
        let familyWrites = bench.writes.map(\.bytes).filter { $0.starts(with: [0xFF, 0xAA]) }
        #expect(familyWrites.first == WitMotionBaud.command(to: 115200), "\(familyWrites)")
        #expect(bench.speeds == [115200])
        #expect(raised(bench) == [.lineSpeedRaised(DevicePort(0), path: "/dev/ttyUSB0", from: 9600, to: 115200, rateHz: 100)])
        #expect(bench.identities.map(\.rateHz) == [nil])  // the rate configured
        // Then the rate, at the new speed: unlock, RRATE 100 Hz, save, read back.
        #expect(familyWrites.count == 2)
        #expect(familyWrites.last?.starts(with: WitMotionCommand.unlock + WitMotionCommand.write(.outputRate, 0x09) + WitMotionCommand.save) == true)
        #expect(bench.outcomes.map(\.applied.rateHz) == [100])
        #expect(bench.session.lineSpeed(of: DevicePort(0)) == 115200)
        #expect(bench.session.baudRate(of: DevicePort(0)) == 115200)  // a replug opens at it
        guard case .witMotion(let device) = bench.device else { return }
        #expect(device.uart?.bitsPerSecond == 115200)
        #expect(device.saved[0x04] == 0x06)  // kept by the save that came with the rate, at the new speed
        // Every cycle of the 100 Hz source once settled.
        let last = cycles(bench, from: 3000, to: 4000)
        #expect(abs(last - 100) <= 2, "\(last) cycles in the last second")
    }

    @Test func aWitMotionThatTakesTheBaudOnlyAfterAPowerCycleIsBackAtItsOldSpeedWithOneNoticeAndGoesOn() throws {
        var bench = bench(.afterPowerCycle)
        bench.run(seconds: 8)
        #expect(bench.speeds == [115200, 9600])
        #expect(
            raised(bench) == [.lineSpeedNotApplied(DevicePort(0), path: "/dev/ttyUSB0", from: 9600, to: 115200, rateHz: 100, carriedHz: 20)])
        // It joins once that is known, asked (and clocked at) the 20 Hz that 9600 baud carries, not the 100 asked.
        #expect(bench.identities.map(\.rateHz) == [20])
        let familyWrites = bench.writes.map(\.bytes).filter { $0.starts(with: [0xFF, 0xAA]) }
        #expect(familyWrites.count == 2)
        #expect(familyWrites.last?.starts(with: WitMotionCommand.unlock + WitMotionCommand.write(.outputRate, 0x07) + WitMotionCommand.save) == true)
        // The settings follow at 9600; the registers read back say what it was told, and it was asked no more.
        #expect(bench.outcomes.map(\.applied.rateHz) == [20])
        #expect(bench.outcomes.map(\.asked.rateHz) == [20])
        #expect(bench.session.lineSpeed(of: DevicePort(0)) == 9600)
        // Saved for the power cycle: the port opens at the new speed when it comes back.
        #expect(bench.session.baudRate(of: DevicePort(0)) == 115200)
        guard case .witMotion(let device) = bench.device else { return }
        #expect(device.uart?.bitsPerSecond == 9600)
        #expect(device.saved[0x04] == 0x06)
        // Every cycle of the 20 Hz asked (before, asked 100 Hz, it skipped to the 29 cycles of 33 bytes 9600 baud
        // carries: 71 of every 100 its clock expected).
        let last = cycles(bench, from: 6000, to: 8000)
        #expect(abs(last - 40) <= 1, "\(last) cycles in the last 2 s")
    }

    @Test func aWitMotionAlreadyFastEnoughIsToldNoBaudAndOneNeverHeardIsToldNothingBeforeItsSettings() {
        var request = SensorSettingsRequest()
        request.byPlacement[.rightAnkle] = .init(rateHz: 100)
        let fast = DeviceSessionConfiguration(
            devices: ["/dev/ttyUSB0"], families: ["/dev/ttyUSB0": .witMotion], placements: ["/dev/ttyusb0": .rightAnkle], settings: request,
            baud: 115200)
        var bench = FamilySettingsSessionTests.Bench(fast, device: .witMotion(WitMotionDeviceEmulation(sourceRate: 100)))
        bench.run(seconds: 1)
        #expect(bench.speeds.isEmpty)
        #expect(bench.writes.first?.bytes.starts(with: WitMotionCommand.unlock + WitMotionCommand.write(.outputRate, 0x09)) == true)
        #expect(bench.writes.first?.at == 0)
        // At 9600 but silent: no BAUD command; after the wait, the settings (which go unconfirmed).
        let slow = DeviceSessionConfiguration(
            devices: ["/dev/ttyUSB0"], families: ["/dev/ttyUSB0": .witMotion], placements: ["/dev/ttyusb0": .rightAnkle], settings: request)
        var silent = FamilySettingsSessionTests.Bench(slow, device: .silent)
        silent.run(seconds: 7)
        #expect(silent.speeds.isEmpty)
        #expect(raised(silent).isEmpty)
        #expect(silent.writes.map(\.bytes).allSatisfy { !$0.contains(0x04) || !$0.starts(with: WitMotionCommand.unlock + [0xFF, 0xAA, 0x04]) })
        #expect(silent.writes.first?.at == WitMotionBaudChange.timeout)
        #expect(silent.unconfirmed == 1)
    }
}
