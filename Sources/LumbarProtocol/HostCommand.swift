/// A host → device command (packet 0x10). The device answers each with an `Acknowledgement`
/// carrying the same `token`.
public struct HostCommand: Sendable, Hashable {
    /// Chosen by the host (e.g. incrementing) to match the acknowledgement to the command.
    public var token: UInt16
    /// What to do.
    public var action: Action

    public init(token: UInt16, action: Action) {
        self.token = token
        self.action = action
    }

    /// The commands of this protocol version, with their opcodes (PROTOCOL.md, "Command").
    public enum Action: Sendable, Hashable {
        /// 0x01: start sending sample batches.
        case startStreaming
        /// 0x02: stop sending sample batches.
        case stopStreaming
        /// 0x03: send a `DeviceInfo` now (after the acknowledgement).
        case requestDeviceInfo
        /// 0x04: send a `DeviceStatus` now (after the acknowledgement).
        case requestStatus
        /// 0x05: set the output data rate, millihertz; the device picks the nearest rate it supports.
        case setSampleRate(millihertz: UInt32)
        /// 0x06: set the accelerometer full scale, ±g; the device picks the nearest range it supports.
        case setAccelerometerRange(g: UInt16)
        /// 0x07: set the gyroscope full scale, ±deg/s; the device picks the nearest range it supports.
        case setGyroscopeRange(degreesPerSecond: UInt16)
        /// 0x08: blink the LED (or buzz) so a person can tell which sensor this is, milliseconds.
        case identify(milliseconds: UInt16)
        /// An opcode this version does not know (a device answers it with `.unsupported`).
        case unknown(opcode: UInt8)

        /// The opcode byte on the wire.
        public var opcode: UInt8 {
            switch self {
            case .startStreaming: 0x01
            case .stopStreaming: 0x02
            case .requestDeviceInfo: 0x03
            case .requestStatus: 0x04
            case .setSampleRate: 0x05
            case .setAccelerometerRange: 0x06
            case .setGyroscopeRange: 0x07
            case .identify: 0x08
            case .unknown(let opcode): opcode
            }
        }
    }
}

/// The device's answer to one `HostCommand` (packet 0x11).
///
/// A command that changes the configuration is followed by a fresh `DeviceInfo` with the values
/// actually applied.
public struct Acknowledgement: Sendable, Hashable {
    /// The token of the command being answered.
    public var token: UInt16
    /// The opcode of the command being answered (echoed even when the device does not know it).
    public var opcode: UInt8
    /// The outcome.
    public var result: Result

    public init(token: UInt16, opcode: UInt8, result: Result) {
        self.token = token
        self.opcode = opcode
        self.result = result
    }

    /// The outcome of a command (one byte on the wire).
    public enum Result: Sendable, Hashable {
        /// 0: done.
        case ok
        /// 1: the device does not implement this opcode.
        case unsupported
        /// 2: an argument is out of range or the payload is too short.
        case invalidArgument
        /// 3: the device cannot do it now (e.g. a range change while streaming); retry later.
        case busy
        /// 4: the device tried and failed (e.g. the IMU did not answer).
        case failed
        /// A result code this version does not know.
        case other(UInt8)

        /// The result byte on the wire.
        public var code: UInt8 {
            switch self {
            case .ok: 0
            case .unsupported: 1
            case .invalidArgument: 2
            case .busy: 3
            case .failed: 4
            case .other(let code): code
            }
        }

        /// The result for a wire byte.
        public init(code: UInt8) {
            switch code {
            case 0: self = .ok
            case 1: self = .unsupported
            case 2: self = .invalidArgument
            case 3: self = .busy
            case 4: self = .failed
            default: self = .other(code)
            }
        }
    }
}
