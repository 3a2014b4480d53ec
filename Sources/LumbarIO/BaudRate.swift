#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A serial line speed in bits per second that termios can set.
///
/// USB CDC-ACM devices ignore it (the USB link runs at full speed whatever is set); USB-UART bridges
/// (FTDI, CP210x, CH340) need the rate their firmware's UART uses.
public struct BaudRate: Sendable, Hashable, CustomStringConvertible {
    /// Bits per second.
    public let bitsPerSecond: Int
    /// The termios speed constant (`B115200`, ...).
    let speed: speed_t

    /// The rates termios names, in bits per second, with their constants.
    static let known: [(Int, speed_t)] = [
        (9600, speed_t(B9600)), (19200, speed_t(B19200)), (38400, speed_t(B38400)), (57600, speed_t(B57600)),
        (115200, speed_t(B115200)), (230400, speed_t(B230400)), (460800, speed_t(B460800)),
        (500000, speed_t(B500000)), (576000, speed_t(B576000)), (921600, speed_t(B921600)),
        (1000000, speed_t(B1000000)), (1500000, speed_t(B1500000)), (2000000, speed_t(B2000000)),
        (3000000, speed_t(B3000000)), (4000000, speed_t(B4000000)),
    ]

    /// The rates a port can be set to, bit/s, ascending (for messages).
    public static var supported: [Int] { known.map(\.0) }

    /// The rate for `bitsPerSecond`, or nil when termios has no constant for it.
    public init?(_ bitsPerSecond: Int) {
        guard let entry = Self.known.first(where: { $0.0 == bitsPerSecond }) else { return nil }
        self.bitsPerSecond = bitsPerSecond
        self.speed = entry.1
    }

    /// 115200 bit/s (the corresponding C constant is `B115200`).
    public static let b115200 = BaudRate(115200)!
    /// 921600 bit/s (the corresponding C constant is `B921600`), the default: enough for three 400 Hz
    /// sensors' worth of frames on one USB-UART bridge with margin.
    public static let b921600 = BaudRate(921600)!

    public var description: String { String(bitsPerSecond) }
}
