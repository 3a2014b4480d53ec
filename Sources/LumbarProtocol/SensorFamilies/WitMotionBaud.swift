/// A WitMotion's UART speed (its BAUD register, 0x04), and the speed a sample rate needs.
///
/// From WitMotion's own material:
/// - HWT905-TTL datasheet v20-0707, §5.2.10 "Baud Rate": `FF AA 04 BAUD 00`, BAUD 0x01 4800, 0x02 9600
///   (default), 0x03 19200, 0x04 38400, 0x05 57600, 0x06 115200, 0x07 230400, 0x08 460800, 0x09 921600
///   (the WT901SDCL datasheet v20-0605 §6 lists the same speeds, 9600 the default).
/// - WitMotion's SDK (github.com/WITMOTION/WitStandardProtocol_JY901, `wit_c_sdk/REG.h` `WIT_BAUD_4800` 1 …
///   `WIT_BAUD_921600` 9; `wit_c_sdk.c` `WitSetUartBaud`): the unlock, then the BAUD write; its examples then
///   reopen their own port at the new speed, which is when the device answers there.
/// - The same datasheet (§5.2.9, after a rate change): "need to click save, and re-power the module to take
///   effect": some models apply a new setting only after a power cycle.
/// - WT901 manual v0513 §2.4.2: a cycle of the default output content is 44 bytes (acceleration, angular
///   velocity, angle, magnetic field: 4 × 11); with a baud too low for the rate "the module will
///   automatically reduce the frequency and output at a maximum allowable output rate".
///
/// 8N1 on the wire: 10 bits a byte. A factory WT901C at 9600 baud carries 960 bytes/s: 21 cycles/s of 44
/// bytes, 29 of 33 (acceleration, angular velocity, angle).
public enum WitMotionBaud {
    /// BAUD codes and their line speeds, bit/s.
    public static let speeds: [(code: UInt16, bitsPerSecond: Int)] = [
        (0x01, 4800), (0x02, 9600), (0x03, 19200), (0x04, 38400), (0x05, 57600), (0x06, 115200), (0x07, 230400), (0x08, 460800),
        (0x09, 921600),
    ]

    /// The speed a factory WitMotion talks at, bit/s.
    public static let factory = 9600

    /// Bytes of one output cycle assumed when deciding: the factory output content's 44 (the most a
    /// WT901-class device sends a cycle without being told to send more).
    public static let bytesPerCycle = 44

    /// The line carries at least this many times what the packets need: a UART at full load loses
    /// packets to any gap (the device's own, read answers in the stream).
    public static let margin = 2.0

    /// A rate kept on a line that could not be raised (a model that takes a new baud only after a power
    /// cycle) fills at most 1 / `carriedMargin` of it. Smaller than `margin`: raising costs nothing, but
    /// here the alternative is a slower rate: at 9600 baud, 20 Hz of 44-byte cycles fills 92 % of the line
    /// (8800 bit/s), where `margin` would leave 10 Hz, half of what it carries; and a cycle that does not
    /// fit is skipped by the device itself ("reduce the frequency", WT901 manual §2.4.2), never garbled.
    public static let carriedMargin = 1.05

    /// The output rate to ask of a WitMotion whose line stays at `bitsPerSecond` (its raise not applied):
    /// the documented rate nearest `hertz` (`WitMotionCommand.outputRate(nearest:)`) when the line carries
    /// its cycles (`bytesPerCycle`, 10 bits a byte, with `carriedMargin`), else the fastest documented
    /// rate below it that the line carries (the slowest, 0.2 Hz, when none does). At 9600 baud: 20 Hz
    /// (50 Hz needs 23 100 bit/s); at 115200: 100 Hz as asked.
    public static func carriedRate(at bitsPerSecond: Int, for hertz: Double, bytesPerCycle: Int = bytesPerCycle) -> (code: UInt16, hertz: Double) {
        let nearest = WitMotionCommand.outputRate(nearest: hertz)
        func carried(_ rate: Double) -> Bool { rate * Double(bytesPerCycle) * 10 * carriedMargin <= Double(bitsPerSecond) }
        return WitMotionCommand.outputRates.last { $0.hertz <= nearest.hertz && carried($0.hertz) } ?? WitMotionCommand.outputRates[0]
    }

    /// The BAUD code of `bitsPerSecond`; nil for a speed the register has no code for.
    public static func code(bitsPerSecond: Int) -> UInt16? {
        speeds.first { $0.bitsPerSecond == bitsPerSecond }?.code
    }

    /// The line speed of BAUD `code`, bit/s; nil for a code Lumbar does not know.
    public static func bitsPerSecond(code: UInt16) -> Int? {
        speeds.first { $0.code == code }?.bitsPerSecond
    }

    /// Output cycles per second `bitsPerSecond` carries (10 bits a byte).
    public static func cyclesPerSecond(at bitsPerSecond: Int, bytesPerCycle: Int = bytesPerCycle) -> Double {
        Double(bitsPerSecond) / 10 / Double(bytesPerCycle)
    }

    /// The speed to raise a line at `current` bit/s to so that it carries `hertz` output cycles (with
    /// `margin`): the slowest documented speed that does; nil when `current` carries them already (a line
    /// is never slowed down). The fastest documented speed when none is enough.
    public static func raise(from current: Int, for hertz: Double, bytesPerCycle: Int = bytesPerCycle) -> Int? {
        guard hertz.isFinite, hertz > 0 else { return nil }
        let needed = hertz * Double(bytesPerCycle) * 10 * margin
        guard Double(current) < needed else { return nil }
        let speed = speeds.first { Double($0.bitsPerSecond) >= needed }?.bitsPerSecond ?? speeds.last!.bitsPerSecond
        return speed > current ? speed : nil
    }

    /// `FF AA 69 88 B5  FF AA 04 code 00  FF AA 00 00 00`: unlock, BAUD, save, written at the old speed. A
    /// model that takes the new speed at the BAUD write misses the save (it listens at the new speed by
    /// then): the settings written after the host followed it save it there. A model that takes it at the
    /// save, or after a power cycle, gets it saved.
    public static func command(to bitsPerSecond: Int) -> [UInt8]? {
        guard let code = code(bitsPerSecond: bitsPerSecond) else { return nil }
        return WitMotionCommand.unlock + WitMotionCommand.write(.baud, code) + WitMotionCommand.save
    }
}
