import LumbarProtocol

/// The command handling of an emulated sensor's firmware: bytes from the host in, frames to send back
/// out. No I/O and no clock: `SensorEmulator` moves the bytes and decides when.
///
/// It obeys the configuration commands while not streaming (PROTOCOL.md 5.4; `busy` while streaming):
/// set sample rate picks the nearest of the native rate divided by 1, 2, 4 or 8 (the emulator then keeps
/// every k-th sample, with its own sample count as sequence); set accelerometer range picks the nearest of
/// ±2/4/8/16 g, set gyroscope range the nearest of ±125/250/500/1000/2000 deg/s, the larger one on a tie
/// (counts are rescaled from the native scale and clip at full scale, with the batch's saturation flag).
/// Each answers `ok` and a fresh device info with what is in force, changed or not. Its IMU model is
/// ideal: its datasheet sensitivity is the full scale / 32768.
///
/// The rest of PROTOCOL.md's device rules, as the reference for firmware authors: a command that repeats
/// the token and opcode of the one before is acknowledged again (requests answered again) but not acted on twice
/// (5.5); the sequence does not advance while streaming is stopped, so a stop and start shows no gap
/// (3.2); a heartbeat's streaming bit says whether it streams now (5.3); nothing of a batch follows the
/// acknowledgement of a stop (5.4).
public struct EmulatedFirmware: Sendable {
    /// The device info it reports (with the configuration in force).
    public private(set) var deviceInfo: DeviceInfo
    /// The device info of the emulated IMU as scripted: the native rate and scales of the source's batches.
    public let nativeDeviceInfo: DeviceInfo
    /// Output data rate divisor in force: every `rateDivisor`-th native sample is sent.
    public private(set) var rateDivisor = 1
    private var decimationPhase = 0
    private var decimatedSequence: UInt32 = 0
    /// How it behaves.
    public let behaviour: EmulatedSensor.Behaviour
    /// True between `startStreaming` and `stopStreaming` (always true for a mute device).
    public private(set) var isStreaming: Bool
    /// The commands received so far, in order.
    public private(set) var commandsReceived = 0
    /// The last command acted on, and what it was answered: a repeat of its token is answered the same.
    private var lastCommand: (token: UInt16, opcode: UInt8, result: Acknowledgement.Result)?
    /// Samples the source produced while streaming was stopped: not sent and not counted in the sequence.
    private var samplesWhileStopped: UInt32 = 0
    private var decoder = FrameDecoder()
    private var encoder = FrameEncoder()

    /// Accelerometer full scales it supports, ± g.
    public static let accelerometerRanges: [UInt16] = [2, 4, 8, 16]
    /// Gyroscope full scales it supports, ± deg/s.
    public static let gyroscopeRanges: [UInt16] = [125, 250, 500, 1000, 2000]
    /// Divisors of the native output data rate it supports.
    public static let rateDivisors = [1, 2, 4, 8]

    public init(deviceInfo: DeviceInfo, behaviour: EmulatedSensor.Behaviour) {
        self.deviceInfo = deviceInfo
        nativeDeviceInfo = deviceInfo
        self.behaviour = behaviour
        isStreaming = behaviour == .neverSendsDeviceInfo
    }

    /// What the device sends when a host connects (power-up, plug-in): its device info.
    public mutating func connected(into output: inout [UInt8]) {
        guard behaviour == .normal else { return }
        encoder.encode(.deviceInfo(deviceInfo), into: &output)
    }

    /// The MCU restarts while the USB link stays up (a USB-UART bridge keeps the port open): the
    /// configuration goes back to the native one, streaming stops, the decoder loses any partial
    /// command, and the device says hello again (its device info, as at power-up). Heartbeats go on
    /// (`send(.status)`) and say it is not streaming until the host starts it again.
    public mutating func restart(into output: inout [UInt8]) {
        guard behaviour == .normal else { return }
        deviceInfo = nativeDeviceInfo
        rateDivisor = 1
        decimationPhase = 0
        decimatedSequence = 0
        isStreaming = false
        decoder = FrameDecoder()
        lastCommand = nil
        connected(into: &output)
    }

    /// Handles bytes from the host and appends the answers (acknowledgements, device info, status).
    ///
    /// - Parameter deviceTicks: the device clock now, for status packets.
    /// - Returns: the commands found, in order.
    @discardableResult
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, deviceTicks: UInt64, into output: inout [UInt8]) -> [HostCommand] {
        var commands: [HostCommand] = []
        decoder.decode(bytes) { decoded in
            if case .packet(.command(let command)) = decoded { commands.append(command) }
        }
        guard behaviour == .normal else { return commands }
        for command in commands {
            commandsReceived += 1
            var result = Acknowledgement.Result.ok
            var followUp: Packet?
            let repeated = lastCommand.map { $0.token == command.token && $0.opcode == command.action.opcode } ?? false
            switch command.action {
            case _ where repeated:
                // The host resent a command whose acknowledgement it missed: the same answer, not done twice.
                result = lastCommand?.result ?? .ok
                if command.action == .requestDeviceInfo { followUp = .deviceInfo(deviceInfo) }
                if command.action == .requestStatus { followUp = .status(status(at: deviceTicks)) }
            case .startStreaming: isStreaming = true
            case .stopStreaming: isStreaming = false
            case .requestDeviceInfo: followUp = .deviceInfo(deviceInfo)
            case .requestStatus: followUp = .status(status(at: deviceTicks))
            case .identify: break
            case .setSampleRate, .setAccelerometerRange, .setGyroscopeRange:
                if isStreaming {
                    result = .busy
                } else {
                    configure(command.action)
                    followUp = .deviceInfo(deviceInfo)
                }
            case .unknown: result = .unsupported
            }
            lastCommand = (command.token, command.action.opcode, result)
            encoder.encode(
                .acknowledgement(Acknowledgement(token: command.token, opcode: command.action.opcode, result: result)),
                into: &output)
            if let followUp { encoder.encode(followUp, into: &output) }
        }
        return commands
    }

    /// The answer to a status request.
    private func status(at deviceTicks: UInt64) -> DeviceStatus {
        DeviceStatus(
            timestamp: deviceTicks, batteryMillivolts: 3900, batteryPercent: 80, isStreaming: isStreaming,
            temperatureCentidegrees: 3150, samplesDropped: 0, errors: [])
    }

    /// Appends `packet` if the firmware sends it now: batches only while streaming (at the configured
    /// rate and ranges), device info only when the device is not mute; nothing at all from a babbling device.
    /// - Returns: true when it was appended.
    @discardableResult
    public mutating func send(_ packet: Packet, into output: inout [UInt8]) -> Bool {
        switch (behaviour, packet) {
        case (.babbling, _): return false
        case (.neverSendsDeviceInfo, .deviceInfo), (.neverSendsDeviceInfo, .acknowledgement): return false
        case (_, .sampleBatch(let batch)) where !isStreaming:
            samplesWhileStopped &+= UInt32(truncatingIfNeeded: batch.samples.count)
            return false
        case (_, .sampleBatch(let batch)) where deviceInfo != nativeDeviceInfo:
            guard let configured = configured(batch) else { return false }
            encoder.encode(.sampleBatch(configured), into: &output)
            return true
        case (_, .sampleBatch(var batch)) where samplesWhileStopped != 0:
            batch.sequence &-= samplesWhileStopped
            encoder.encode(.sampleBatch(batch), into: &output)
            return true
        case (_, .deviceInfo):
            encoder.encode(.deviceInfo(deviceInfo), into: &output)
            return true
        case (_, .status(var status)):
            // The heartbeat says what this firmware does, whatever the script assumed.
            status.isStreaming = isStreaming
            encoder.encode(.status(status), into: &output)
            return true
        default:
            encoder.encode(packet, into: &output)
            return true
        }
    }

    /// Applies a configuration command: the nearest supported value.
    private mutating func configure(_ action: HostCommand.Action) {
        switch action {
        case .setSampleRate(let millihertz):
            let native = Double(nativeDeviceInfo.sampleRateMillihertz)
            rateDivisor = Self.rateDivisors.min { abs(native / Double($0) - Double(millihertz)) < abs(native / Double($1) - Double(millihertz)) } ?? 1
            deviceInfo.sampleRateMillihertz = nativeDeviceInfo.sampleRateMillihertz / UInt32(rateDivisor)
            decimationPhase = 0
        case .setAccelerometerRange(let g):
            let range = Self.nearest(g, in: Self.accelerometerRanges)
            deviceInfo.accelerometerFullScale = range
            deviceInfo.accelerometerSensitivity = Float(range) / 32768
        case .setGyroscopeRange(let dps):
            let range = Self.nearest(dps, in: Self.gyroscopeRanges)
            deviceInfo.gyroscopeFullScale = range
            deviceInfo.gyroscopeSensitivity = Float(range) / 32768
        default:
            break
        }
    }

    private static func nearest(_ value: UInt16, in supported: [UInt16]) -> UInt16 {
        supported.min {
            let a = abs(Int($0) - Int(value)), b = abs(Int($1) - Int(value))
            return a < b || (a == b && $0 > $1)
        } ?? value
    }

    /// A native batch at the configured rate and ranges; nil when decimation kept none of its samples.
    private mutating func configured(_ batch: SampleBatch) -> SampleBatch? {
        let accelGain = nativeDeviceInfo.accelerometerSensitivity / deviceInfo.accelerometerSensitivity
        let gyroGain = nativeDeviceInfo.gyroscopeSensitivity / deviceInfo.gyroscopeSensitivity
        var flags: SampleBatch.Flags = []
        var samples: [RawImuSample] = []
        var first: Int?
        for (i, sample) in batch.samples.enumerated() {
            defer { decimationPhase = (decimationPhase + 1) % rateDivisor }
            guard decimationPhase == 0 else { continue }
            first = first ?? i
            func rescale(_ v: RawVector3, _ gain: Float, _ flag: SampleBatch.Flags) -> RawVector3 {
                func one(_ c: Int16) -> Int16 {
                    let scaled = (Float(c) * gain).rounded()
                    if scaled >= 32767 || scaled <= -32768 { flags.insert(flag) }
                    return Int16(max(-32768, min(32767, scaled)))
                }
                return RawVector3(one(v.x), one(v.y), one(v.z))
            }
            samples.append(RawImuSample(
                accelerometer: rescale(sample.accelerometer, accelGain, .accelerometerSaturated),
                gyroscope: rescale(sample.gyroscope, gyroGain, .gyroscopeSaturated)))
        }
        guard let first else { return nil }
        var out = SampleBatch(
            sequence: rateDivisor == 1 ? batch.sequence : decimatedSequence, timestamp: batch.ticks(ofSampleAt: first),
            samplePeriod: batch.samplePeriod * UInt32(rateDivisor), flags: batch.flags.union(flags), samples: samples)
        if rateDivisor > 1 { decimatedSequence &+= UInt32(samples.count) } else { out.sequence = batch.sequence &- samplesWhileStopped }
        return out
    }
}
