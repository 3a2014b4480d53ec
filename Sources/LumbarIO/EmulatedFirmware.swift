import LumbarProtocol

/// The command handling of an emulated sensor's firmware: bytes from the host in, frames to send back
/// out. No I/O and no clock: `SensorEmulator` moves the bytes and decides when.
public struct EmulatedFirmware: Sendable {
    /// The device info it reports.
    public let deviceInfo: DeviceInfo
    /// How it behaves.
    public let behaviour: EmulatedSensor.Behaviour
    /// True between `startStreaming` and `stopStreaming` (always true for a mute device).
    public private(set) var isStreaming: Bool
    /// The commands received so far, in order.
    public private(set) var commandsReceived = 0
    private var decoder = FrameDecoder()
    private var encoder = FrameEncoder()

    public init(deviceInfo: DeviceInfo, behaviour: EmulatedSensor.Behaviour) {
        self.deviceInfo = deviceInfo
        self.behaviour = behaviour
        isStreaming = behaviour == .neverSendsDeviceInfo
    }

    /// What the device sends when a host connects (power-up, plug-in): its device info.
    public mutating func connected(into output: inout [UInt8]) {
        guard behaviour == .normal else { return }
        encoder.encode(.deviceInfo(deviceInfo), into: &output)
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
            switch command.action {
            case .startStreaming: isStreaming = true
            case .stopStreaming: isStreaming = false
            case .requestDeviceInfo: followUp = .deviceInfo(deviceInfo)
            case .requestStatus:
                followUp = .status(
                    DeviceStatus(
                        timestamp: deviceTicks, batteryMillivolts: 3900, batteryPercent: 80, isStreaming: isStreaming,
                        temperatureCentidegrees: 3150, samplesDropped: 0, errors: []))
            case .identify: break
            case .setSampleRate, .setAccelerometerRange, .setGyroscopeRange:
                // The simulated IMU runs at its scripted rate and ranges.
                result = isStreaming ? .busy : .unsupported
            case .unknown: result = .unsupported
            }
            encoder.encode(
                .acknowledgement(Acknowledgement(token: command.token, opcode: command.action.opcode, result: result)),
                into: &output)
            if let followUp { encoder.encode(followUp, into: &output) }
        }
        return commands
    }

    /// Appends `packet` if the firmware sends it now: batches only while streaming, device info only
    /// when the device is not mute; nothing at all from a babbling device.
    /// - Returns: true when it was appended.
    @discardableResult
    public mutating func send(_ packet: Packet, into output: inout [UInt8]) -> Bool {
        switch (behaviour, packet) {
        case (.babbling, _): return false
        case (.neverSendsDeviceInfo, .deviceInfo), (.neverSendsDeviceInfo, .acknowledgement): return false
        case (_, .sampleBatch) where !isStreaming: return false
        default:
            encoder.encode(packet, into: &output)
            return true
        }
    }
}
