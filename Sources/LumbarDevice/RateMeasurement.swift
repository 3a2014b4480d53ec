/// The rate a sensor's packets arrive at, from their host receive times: how the output rate asked of a
/// WitMotion is confirmed when the model does not answer register reads (no hardware timestamp either, so
/// the receive times are all there is).
///
/// Counting starts at the first read that brings packets `settle` after the commands went out (the device
/// has switched to the new rate and the old rate's bytes have drained); the packets of the later reads,
/// over the time from that first read to the last, give the rate, once the span is at least `window` and
/// holds at least `minimumPackets` (so from about 7 Hz up within the session's 3 s settings timeout; a
/// slower rate stays unconfirmed, as before).
///
/// Tolerance, from the jitter: each end of the span is a read time, late by the USB-serial bridge's
/// latency timer (up to 16 ms on FTDI/CH340/CP210x defaults) plus scheduling (PTYs here: p99 26 µs, rare
/// 4 ms outliers), so the span is off by at most ±16 ms and a packet straddling an end by ±1 packet:
/// over 1.5 s at 10 Hz and more that is within ±7.5 % (±1.1 % plus 1 of 15 packets), and packets lost on
/// the way only lower it. The documented rates (0.2…200 Hz) are at least twice apart, so ±10 % confirms
/// the rate asked and cannot be mistaken for a neighbour, while a device that kept another rate (or
/// cannot send that fast) is reported with the rate measured.
public struct RateMeasurement: Sendable, Hashable {
    /// Time after the commands before packets count, ns.
    public static let settle: Int64 = 500_000_000
    /// Shortest span measured, ns.
    public static let window: Int64 = 1_500_000_000
    /// Fewest packets measured.
    public static let minimumPackets = 10
    /// Largest relative difference from the rate asked that confirms it.
    public static let tolerance = 0.10

    /// What the packets said.
    public struct Result: Sendable, Hashable {
        /// Packets counted, over `seconds` of receive time.
        public var packets: Int
        public var seconds: Double
        /// Packets per second.
        public var hertz: Double
        /// Within `tolerance` of the rate asked.
        public var confirms: Bool

        public init(packets: Int, seconds: Double, hertz: Double, confirms: Bool) {
            self.packets = packets
            self.seconds = seconds
            self.hertz = hertz
            self.confirms = confirms
        }
    }

    /// The rate the device was told (the documented rate nearest the one asked), Hz.
    public let expectedHz: Double
    /// When the commands went out, ns.
    public let commandsAt: Int64
    private var firstReadAt: Int64?
    private var packets = 0

    public init(expectedHz: Double, from commandsAt: Int64) {
        self.expectedHz = expectedHz
        self.commandsAt = commandsAt
    }

    /// A read at `now` (ns) that brought `count` packets; the result once the measurement is complete.
    public mutating func observe(packets count: Int, at now: Int64) -> Result? {
        guard count > 0, now - commandsAt >= Self.settle else { return nil }
        guard let first = firstReadAt else {
            // Its packets arrived before this read, at a time not known: the clock starts here.
            firstReadAt = now
            return nil
        }
        packets += count
        let span = now - first
        guard span >= Self.window, packets >= Self.minimumPackets else { return nil }
        let seconds = Double(span) / 1e9
        let hertz = Double(packets) / seconds
        return Result(packets: packets, seconds: seconds, hertz: hertz, confirms: abs(hertz - expectedHz) <= Self.tolerance * expectedHz)
    }
}
