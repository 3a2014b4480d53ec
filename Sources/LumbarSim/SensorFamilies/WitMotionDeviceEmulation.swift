import LumbarCore
import LumbarProtocol

/// The register side of an emulated WitMotion, written from WitMotion's "WIT standard communication
/// protocol": five-byte commands `FF AA reg valueL valueH` from the host; writes take effect only within
/// 10 s of the unlock command (a write of 0xB588 to KEY 0x69), the save command keeps them, a read
/// (`FF AA 27 reg 00`) is answered with a `55 5F` packet of the four registers from `reg` on. No write is
/// echoed. RRATE sets the output rate (a cycle every k source samples, k = source rate / rate, at least 1:
/// the emulator cannot send faster than the simulated sensor samples), ACCRANGE and GYRORANGE the scales
/// the words are quantised with.
public struct WitMotionDeviceEmulation: Sendable {
    /// Register values by address (RRATE, BAUD, GYRORANGE, ACCRANGE, …; absent: 0).
    public private(set) var registers: [UInt8: UInt16]
    /// The registers as last saved.
    public private(set) var saved: [UInt8: UInt16]
    /// The rate of the emulated sensor's samples, Hz.
    public let sourceRate: Double
    /// False for a model that does not answer the read command (no `55 5F` packets): its settings can
    /// only be told from what it sends.
    public var answersReads = true
    private var unlockedUntil: Double?
    private var command: [UInt8] = []
    private var rateWritten = false
    private var phase = 0

    /// - Parameter sourceRate: the simulated sensor's sample rate (RRATE starts at the documented rate nearest it).
    public init(sourceRate: Double) {
        self.sourceRate = sourceRate
        registers = [
            WitMotionCommand.Register.outputRate.rawValue: WitMotionCommand.outputRate(nearest: sourceRate).code,
            WitMotionCommand.Register.baud.rawValue: 0x02,  // 9600
            WitMotionCommand.Register.gyroscopeRange.rawValue: 3,  // ±2000 °/s
            WitMotionCommand.Register.accelerometerRange.rawValue: 3,  // ±16 g
        ]
        saved = registers
    }

    /// The scales in force.
    public var ranges: WitMotionEmulation.Ranges {
        let g = WitMotionCommand.accelerometerRanges.first { $0.code == registers[0x21] }?.g ?? 16
        let dps = WitMotionCommand.gyroscopeRanges.first { $0.code == registers[0x20] }?.degreesPerSecond ?? 2000
        return WitMotionEmulation.Ranges(accelerometer: Double(g), gyroscope: Double(dps))
    }

    /// Handles bytes from the host at session time `t` (s), appending the answers (read packets).
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, at t: Double, into output: inout [UInt8]) {
        for byte in bytes {
            command.append(byte)
            if command.count == 1, byte != 0xFF { command.removeAll(keepingCapacity: true) }
            if command.count == 2, byte != 0xAA { command.removeAll(keepingCapacity: true); if byte == 0xFF { command.append(byte) } }
            guard command.count == 5 else { continue }
            let register = command[2]
            let value = UInt16(command[3]) | UInt16(command[4]) << 8
            command.removeAll(keepingCapacity: true)
            if register == WitMotionCommand.Register.readAddress.rawValue {
                guard answersReads else { continue }
                let start = UInt8(truncatingIfNeeded: value)
                output += WitMotionCommand.readAnswerPacket(
                    (registers[start] ?? 0, registers[start &+ 1] ?? 0, registers[start &+ 2] ?? 0, registers[start &+ 3] ?? 0))
            } else if register == WitMotionCommand.Register.key.rawValue, value == 0xB588 {
                unlockedUntil = t + 10
            } else if let until = unlockedUntil, t <= until {
                if register == WitMotionCommand.Register.save.rawValue {
                    if value == 0 { saved = registers }
                } else {
                    registers[register] = value
                    if register == WitMotionCommand.Register.outputRate.rawValue { rateWritten = true; phase = 0 }
                }
            }
        }
    }

    /// One source sample: appends its output cycle when the output rate says one is due.
    public mutating func cycle(_ sample: ImuSample, into output: inout [UInt8]) {
        var every = 1
        if rateWritten, let rate = WitMotionCommand.outputRate(code: registers[0x03] ?? 0), rate > 0 {
            every = max(1, Int((sourceRate / rate).rounded()))
        }
        defer { phase = (phase + 1) % every }
        guard phase == 0 else { return }
        output += WitMotionEmulation.cycle(sample, ranges: ranges)
    }
}
