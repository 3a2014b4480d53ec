import Dispatch
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
    /// Runs `emulator` on a thread of its own and tells the test, as they happen, which lines it opened.
    ///
    /// The tests wait on the emulator's own events (a semaphore each event signals), on a thread of their
    /// own (`onItsOwnThread`), never on sleeps or on the Swift concurrency pool: under load the pool's few
    /// threads can be busy with other suites for minutes, and a test waiting for one to resume it saw the
    /// emulator end meanwhile (a line gone before the test opened it).
    final class Harness: Sendable {
        /// Every line each sensor opened, in order.
        private let lines = Mutex<[String: [String]]>([:])
        private let changed = DispatchSemaphore(value: 0)
        private let ended = Mutex(false)
        private let thread = Mutex<OSThread?>(nil)
        /// The longest a test waits for the emulator's next event before it fails (a bound, not a pace).
        static let patience: DispatchTimeInterval = .seconds(300)

        func start(_ emulator: SensorEmulator) {
            // A real thread: `run` blocks.
            let t = OSThread(name: "test-emulator") { [self] in
                try? emulator.run { event in
                    if case .lineOpened(let sensor, let path) = event {
                        lines.withLock { $0[sensor, default: []].append(path) }
                        changed.signal()
                    }
                }
                ended.withLock { $0 = true }
                changed.signal()
            }
            thread.withLock { $0 = t }
        }

        /// The path of the `index`-th line (0: the first) `sensor` opened, once it is open; nil when the
        /// emulator ended without opening it.
        func path(_ sensor: String, line index: Int = 0) -> String? {
            while true {
                let done = ended.withLock { $0 }  // read first: a line is recorded before the end is
                if let path = lines.withLock({ $0[sensor].flatMap { $0.count > index ? $0[index] : nil } }) { return path }
                if done || changed.wait(timeout: .now() + Self.patience) == .timedOut { return nil }
            }
        }

        /// Waits until the emulator's `run` returned (after `stop()`, or when its sources ended).
        func waitForEnd() {
            let t = thread.withLock { t -> OSThread? in
                defer { t = nil }
                return t
            }
            t?.join()
        }
    }

    /// Waits (up to `Harness.patience`) for `port` to be readable. - Returns: false on timeout.
    static func waitReadable(_ port: SerialPort) -> Bool {
        var entry = pollfd(fd: port.fileDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 300_000) == 1
    }

    @Test func aProbeReadsTheDeviceInfoOfAnEmulatedSensor() async throws {
        let info = try await onItsOwnThread { () throws -> DeviceInfo? in
            let emulator = SensorEmulator(
                sensors: [EmulatedSensor(name: "lumbar", deviceInfo: testDeviceInfo, source: PacketList(testBatches(5)))],
                settings: .init(lingerSeconds: .infinity)
            ) { _ throws(DeviceError) in try PseudoTerminal() }
            let harness = Harness()
            harness.start(emulator)
            defer {
                emulator.stop()
                harness.waitForEnd()
            }
            guard let path = harness.path("lumbar") else { return nil }
            return probeDeviceInfo(path: path, timeout: 5)
        }
        #expect(info == testDeviceInfo)
    }

    @Test func streamsEveryBatchAfterTheHostStartsIt() async throws {
        let received = try await onItsOwnThread { () throws -> [UInt8] in
            let emulator = SensorEmulator(
                sensors: [EmulatedSensor(name: "lumbar", deviceInfo: testDeviceInfo, source: PacketList(testBatches(20)))],
                settings: .init(lingerSeconds: 0.2)
            ) { _ throws(DeviceError) in try PseudoTerminal() }
            let harness = Harness()
            harness.start(emulator)
            defer {
                emulator.stop()
                harness.waitForEnd()
            }
            guard let path = harness.path("lumbar") else { return [] }
            let port = try SerialPort(path: path)
            var commander = CommandWriter()
            try commander.send([.startStreaming], to: port)
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            // Until the emulator closes the line after its last batch (the hang-up ends the reads).
            while Self.waitReadable(port), case .bytes(let n) = try port.read(into: &buffer) {
                received += buffer[..<n]
            }
            return received
        }
        let packets = FrameDecoder().decodedPackets(received)
        let batches = packets.filter { if case .sampleBatch = $0 { true } else { false } }
        #expect(packets.first == .deviceInfo(testDeviceInfo))
        #expect(batches == testBatches(20).map(\.packet))
    }

    @Test func aScriptedUnplugClosesTheLineAndTheSensorComesBackOnANewOne() async throws {
        struct Seen: Sendable {
            var first: String?
            var hungUp = false
            var second: String?
            var info: DeviceInfo?
        }
        let seen = try await onItsOwnThread { () throws -> Seen in
            // The emulator lingers until stopped: however slow the test thread is, the replugged line is
            // still there when the test opens it.
            let emulator = SensorEmulator(
                sensors: [
                    EmulatedSensor(
                        name: "ankle", deviceInfo: testDeviceInfo, source: PacketList(testBatches(6000)), unplugged: [0.1..<0.2])
                ],
                settings: .init(lingerSeconds: .infinity)
            ) { _ throws(DeviceError) in try PseudoTerminal() }
            let harness = Harness()
            harness.start(emulator)
            defer {
                emulator.stop()
                harness.waitForEnd()
            }
            var seen = Seen()
            guard let first = harness.path("ankle") else { return seen }
            seen.first = first
            let port = try SerialPort(path: first)
            // The session clock (and so the scripted unplug) starts with this command.
            var commander = CommandWriter()
            try commander.send([.startStreaming], to: port)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !seen.hungUp, Self.waitReadable(port) {
                if case .hangUp = try port.read(into: &buffer) { seen.hungUp = true }
            }
            // The emulator's second line for the sensor (waited for by its event, not by its path changing).
            seen.second = harness.path("ankle", line: 1)
            seen.info = seen.second.flatMap { probeDeviceInfo(path: $0, timeout: 5) }
            return seen
        }
        #expect(seen.first != nil)
        #expect(seen.hungUp)
        #expect(seen.second != nil && seen.second != seen.first)
        #expect(seen.info == testDeviceInfo)
    }
}

/// Runs blocking test code (semaphore waits, `poll(2)`, joins) on a thread of its own and awaits its
/// result: it never holds one of the Swift concurrency pool's threads (two on two cores), which the
/// suites running beside it need for their servers and tasks. Expectations stay in the test.
func onItsOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let thread = Mutex<OSThread?>(nil)
    let result = try await withCheckedThrowingContinuation { (done: CheckedContinuation<T, any Error>) in
        let t = OSThread(name: "test-blocking") {
            do { done.resume(returning: try body()) } catch { done.resume(throwing: error) }
        }
        thread.withLock { $0 = t }
    }
    thread.withLock { $0 }?.join()
    return result
}

/// The device info of the sensor on `path`, asked as `lumbar devices` asks: the device session in
/// probe mode through its driver (open, ask, ask again at half the timeout, close); nil without an answer.
func probeDeviceInfo(path: String, timeout: Double) -> DeviceInfo? {
    let configuration = DeviceSessionConfiguration(
        purpose: .probe, devices: [path], timing: .probe(timeout: Int64(timeout * 1e9)))
    guard let driver = try? DeviceSessionDriver(configuration, settings: .default) else { return nil }
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
        try await onItsOwnThread { harness.waitForEnd() }
    }
}
