import Glibc
import LumbarCore
import LumbarDevice
import LumbarProtocol
import Synchronization
import LumbarThreads
import Testing

@testable import LumbarIO

/// A device info like a simulated lumbar sensor's.
let testDeviceInfo = DeviceInfo(
    firmwareVersion: FirmwareVersion(1, 2, 3), deviceID: 0x00c0_ffee_0000_0001, placement: .lumbar,
    imuPartName: "SIM6DOF", accelerometerFullScale: 8, gyroscopeFullScale: 2000,
    accelerometerSensitivity: 8 / 32768, gyroscopeSensitivity: 2000 / 32768, sampleRateMillihertz: 400_000,
    tickFrequency: 1_000_000)

/// `count` batches of 4 samples, one every 10 ms from `start` s.
func testBatches(_ count: Int, start: Double = 0) -> [TimedPacket] {
    (0..<count).map { k in
        let samples = (0..<4).map { i in
            RawImuSample(accelerometer: RawVector3(Int16(k), Int16(i), 4096), gyroscope: RawVector3(0, 0, Int16(k)))
        }
        return TimedPacket(
            time: start + Double(k) * 0.01,
            packet: .sampleBatch(SampleBatch(sequence: UInt32(k * 4), timestamp: UInt64(k) * 10_000, samplePeriod: 2500, samples: samples)))
    }
}

@Suite("Emulated sensor firmware")
struct EmulatedFirmwareTests {
    @Test func answersEveryCommandWithAnAcknowledgementAndDeviceInfoOnRequest() {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .normal)
        var commander = CommandWriter()
        let request = commander.frame(.requestDeviceInfo) + commander.frame(.startStreaming) + commander.frame(.unknown(opcode: 0x7f))
        var output: [UInt8] = []
        let commands = request.withUnsafeBytes { firmware.receive($0, deviceTicks: 0, into: &output) }
        #expect(commands.map(\.token) == [1, 2, 3])
        var decoder = FrameDecoder()
        let packets = decoder.decode(output)
        #expect(packets == [
            .packet(.acknowledgement(Acknowledgement(token: 1, opcode: 0x03, result: .ok))),
            .packet(.deviceInfo(testDeviceInfo)),
            .packet(.acknowledgement(Acknowledgement(token: 2, opcode: 0x01, result: .ok))),
            .packet(.acknowledgement(Acknowledgement(token: 3, opcode: 0x7f, result: .unsupported))),
        ])
        #expect(firmware.isStreaming)
    }

    @Test func sendsSampleBatchesOnlyWhileStreaming() {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .normal)
        let batches = testBatches(2)
        var output: [UInt8] = []
        #expect(!firmware.send(batches[0].packet, into: &output))
        var commander = CommandWriter()
        _ = commander.frame(.startStreaming).withUnsafeBytes { firmware.receive($0, deviceTicks: 0, into: &output) }
        output.removeAll()
        #expect(firmware.send(batches[1].packet, into: &output))
        // The samples produced before the start are not counted: the first batch sent starts at 0.
        guard case .sampleBatch(var expected) = batches[1].packet else { return }
        expected.sequence = 0
        #expect(FrameDecoder().decodedPackets(output) == [.sampleBatch(expected)])
    }

    @Test func aMuteDeviceStreamsAtOnceButNeverSendsDeviceInfoNorAnswers() {
        var firmware = EmulatedFirmware(deviceInfo: testDeviceInfo, behaviour: .neverSendsDeviceInfo)
        var output: [UInt8] = []
        firmware.connected(into: &output)
        var commander = CommandWriter()
        _ = commander.frame(.requestDeviceInfo).withUnsafeBytes { firmware.receive($0, deviceTicks: 0, into: &output) }
        #expect(output.isEmpty)
        #expect(firmware.send(testBatches(1)[0].packet, into: &output))
    }
}

extension FrameDecoder {
    /// The packets in `bytes` (test helper).
    func decodedPackets(_ bytes: [UInt8]) -> [Packet] {
        var decoder = self
        return decoder.decode(bytes).compactMap { if case .packet(let p) = $0 { p } else { nil } }
    }
}

@Suite("Sensor emulator over real pseudo-terminals")
struct SensorEmulatorTests {
    /// Runs `emulator` on a thread; returns the lines' paths once open and a way to wait for the end.
    final class Harness: Sendable {
        let paths = Mutex<[String: String]>([:])
        let written = Mutex<Int>(0)
        let done: AsyncStream<Void>
        let finish: AsyncStream<Void>.Continuation
        init() { (done, finish) = AsyncStream.makeStream() }

        func start(_ emulator: SensorEmulator) {
            // A real thread: `run` blocks, and the cooperative pool has only as many threads as cores.
            _ = OSThread(name: "test-emulator") {
                try? emulator.run { event in
                    switch event {
                    case .lineOpened(let sensor, let path): self.paths.withLock { $0[sensor] = path }
                    case .batchWritten: self.written.withLock { $0 += 1 }
                    default: break
                    }
                }
                self.finish.finish()
            }
        }

        func path(_ sensor: String) async throws -> String {
            while true {
                if let path = paths.withLock({ $0[sensor] }) { return path }
                try await Task.sleep(for: .milliseconds(2))
            }
        }
    }

    @Test func aProbeReadsTheDeviceInfoOfAnEmulatedSensor() async throws {
        let emulator = SensorEmulator(
            sensors: [EmulatedSensor(name: "lumbar", deviceInfo: testDeviceInfo, source: PacketList(testBatches(5)))]
        ) { _ throws(DeviceError) in try PseudoTerminal() }
        let harness = Harness()
        harness.start(emulator)
        let path = try await harness.path("lumbar")
        guard let info = probeDeviceInfo(path: path, timeout: 5) else {
            Issue.record("no device info from \(path)")
            return
        }
        #expect(info == testDeviceInfo)
        emulator.stop()
        for await _ in harness.done {}
    }

    @Test func streamsEveryBatchAfterTheHostStartsIt() async throws {
        let emulator = SensorEmulator(
            sensors: [EmulatedSensor(name: "lumbar", deviceInfo: testDeviceInfo, source: PacketList(testBatches(20)))],
            settings: .init(lingerSeconds: 0.2)
        ) { _ throws(DeviceError) in try PseudoTerminal() }
        let harness = Harness()
        harness.start(emulator)
        let port = try SerialPort(path: try await harness.path("lumbar"))
        var commander = CommandWriter()
        try commander.send([.startStreaming], to: port)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var entry = pollfd(fd: port.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 5000) == 1, case .bytes(let n) = try port.read(into: &buffer) else { break }
            received += buffer[..<n]
        }
        for await _ in harness.done {}
        let packets = FrameDecoder().decodedPackets(received)
        let batches = packets.filter { if case .sampleBatch = $0 { true } else { false } }
        #expect(packets.first == .deviceInfo(testDeviceInfo))
        #expect(batches == testBatches(20).map(\.packet))
    }

    @Test func aScriptedUnplugClosesTheLineAndTheSensorComesBackOnANewOne() async throws {
        let emulator = SensorEmulator(
            sensors: [
                EmulatedSensor(
                    name: "ankle", deviceInfo: testDeviceInfo, source: PacketList(testBatches(6000)), unplugged: [0.1..<0.2])
            ],
            settings: .init(lingerSeconds: 60)
        ) { _ throws(DeviceError) in try PseudoTerminal() }
        let harness = Harness()
        harness.start(emulator)
        let first = try await harness.path("ankle")
        let port = try SerialPort(path: first)
        // The session clock (and so the scripted unplug) starts with this command.
        var commander = CommandWriter()
        try commander.send([.startStreaming], to: port)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var hungUp = false
        while !hungUp {
            var entry = pollfd(fd: port.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 5000) == 1 else { break }
            if case .hangUp = try port.read(into: &buffer) { hungUp = true }
        }
        #expect(hungUp)
        while harness.paths.withLock({ $0["ankle"] }) == first { try await Task.sleep(for: .milliseconds(2)) }
        let second = try await harness.path("ankle")
        #expect(second != first)
        #expect(probeDeviceInfo(path: second, timeout: 5) != nil)
        emulator.stop()
        for await _ in harness.done {}
    }
}

/// The device info of the sensor on `path`, asked as `lumbar devices` asks: the device session in
/// probe mode through its driver (open, ask, ask again at half the timeout, close); nil without an answer.
func probeDeviceInfo(path: String, timeout: Double) -> DeviceInfo? {
    let configuration = DeviceSessionConfiguration(
        purpose: .probe, devices: [path], timing: .probe(timeout: Int64(timeout * 1e9)))
    guard let driver = try? DeviceSessionDriver(configuration, settings: .default, scan: { [] }) else { return nil }
    var info: DeviceInfo?
    func handle(_ action: DeviceAction, _ bytes: UnsafeRawBufferPointer) {
        if case .notice(.identified(_, let sensor)) = action { info = sensor.deviceInfo }
    }
    driver.start(at: HostClock.nanoseconds(), handle)
    while driver.session.hasOpenPorts {
        driver.poll(timeoutNanoseconds: 50_000_000, handle)
        driver.tick(at: HostClock.nanoseconds(), handle)
    }
    return info
}


@Suite("Sensor emulator over a Unix socket (QEMU's usb-serial chardev)")
struct SensorEmulatorSocketTests {
    @Test func emulatorStopsPlayingASensorWhosePeerClosedTheSocket() async throws {
        let path = "/tmp/lumbar-emulator-\(getpid()).sock"
        unlink(path)
        let server = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(server, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        #expect(listen(server, 1) == 0)
        defer { close(server); unlink(path) }
        let emulator = SensorEmulator(
            sensors: [EmulatedSensor(name: "lumbar", deviceInfo: testDeviceInfo, source: PacketList(testBatches(20_000)))],
            settings: .init(lingerSeconds: 60)
        ) { _ throws(DeviceError) in try UnixSocketLink(connectingTo: path) }
        let harness = SensorEmulatorTests.Harness()
        harness.start(emulator)
        let peer = accept(server, nil, nil)
        #expect(peer >= 0)
        // The device says hello on connect, like firmware at power-up.
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(peer, &buffer, buffer.count)
        #expect(FrameDecoder().decodedPackets(Array(buffer[..<max(0, count)])) == [.deviceInfo(testDeviceInfo)])
        close(peer)
        // Without its peer the only sensor is done: `run` returns instead of spinning on the hang-up.
        for await _ in harness.done {}
    }
}
