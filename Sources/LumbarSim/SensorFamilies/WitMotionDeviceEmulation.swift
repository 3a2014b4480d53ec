import LumbarCore
import LumbarProtocol

/// The register side of an emulated WitMotion, written from WitMotion's "WIT standard communication
/// protocol": five-byte commands `FF AA reg valueL valueH` from the host; writes take effect only within
/// 10 s of the unlock command (a write of 0xB588 to KEY 0x69), the save command keeps them, a read
/// (`FF AA 27 reg 00`) is answered with a `55 5F` packet of the four registers from `reg` on. No write is
/// echoed. RRATE sets the output rate (a cycle every k source samples, k = source rate / rate, at least 1:
/// the emulator cannot send faster than the simulated sensor samples), ACCRANGE and GYRORANGE the scales
/// the words are quantised with.
///
/// With a `uart` it is a device behind a UART at a line speed (`WitMotionBaud`): it sends no more than
/// the speed carries (10 bits a byte; a cycle that does not fit is skipped, as the WT901 manual says the
/// module "automatically reduce[s] the frequency"), a BAUD write moves it to the new speed (at once, or
/// only after a power cycle), and when the host's line speed (`hostSpeed`) differs from its own, neither
/// side understands the other: what it sends arrives as garbage, what the host sends is not understood.
/// Without one (the default) it talks at whatever speed the host set, as unthrottled as the simulated
/// sensor samples.
public struct WitMotionDeviceEmulation: Sendable {
    /// The emulated UART.
    public struct UART: Sendable, Hashable {
        /// When a written BAUD takes effect.
        public enum Applies: String, Sendable, Hashable {
            /// At the write (WitMotion's SDK reopens its port right after it).
            case atOnce = "at-once"
            /// Only after a power cycle (kept by a save): the device goes on at its speed meanwhile.
            case afterPowerCycle = "power-cycle"
        }

        /// The speed the device talks at, bit/s.
        public var bitsPerSecond: Int
        public var applies: Applies
        /// Bytes the line could have carried and did not yet (at most two cycles' worth: a FIFO).
        var credit = 0.0
        var creditAt: Double?

        public init(bitsPerSecond: Int = WitMotionBaud.factory, applies: Applies = .atOnce) {
            self.bitsPerSecond = bitsPerSecond
            self.applies = applies
        }
    }

    /// The UART the device talks through (nil: none emulated).
    public var uart: UART?
    /// The line speed the host set, bit/s, as its owner last read it (a pseudo-terminal's); nil: unknown
    /// (a socket QEMU turns into a USB-UART bridge), taken to match.
    public private(set) var hostSpeed: Int?
    /// When the host's speed was last seen to be the device's (session time, s): bytes read now may have
    /// been written before the host changed its speed (it writes a command, then follows it at once).
    private var hostAtDeviceSpeedAt: Double?
    /// How long after that the host's bytes are still taken as sent at the device's speed, s.
    public static let speedChangeAllowance = 2.0
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

    /// The host's line speed at session time `t` (s), read by the line's owner before bytes are read or
    /// written.
    public mutating func hostLineSpeed(_ bitsPerSecond: Int?, at t: Double) {
        hostSpeed = bitsPerSecond
        if let uart, bitsPerSecond == uart.bitsPerSecond { hostAtDeviceSpeedAt = t }
    }

    /// Whether the host's bytes read at `t` are understood: no UART emulated, the host's speed unknown, or
    /// it is (or was within `speedChangeAllowance`) the device's.
    private func hears(at t: Double) -> Bool {
        guard let uart, let hostSpeed else { return true }
        return hostSpeed == uart.bitsPerSecond || hostAtDeviceSpeedAt.map { t - $0 <= Self.speedChangeAllowance } ?? false
    }

    /// Whether what the device sends reaches the host as sent.
    private var isHeard: Bool {
        guard let uart, let hostSpeed else { return true }
        return hostSpeed == uart.bitsPerSecond
    }

    /// A byte sent at one speed as a receiver at another makes of it: never 0x55, so never a packet.
    public static func garbled(_ byte: UInt8) -> UInt8 {
        let mangled = (byte &* 0x3B) ^ 0xC3
        return mangled == 0x55 ? 0xFF : mangled
    }

    /// Appends `bytes` as the host receives them.
    private func send(_ bytes: [UInt8], into output: inout [UInt8]) {
        if isHeard { output += bytes } else { output += bytes.map(Self.garbled) }
    }

    /// Handles bytes from the host at session time `t` (s), appending the answers (read packets).
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, at t: Double, into output: inout [UInt8]) {
        for byte in bytes {
            guard hears(at: t) else {
                command.removeAll(keepingCapacity: true)
                continue
            }
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
                send(
                    WitMotionCommand.readAnswerPacket(
                        (registers[start] ?? 0, registers[start &+ 1] ?? 0, registers[start &+ 2] ?? 0, registers[start &+ 3] ?? 0)),
                    into: &output)
            } else if register == WitMotionCommand.Register.key.rawValue, value == 0xB588 {
                unlockedUntil = t + 10
            } else if let until = unlockedUntil, t <= until {
                if register == WitMotionCommand.Register.save.rawValue {
                    if value == 0 { saved = registers }
                } else {
                    registers[register] = value
                    if register == WitMotionCommand.Register.outputRate.rawValue { rateWritten = true; phase = 0 }
                    if register == WitMotionCommand.Register.baud.rawValue, uart?.applies == .atOnce,
                        let speed = WitMotionBaud.bitsPerSecond(code: value)
                    {
                        uart?.bitsPerSecond = speed
                    }
                }
            }
        }
    }

    /// One source sample at device time `t` (s): appends its output cycle when the output rate says one
    /// is due and the UART has room for it.
    public mutating func cycle(_ sample: ImuSample, at t: Double, into output: inout [UInt8]) {
        var every = 1
        if rateWritten, let rate = WitMotionCommand.outputRate(code: registers[0x03] ?? 0), rate > 0 {
            every = max(1, Int((sourceRate / rate).rounded()))
        }
        defer { phase = (phase + 1) % every }
        guard phase == 0 else { return }
        let bytes = WitMotionEmulation.cycle(sample, ranges: ranges)
        if var uart {
            // The line carries bitsPerSecond / 10 bytes a second; a FIFO of two cycles.
            let perSecond = Double(uart.bitsPerSecond) / 10
            uart.credit = min(2 * Double(bytes.count), uart.credit + max(0, t - (uart.creditAt ?? t)) * perSecond)
            if uart.creditAt == nil { uart.credit = Double(bytes.count) }
            uart.creditAt = t
            let fits = uart.credit >= Double(bytes.count)
            if fits { uart.credit -= Double(bytes.count) }
            self.uart = uart
            guard fits else { return }
        }
        send(bytes, into: &output)
    }
}
