import LumbarCore
import LumbarDevice
import LumbarIO
import LumbarProtocol
import Testing

/// The device session on a virtual clock: every scenario runs in milliseconds, deterministically.
@Suite("Device session: handshake, identification, duplicates, replug, babblers, settings, stalls")
struct DeviceSessionTests {
    private let second: Int64 = 1_000_000_000

    private func lumbar(_ path: String = "/dev/ttyACM0", serial: String? = nil, id: UInt64 = 0xC0FFEE01) -> DeviceBench.Device {
        DeviceBench.Device(path: path, serialNumber: serial, deviceID: id, placement: .lumbar)
    }

    @Test func aSilentPortIsAskedThreeTimesOneSecondApartThenReportedOnceAfterTheIdentifyTimeout() {
        let mute = DeviceBench.Device(path: "/dev/ttyACM0", deviceID: 1, placement: .lumbar, behaviour: .neverSendsDeviceInfo)
        var bench = DeviceBench(DeviceSessionConfiguration(devices: ["/dev/ttyACM0"]), devices: [mute])
        bench.run(seconds: 2.5)
        #expect(bench.count(.requestDeviceInfo, to: "/dev/ttyACM0") == 3)
        #expect(!bench.notices.contains { if case .notIdentified = $0 { true } else { false } })
        bench.run(seconds: 3)
        #expect(bench.count(.requestDeviceInfo, to: "/dev/ttyACM0") == 3)
        let silent = bench.notices.compactMap { if case .notIdentified(_, let path, let why) = $0 { (path, why) } else { nil } }
        #expect(silent.count == 1)
        #expect(silent.first?.0 == "/dev/ttyACM0")
        // It streams sample batches but never says who it is.
        #expect(silent.first?.1.contains("none of them device info") == true)
        #expect(bench.connections.isEmpty)
        #expect(bench.session.posture(of: DevicePort(0)) == .identifying)
    }

    @Test func aLateDeviceInfoAnswerIdentifiesTheSensorOnceAndEveryByteItSentIsDeliveredOnce() {
        var device = lumbar()
        device.answerDelay = 1_500_000_000  // after the first resend
        var bench = DeviceBench(DeviceSessionConfiguration(devices: ["/dev/ttyACM0"]), devices: [device])
        bench.run(seconds: 4)
        #expect(bench.connections.count == 1)
        #expect(bench.connections.first?.id == "00000000c0ffee01")
        #expect(bench.count(.requestDeviceInfo, to: "/dev/ttyACM0") == 2)
        // Samples flowed, and what the sensor got is exactly what the device sent: no byte twice, none missing.
        #expect(bench.delivered["00000000c0ffee01"]?.count ?? 0 > 1000)
        #expect(bench.deliveredEveryByteOnce(device: 0, sensor: "00000000c0ffee01"))
        #expect(bench.losses.isEmpty)
    }

    @Test func twoPortsWithTheSameDeviceAreOneSensorAndTheSecondIsClosed() {
        var bench = DeviceBench(
            DeviceSessionConfiguration(devices: ["/dev/ttyACM0", "/dev/ttyACM1"]),
            devices: [lumbar("/dev/ttyACM0", id: 7), lumbar("/dev/ttyACM1", id: 7)])
        bench.run(seconds: 2)
        #expect(bench.connections.map(\.path) == ["/dev/ttyACM0"])
        let duplicates = bench.notices.compactMap { if case .duplicate(_, let path, _, let other) = $0 { (path, other) } else { nil } }
        #expect(duplicates.count == 1)
        #expect(duplicates.first?.0 == "/dev/ttyACM1" && duplicates.first?.1 == "/dev/ttyACM0")
        #expect(bench.session.posture(of: DevicePort(1)) == .gone)
    }

    @Test func twoUSBDevicesWithTheSameSerialNumberAreOneSensor() {
        var bench = DeviceBench(
            DeviceSessionConfiguration(),
            devices: [lumbar("/dev/ttyUSB0", serial: "LB-01", id: 1), lumbar("/dev/ttyUSB1", serial: "LB-01", id: 2)])
        bench.run(seconds: 2)
        #expect(bench.connections.map(\.id) == ["LB-01"])
        #expect(bench.notices.contains { if case .duplicate(_, "/dev/ttyUSB1", "LB-01", "/dev/ttyUSB0") = $0 { true } else { false } })
    }

    @Test func anUnpluggedSensorIsLostAndComesBackUnderItsSerialNumberOnANewPath() {
        var bench = DeviceBench(DeviceSessionConfiguration(), devices: [lumbar("/dev/ttyUSB0", serial: "LB-01")])
        bench.run(seconds: 2)
        bench.unplug(0)
        bench.run(seconds: 3)
        #expect(bench.losses.map(\.reason) == [.unplugged])
        bench.replug(0, path: "/dev/ttyUSB3")
        bench.run(seconds: 2)
        #expect(bench.connections.map(\.id) == ["LB-01", "LB-01"])
        #expect(bench.connections.map(\.path) == ["/dev/ttyUSB0", "/dev/ttyUSB3"])
        #expect(bench.session.ports.map(\.posture) == [.gone, .streaming])
    }

    @Test func anUnpluggedDevicePathIsReopenedEveryHalfSecondUntilItReturns() {
        var bench = DeviceBench(DeviceSessionConfiguration(devices: ["/dev/ttyACM0"]), devices: [lumbar()])
        bench.run(seconds: 1)
        bench.unplug(0)
        bench.run(seconds: 2)
        bench.devices[0].plugged = true
        bench.run(seconds: 1)
        #expect(bench.losses.map(\.reason) == [.unplugged])
        #expect(bench.connections.count == 2)
        // Said once, however often the reopen failed.
        #expect(bench.notices.filter { if case .openFailed = $0 { true } else { false } }.count == 1)
    }

    @Test func aBabblerIsNeverIdentifiedKeepsBoundedMemoryAndDoesNotDelayTheRealSensor() {
        var babbler = DeviceBench.Device(path: "/dev/ttyUSB1", serialNumber: "BAB", deviceID: 9, placement: .lumbar, behaviour: .babbling)
        babbler.babbles = true
        var config = DeviceSessionConfiguration()
        config.handshakeBufferLimit = 4096
        var bench = DeviceBench(config, devices: [lumbar("/dev/ttyUSB0", serial: "LB-01"), babbler])
        bench.run(seconds: 6)
        #expect(bench.connections.map(\.id) == ["LB-01"])
        #expect(bench.devices[1].sent.count > 50_000)
        let silent = bench.notices.compactMap { if case .notIdentified(_, let path, let why) = $0 { (path, why) } else { nil } }
        #expect(silent.count == 1)
        #expect(silent.first?.0 == "/dev/ttyUSB1")
        #expect(silent.first?.1.contains("not speaking the Lumbar protocol") == true)
        #expect(bench.deliveredEveryByteOnce(device: 0, sensor: "LB-01"))
        #expect(bench.session.posture(of: DevicePort(1)) == .identifying)
    }

    @Test func garbageBetweenFramesIsDeliveredAsItCameAndIsNeitherAStallNorALoss() {
        var device = lumbar()
        device.garbageBetweenFrames = true
        var bench = DeviceBench(DeviceSessionConfiguration(devices: ["/dev/ttyACM0"]), devices: [device])
        bench.run(seconds: 5)
        #expect(bench.connections.count == 1)
        #expect(bench.losses.isEmpty)
        #expect(!bench.notices.contains { if case .stalled = $0 { true } else { false } })
        #expect(bench.deliveredEveryByteOnce(device: 0, sensor: "00000000c0ffee01"))
    }

    @Test func settingsAreAskedWhileStoppedThenConfirmedByTheDevicesAnswer() {
        var settings = SensorSettingsRequest()
        settings.global.rateHz = 120
        settings.byPlacement[.lumbar] = .init(accelerometerRangeG: 4)
        var bench = DeviceBench(DeviceSessionConfiguration(devices: ["/dev/ttyACM0"], settings: settings), devices: [lumbar()])
        bench.run(seconds: 2)
        #expect(
            bench.commands["/dev/ttyACM0"] == [
                .requestDeviceInfo, .stopStreaming, .setSampleRate(millihertz: 120_000), .setAccelerometerRange(g: 4),
                .requestDeviceInfo, .startStreaming,
            ])
        let applied = bench.notices.compactMap {
            if case .settingsApplied(_, _, let asked, let info, let refused) = $0 { (asked, info, refused) } else { nil }
        }
        #expect(applied.count == 1)
        // The firmware picks the nearest rate it has (200 Hz / 2) and takes the range as asked.
        #expect(applied.first?.1.sampleRate == 100)
        #expect(applied.first?.1.accelerometerFullScale == 4)
        #expect(applied.first?.0.differences(from: applied.first!.1) == ["100 Hz (asked 120 Hz)"])
        #expect(applied.first?.2.isEmpty == true)
        #expect(!bench.notices.contains { if case .settingsUnconfirmed = $0 { true } else { false } })
    }

    @Test func settingsWithoutAnAnswerAreReportedUnconfirmedAfterTheTimeout() {
        var settings = SensorSettingsRequest()
        settings.global.rateHz = 100
        // Its answer to the handshake is on the way; then it is deaf to the configuration commands.
        var bench = DeviceBench(DeviceSessionConfiguration(devices: ["/dev/ttyACM0"], settings: settings), devices: [lumbar()])
        bench.devices[0].deafUntil = 10 * second
        bench.run(seconds: 4)
        #expect(bench.notices.filter { if case .settingsUnconfirmed = $0 { true } else { false } }.count == 1)
    }

    @Test func aPortThatMayNotBeOpenedIsSaidOnceAndTheSessionGivesUpWhenNoPortCanBeUsed() {
        var denied = lumbar()
        denied.openFailure = .permissionDenied
        var bench = DeviceBench(DeviceSessionConfiguration(devices: ["/dev/ttyACM0"]), devices: [denied])
        bench.run(seconds: 2)
        #expect(bench.events.filter { $0 == .gaveUp }.count == 1)
        let failures = bench.notices.compactMap { if case .openFailed(_, _, let failure) = $0 { failure.kind } else { nil } }
        #expect(failures == [.permissionDenied])
    }

    @Test func aDeniedPortBesideAUsableOneIsRetriedQuietlyAndTheSessionGoesOn() {
        var denied = lumbar("/dev/ttyACM1", id: 2)
        denied.openFailure = .permissionDenied
        var bench = DeviceBench(DeviceSessionConfiguration(devices: ["/dev/ttyACM0", "/dev/ttyACM1"]), devices: [lumbar(), denied])
        bench.run(seconds: 3)
        #expect(!bench.events.contains(.gaveUp))
        #expect(bench.notices.filter { if case .openFailed = $0 { true } else { false } }.count == 1)
        #expect(bench.connections.count == 1)
        bench.devices[1].openFailure = nil
        bench.run(seconds: 1)
        #expect(bench.connections.count == 2)
    }

    @Test func aSensorWhoseFirmwareRestartsBehindAnOpenPortIsStalledRestartedWithBackoffAndStreamsAgain() {
        var bench = DeviceBench(DeviceSessionConfiguration(devices: ["/dev/ttyACM0"]), devices: [lumbar()])
        bench.run(seconds: 3)
        let before = bench.delivered["00000000c0ffee01"]?.count ?? 0
        bench.restartFirmware(0)
        // Still booting: the first start commands are lost.
        bench.devices[0].deafUntil = bench.now + 2_500_000_000
        bench.run(seconds: 6)
        // Lost once, as stalled (not timeout, not lost-and-back on each heartbeat).
        #expect(bench.losses.map(\.reason) == [.stalled])
        let stalls = bench.notices.compactMap { if case .stalled(_, _, _, let attempt, let retryIn) = $0 { (attempt, retryIn) } else { nil } }
        #expect(stalls.map(\.0) == [1, 2, 3, 4])
        #expect(stalls.map(\.1) == [second / 2, second, 2 * second, 4 * second])
        #expect(bench.notices.filter { if case .resumed = $0 { true } else { false } }.count == 1)
        #expect(bench.count(.startStreaming, to: "/dev/ttyACM0") == 2)  // the handshake's, and the one that got through
        #expect(bench.session.posture(of: DevicePort(0)) == .streaming)
        #expect((bench.delivered["00000000c0ffee01"]?.count ?? 0) > before + 1000)
        #expect(bench.deliveredEveryByteOnce(device: 0, sensor: "00000000c0ffee01"))
        // The stall was found from the first heartbeat after the restart, within a second.
        let lostAt = bench.losses.first?.at ?? 0
        #expect(lostAt > 3 * second && lostAt <= 4 * second + 100_000_000)
    }

    @Test func aSensorThatSendsHeartbeatsButNoSamplesIsStalledAfterTheStallTimeout() {
        var bench = DeviceBench(DeviceSessionConfiguration(devices: ["/dev/ttyACM0"]), devices: [lumbar()])
        bench.run(seconds: 2)
        // Its IMU stops delivering while the firmware believes it streams: heartbeats say "streaming".
        bench.devices[0].nextBatchAt = .max
        bench.run(seconds: 2.5)
        #expect(bench.losses.map(\.reason) == [.stalled])
        bench.devices[0].nextBatchAt = bench.now
        bench.run(seconds: 1)
        #expect(bench.session.posture(of: DevicePort(0)) == .streaming)
    }

    @Test func aProbeAsksForTheDeviceInfoClosesThePortAndStartsNothing() {
        var config = DeviceSessionConfiguration(purpose: .probe, devices: ["/dev/ttyACM0", "/dev/ttyACM1"])
        config.timing = .probe(timeout: second)
        let mute = DeviceBench.Device(path: "/dev/ttyACM1", deviceID: 2, placement: .lumbar, behaviour: .babbling)
        var bench = DeviceBench(config, devices: [lumbar(), mute])
        bench.run(seconds: 1.5)
        #expect(bench.notices.contains { if case .identified(_, let s) = $0 { s.id == "00000000c0ffee01" } else { false } })
        #expect(bench.notices.contains { if case .notIdentified(_, "/dev/ttyACM1", _) = $0 { true } else { false } })
        #expect(bench.count(.startStreaming, to: "/dev/ttyACM0") == 0)
        #expect(bench.session.ports.map(\.posture) == [.gone, .gone])
        #expect(bench.connections.isEmpty)
    }
}
