/// WitMotion register commands (WitMotion's "WIT standard communication protocol" document and its C SDK
/// `wit_c_sdk`, `WitWriteReg`/`WitReadReg`): what Lumbar sends a WitMotion and how it reads the answer.
///
/// A write is five bytes `FF AA reg valueL valueH`. Registers are locked: the unlock command (a write of
/// 0xB588 to KEY 0x69, `FF AA 69 88 B5`) opens them for 10 s; the save command (a write of 0 to SAVE 0x00,
/// `FF AA 00 00 00`) keeps what was written over a power cycle. A WitMotion does not echo writes; a read
/// (`FF AA 27 reg 00`, READADDR) is answered with an 11-byte packet `55 5F` holding four registers from
/// `reg` on (little-endian words) and the sum checksum, in the data stream.
public enum WitMotionCommand {
    /// Register addresses (protocol's register table).
    public enum Register: UInt8, Sendable {
        case save = 0x00
        case outputContent = 0x02
        case outputRate = 0x03
        case baud = 0x04
        case gyroscopeRange = 0x20
        case accelerometerRange = 0x21
        case readAddress = 0x27
        case key = 0x69
    }

    /// Packet type of a read answer.
    public static let readAnswerType: UInt8 = 0x5F

    /// `FF AA 69 88 B5`: unlock the registers for 10 s.
    public static let unlock: [UInt8] = write(.key, 0xB588)
    /// `FF AA 00 00 00`: save the registers.
    public static let save: [UInt8] = write(.save, 0x0000)

    /// `FF AA reg valueL valueH`.
    public static func write(_ register: Register, _ value: UInt16) -> [UInt8] {
        [0xFF, 0xAA, register.rawValue, UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    /// `FF AA 27 reg 00`: read four registers from `register` on.
    public static func read(_ register: Register) -> [UInt8] {
        [0xFF, 0xAA, Register.readAddress.rawValue, register.rawValue, 0x00]
    }

    /// RRATE codes and their output rates, Hz (0x0A, 0x0C and 0x0D differ between models: not used).
    public static let outputRates: [(code: UInt16, hertz: Double)] = [
        (0x01, 0.2), (0x02, 0.5), (0x03, 1), (0x04, 2), (0x05, 5), (0x06, 10), (0x07, 20), (0x08, 50), (0x09, 100), (0x0B, 200),
    ]
    /// ACCRANGE codes and accelerometer full scales, ± g.
    public static let accelerometerRanges: [(code: UInt16, g: UInt16)] = [(0, 2), (1, 4), (2, 8), (3, 16)]
    /// GYRORANGE codes and gyroscope full scales, ± °/s.
    public static let gyroscopeRanges: [(code: UInt16, degreesPerSecond: UInt16)] = [(0, 250), (1, 500), (2, 1000), (3, 2000)]

    /// The RRATE code of the documented rate nearest to `hertz` (by ratio), and that rate.
    public static func outputRate(nearest hertz: Double) -> (code: UInt16, hertz: Double) {
        guard hertz.isFinite, hertz > 0 else { return outputRates[8] }
        func ratio(_ r: Double) -> Double { max(r / hertz, hertz / r) }
        return outputRates.min { ratio($0.hertz) < ratio($1.hertz) }!
    }

    /// The output rate of RRATE `code`, Hz; nil for a code Lumbar does not know.
    public static func outputRate(code: UInt16) -> Double? {
        outputRates.first { $0.code == code }?.hertz
    }

    /// The ACCRANGE code of the smallest documented range holding `g` (the largest if none does).
    public static func accelerometerRange(atLeast g: UInt16) -> (code: UInt16, g: UInt16) {
        accelerometerRanges.first { $0.g >= g } ?? accelerometerRanges.last!
    }

    /// The GYRORANGE code of the smallest documented range holding `dps` (the largest if none does).
    public static func gyroscopeRange(atLeast dps: UInt16) -> (code: UInt16, degreesPerSecond: UInt16) {
        gyroscopeRanges.first { $0.degreesPerSecond >= dps } ?? gyroscopeRanges.last!
    }

    /// The four registers of a read answer packet (11 bytes: 55 5F, four words, checksum); nil when it is
    /// not one (wrong header, type or checksum).
    public static func readAnswer(_ packet: some Collection<UInt8>) -> (UInt16, UInt16, UInt16, UInt16)? {
        let bytes = Array(packet)
        guard bytes.count == 11, bytes[0] == 0x55, bytes[1] == readAnswerType, bytes[..<10].reduce(0, &+) == bytes[10] else { return nil }
        func word(_ i: Int) -> UInt16 { UInt16(bytes[2 + 2 * i]) | UInt16(bytes[3 + 2 * i]) << 8 }
        return (word(0), word(1), word(2), word(3))
    }

    /// The read answer packet for four registers (what a device sends; the emulator's).
    public static func readAnswerPacket(_ words: (UInt16, UInt16, UInt16, UInt16)) -> [UInt8] {
        var bytes: [UInt8] = [0x55, readAnswerType]
        for word in [words.0, words.1, words.2, words.3] { bytes += [UInt8(word & 0xFF), UInt8(word >> 8)] }
        bytes.append(bytes.reduce(0, &+))
        return bytes
    }
}

/// Finds read answers (`55 5F` packets) in a WitMotion stream, following packet boundaries (11 bytes from a
/// valid packet on; a byte at a time through garbage), chunks split anywhere.
public struct WitMotionReadScanner: Sendable {
    private var held: [UInt8] = []
    /// Valid acceleration packets (`55 51`, one per output cycle) seen so far: what the measured packet
    /// rate counts when a model does not answer reads.
    public private(set) var accelerationPackets = 0

    public init() {}

    /// Feeds bytes; calls `body` with the four registers of each read answer completed by them.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ body: ((UInt16, UInt16, UInt16, UInt16)) -> Void) {
        for byte in bytes {
            if held.isEmpty, byte != 0x55 { continue }
            held.append(byte)
            while held.count >= 11 {
                if held[0] == 0x55, held[1] & 0xF0 == 0x50, held[..<10].reduce(0, &+) == held[10] {
                    if held[1] == 0x51 { accelerationPackets += 1 }
                    if let words = WitMotionCommand.readAnswer(held[..<11]) { body(words) }
                    held.removeFirst(11)
                } else {
                    held.removeFirst()
                    if let next = held.firstIndex(of: 0x55) { held.removeFirst(next) } else { held.removeAll() }
                }
            }
        }
    }

    /// Bytes held in an array.
    public mutating func feed(_ bytes: [UInt8], _ body: ((UInt16, UInt16, UInt16, UInt16)) -> Void) {
        bytes.withUnsafeBytes { feed($0, body) }
    }
}
