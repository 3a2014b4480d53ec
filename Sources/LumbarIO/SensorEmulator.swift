#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore
import LumbarProtocol

/// Runs emulated sensors in real time: each on its own line (a pseudo-terminal, or a socket QEMU turns
/// into a USB device), sending its packets when they are due, answering the host's commands, closing
/// and reopening the line for scripted unplugs, and misbehaving on request.
///
/// ```swift
/// let emulator = SensorEmulator(sensors: sensors, settings: .init()) { sensor in try PseudoTerminal() }
/// emulator.run { event in if case .lineOpened(let name, let path) = event { print(name, path) } }
/// ```
/// The session clock starts when the first host command `startStreaming` arrives (or at once with
/// `waitForHost == false`), so a host that opens the lines late still gets the whole session.
public final class SensorEmulator: Sendable {
    /// | name | unit | default | meaning |
    /// |---|---|---|---|
    /// | `waitForHost` | — | true | the session clock starts at the first `startStreaming` |
    /// | `startsAtFirstHostByte` | — | false | with `waitForHost`: it starts at the first byte the host writes to any line instead (sensors of other families, which are sent no start command) |
    /// | `lingerSeconds` | s | 1 | lines stay open this long after the last packet |
    /// | `seed` | — | 1 | garbage and babble bytes |
    public struct Settings: Sendable {
        public var waitForHost: Bool
        /// The host's first byte on any line starts the session clock (`waitForHost` only): a host told
        /// apart a sensor of another family by what it sends and writes to a port it does not know yet
        /// (the handshake, the ping) as soon as it opens it, so a host that starts late (a loaded machine)
        /// still gets the whole session.
        public var startsAtFirstHostByte: Bool
        public var lingerSeconds: Double
        public var seed: UInt64

        public init(waitForHost: Bool = true, startsAtFirstHostByte: Bool = false, lingerSeconds: Double = 1, seed: UInt64 = 1) {
            self.waitForHost = waitForHost
            self.startsAtFirstHostByte = startsAtFirstHostByte
            self.lingerSeconds = lingerSeconds
            self.seed = seed
        }
    }

    /// What happened, reported on the emulator's thread.
    public enum Event: Sendable {
        /// A sensor's line is open at `path` (at start and after each replug).
        case lineOpened(sensor: String, path: String)
        /// Every sensor's first line is open.
        case ready
        /// A sensor's line closed (scripted unplug).
        case lineClosed(sensor: String)
        /// A sensor's MCU restarted behind its open line (scripted `restarts`).
        case restarted(sensor: String)
        /// The host sent a command.
        case command(sensor: String, HostCommand)
        /// The session clock started (first `startStreaming`).
        case sessionStarted(hostTime: Double)
        /// A sample batch went out: sensor index, the batch, the host clock right after the write.
        case batchWritten(sensorIndex: Int, SampleBatch, hostTime: Double)
        /// A line could not be opened again; the sensor stays unplugged.
        case failed(sensor: String, DeviceError)
    }

    private let sensorsTemplate: [EmulatedSensor]
    private let settings: Settings
    private let makeLine: @Sendable (EmulatedSensor) throws(DeviceError) -> any SensorLine
    private let running = RunFlag()

    /// - Parameter makeLine: opens a new line for a sensor (at start and at each replug).
    public init(
        sensors: [EmulatedSensor], settings: Settings = .init(),
        makeLine: @escaping @Sendable (EmulatedSensor) throws(DeviceError) -> any SensorLine
    ) {
        sensorsTemplate = sensors
        self.settings = settings
        self.makeLine = makeLine
    }

    /// Asks `run` to return soon (from another thread or a signal handler task).
    public func stop() { _ = running.clear() }

    /// One sensor's state while running.
    private struct Running {
        var sensor: EmulatedSensor
        var firmware: EmulatedFirmware
        var line: (any SensorLine)?
        var next: TimedPacket?
        var framesSinceGarbage = 0
        var babbleDue = 0.0
        /// Restarts already done (`sensor.restarts` is in time order).
        var restartsDone = 0
        /// Answers of another family's device to the host's commands not written yet (the line was full):
        /// a device queues its answers, unlike samples, which a full line loses.
        var answers: [UInt8] = []
    }

    /// Runs until every source is exhausted (plus the linger time) or `stop()`; closes every line.
    ///
    /// - Throws: `DeviceError` when a line cannot be opened at start.
    public func run(onEvent: @Sendable (Event) -> Void = { _ in }) throws(DeviceError) {
        var random = SplitMix64(seed: settings.seed)
        var sensors: [Running] = []
        for var sensor in sensorsTemplate {
            let first = sensor.source.next()
            sensors.append(
                Running(
                    sensor: sensor, firmware: EmulatedFirmware(deviceInfo: sensor.deviceInfo, behaviour: sensor.behaviour),
                    line: nil, next: first))
        }
        defer { for sensor in sensors { sensor.line?.close() } }
        for index in sensors.indices {
            let line = try makeLine(sensors[index].sensor)
            sensors[index].line = line
            onEvent(.lineOpened(sensor: sensors[index].sensor.name, path: line.devicePath))
            var hello: [UInt8] = []
            connected(&sensors[index], into: &hello)
            write(hello, to: line)
        }
        onEvent(.ready)
        var sessionStart: Double? = settings.waitForHost ? nil : HostClock.now()
        if let sessionStart { onEvent(.sessionStarted(hostTime: sessionStart)) }
        var output: [UInt8] = []
        output.reserveCapacity(WireFormat.maximumEncodedFrameLength * 4)
        var input = [UInt8](repeating: 0, count: 1024)
        var exhaustedAt: Double?
        var pollSet: [pollfd] = []

        while running.isSet {
            if sensors.allSatisfy({ $0.line == nil && $0.sensor.unplugged.contains { $0.upperBound == .infinity } }) { break }
            let now = HostClock.now()
            let sessionTime = sessionStart.map { now - $0 }
            if let t = sessionTime {
                for index in sensors.indices {
                    step(&sensors[index], index: index, at: t, random: &random, output: &output, onEvent: onEvent)
                }
                if exhaustedAt == nil, sensors.allSatisfy({ $0.next == nil }) { exhaustedAt = t }
                if let end = exhaustedAt, t >= end + settings.lingerSeconds { break }
            }
            // Sleep until the next packet is due or a command arrives, at most 20 ms.
            var wait = 0.02
            if let t = sessionTime {
                for sensor in sensors { if let due = sensor.next?.time { wait = min(wait, max(0, due - t)) } }
            }
            pollSet.removeAll(keepingCapacity: true)
            for sensor in sensors {
                pollSet.append(pollfd(fd: sensor.line?.lineDescriptor ?? -1, events: Int16(POLLIN), revents: 0))
            }
            _ = pollSet.withUnsafeMutableBufferPointer { system_poll($0.baseAddress!, $0.count, Int32((wait * 1000).rounded(.up))) }
            for index in sensors.indices where pollSet[index].revents != 0 {
                guard let line = sensors[index].line else { continue }
                let outcome = input.withUnsafeMutableBytes { line.readAvailable(into: $0) }
                if outcome == .hangUp || pollSet[index].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 && outcome != .wouldBlock {
                    // The host end went away for good (QEMU closed the socket): this sensor is done.
                    line.close()
                    sensors[index].line = nil
                    sensors[index].sensor.unplugged = [0..<Double.infinity]
                    sensors[index].next = nil
                    onEvent(.lineClosed(sensor: sensors[index].sensor.name))
                    continue
                }
                guard case .bytes(let count) = outcome else { continue }
                if sessionStart == nil, settings.startsAtFirstHostByte {
                    let start = HostClock.now()
                    sessionStart = start
                    onEvent(.sessionStarted(hostTime: start))
                }
                output.removeAll(keepingCapacity: true)
                if sensors[index].sensor.format != nil {
                    // Another family: its own command protocol answers (or ignores) what the host wrote.
                    let info = sensors[index].sensor.deviceInfo
                    let t = sessionStart.map { HostClock.now() - $0 } ?? 0
                    sensors[index].sensor.format?.hostLineSpeed(line.hostLineSpeed, at: t)
                    input.withUnsafeBytes {
                        sensors[index].sensor.format?.receive(UnsafeRawBufferPointer(rebasing: $0[..<count]), info: info, at: t, into: &output)
                    }
                    sensors[index].answers += output
                    flushAnswers(&sensors[index])
                    continue
                }
                let ticks = deviceTicks(at: sessionStart.map { HostClock.now() - $0 } ?? 0, info: sensors[index].sensor.deviceInfo)
                let commands = input.withUnsafeBytes {
                    sensors[index].firmware.receive(UnsafeRawBufferPointer(rebasing: $0[..<count]), deviceTicks: ticks, into: &output)
                }
                write(output, to: line)
                for command in commands {
                    onEvent(.command(sensor: sensors[index].sensor.name, command))
                    if command.action == .startStreaming, sessionStart == nil, sensors[index].sensor.behaviour == .normal {
                        let start = HostClock.now()
                        sessionStart = start
                        onEvent(.sessionStarted(hostTime: start))
                    }
                }
            }
        }
    }

    /// Another family's messages as a device sends them, whole (the LF-framed x-IMU3 messages would
    /// otherwise run into the next one): while earlier bytes still wait for room these are lost, as in a
    /// full device FIFO; what does not fit of them waits, to be written before anything else.
    private func writeWhole(_ bytes: [UInt8], _ state: inout Running) {
        guard state.answers.isEmpty, let line = state.line, !bytes.isEmpty else { return }
        let written = bytes.withUnsafeBytes { line.writeAvailable($0) }
        if written < bytes.count { state.answers = Array(bytes[written...]) }
    }

    /// Writes what fits of a sensor's queued answers.
    private func flushAnswers(_ state: inout Running) {
        guard !state.answers.isEmpty, let line = state.line else { return }
        let written = state.answers.withUnsafeBytes { line.writeAvailable($0) }
        state.answers.removeFirst(min(written, state.answers.count))
    }

    /// Sends what is due for one sensor at session time `t`, handling unplug and replug.
    private func step(
        _ state: inout Running, index: Int, at t: Double, random: inout SplitMix64, output: inout [UInt8],
        onEvent: (Event) -> Void
    ) {
        flushAnswers(&state)
        let unplugged = state.sensor.unplugged.contains { $0.contains(t) }
        if unplugged, let line = state.line {
            line.close()
            state.line = nil
            state.answers = []
            onEvent(.lineClosed(sensor: state.sensor.name))
        } else if !unplugged, state.line == nil {
            do {
                let line = try makeLine(state.sensor)
                state.line = line
                onEvent(.lineOpened(sensor: state.sensor.name, path: line.devicePath))
                output.removeAll(keepingCapacity: true)
                connected(&state, into: &output)
                write(output, to: line)
            } catch {
                onEvent(.failed(sensor: state.sensor.name, error))
                state.sensor.unplugged = []
                state.line = nil
            }
        }
        if state.sensor.format == nil, state.restartsDone < state.sensor.restarts.count, state.sensor.restarts[state.restartsDone] <= t {
            state.restartsDone += 1
            output.removeAll(keepingCapacity: true)
            state.firmware.restart(into: &output)
            if let line = state.line { write(output, to: line) }
            onEvent(.restarted(sensor: state.sensor.name))
        }
        if state.sensor.behaviour == .babbling, let line = state.line {
            // About 10 kB/s of random bytes, 100 bytes every 10 ms.
            while state.babbleDue <= t {
                state.babbleDue += 0.01
                output.removeAll(keepingCapacity: true)
                for _ in 0..<100 { output.append(UInt8(truncatingIfNeeded: random.next())) }
                write(output, to: line)
            }
        }
        while let due = state.next, due.time <= t {
            state.next = state.sensor.source.next()
            guard let line = state.line else { continue }  // unplugged: the packet is lost
            output.removeAll(keepingCapacity: true)
            if state.sensor.format != nil {
                guard case .sampleBatch(let batch) = due.packet else { continue }
                state.sensor.format?.hostLineSpeed(line.hostLineSpeed, at: t)
                state.sensor.format?.render(batch, info: state.sensor.deviceInfo, at: t, into: &output)
            } else {
                guard state.firmware.send(due.packet, into: &output) else { continue }
            }
            if let every = state.sensor.garbageEveryFrames {
                state.framesSinceGarbage += 1
                if state.framesSinceGarbage >= every {
                    state.framesSinceGarbage = 0
                    let count = 1 + Int(random.next() % 40)
                    for _ in 0..<count { output.append(UInt8(truncatingIfNeeded: random.next() | 1)) }
                }
            }
            if state.sensor.format != nil {
                writeWhole(output, &state)
            } else {
                write(output, to: line)
            }
            if case .sampleBatch(let batch) = due.packet {
                onEvent(.batchWritten(sensorIndex: index, batch, hostTime: HostClock.now()))
            }
        }
    }

    /// What a sensor sends as its line opens: Lumbar firmware its device info, another family its greeting.
    private func connected(_ state: inout Running, into output: inout [UInt8]) {
        if let format = state.sensor.format {
            output += format.greeting()
        } else {
            state.firmware.connected(into: &output)
        }
    }

    /// Writes what fits; the rest is lost, as on a device whose host stopped reading.
    private func write(_ bytes: [UInt8], to line: any SensorLine) {
        guard !bytes.isEmpty else { return }
        _ = bytes.withUnsafeBytes { line.writeAvailable($0) }
    }

    /// The device clock at session time `t`, ticks (nominal, without drift: for status packets only).
    private func deviceTicks(at t: Double, info: DeviceInfo) -> UInt64 {
        UInt64(max(0, t) * Double(info.tickFrequency))
    }
}

