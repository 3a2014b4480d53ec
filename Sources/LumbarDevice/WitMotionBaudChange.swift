import LumbarProtocol

/// Raising a WitMotion's line speed so that it carries the rate asked (`WitMotionBaud`): a value the device
/// session holds while the change is under way. No I/O: it says what to write and which speed to set the
/// port to, and is fed the bytes read and the time.
///
/// 1. Listening: a valid packet at the current speed shows the sensor talks there (a sensor heard at no
///    speed is told nothing: its settings follow as they would without the change, and say it).
/// 2. `.send`: the unlock, BAUD, save command (`WitMotionBaud.command`), written at the old speed, then the
///    port set to the new speed (the driver empties its receive buffer then: bytes still held were sent at
///    the old speed).
/// 3. `confirmationPackets` valid acceleration packets at the new speed confirm the change (`.raised`).
/// 4. None within `timeout` (a model that takes a new baud only after a power cycle, or one that ignored
///    the command): the port goes back to the old speed, where the sensor still talks (`.notApplied`).
public struct WitMotionBaudChange: Sendable {
    /// How the change ended.
    public enum Outcome: Sendable, Hashable {
        /// The sensor talks at `to` now.
        case raised(from: Int, to: Int)
        /// No valid packet at `to` within the timeout: the port is back at `from`.
        case notApplied(from: Int, to: Int)
        /// No valid packet at `from` either within the timeout: nothing was sent.
        case unheard(from: Int)
    }

    /// What the session does next.
    public enum Step: Sendable, Hashable {
        /// Write `bytes` (at the old speed), then set the port to `speed`.
        case send(bytes: [UInt8], speed: Int)
        /// The change ended (the port set back to `from` first when `.notApplied`).
        case ended(Outcome)
    }

    /// Valid acceleration packets (one per output cycle) at the new speed that confirm it.
    public static let confirmationPackets = 5
    /// How long the sensor has to be heard at the old speed, then at the new one, ns: a factory WitMotion
    /// sends 10 cycles/s, so 5 of them take 0.5 s; the rest is for a loaded host.
    public static let timeout: Int64 = 3_000_000_000

    public let from: Int
    public let to: Int
    private let code: [UInt8]
    /// Since when the current phase waits, ns (the session clock).
    private var since: Int64
    private var sent = false
    private var scanner = WitMotionReadScanner()
    public private(set) var outcome: Outcome?

    /// The change from `from` to `to` bit/s, begun at `now`; nil when `to` has no BAUD code.
    public init?(from: Int, to: Int, at now: Int64) {
        guard let code = WitMotionBaud.command(to: to) else { return nil }
        self.from = from
        self.to = to
        self.code = code
        since = now
    }

    /// Bytes read at `now`; what to do when they complete a phase.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, at now: Int64) -> Step? {
        guard outcome == nil else { return nil }
        scanner.feed(bytes) { _ in }
        if !sent {
            guard scanner.accelerationPackets >= 1 else { return nil }
            sent = true
            since = now
            scanner = WitMotionReadScanner()
            return .send(bytes: code, speed: to)
        }
        guard scanner.accelerationPackets >= Self.confirmationPackets else { return nil }
        outcome = .raised(from: from, to: to)
        return .ended(.raised(from: from, to: to))
    }

    /// The time; the outcome when the phase's timeout passed.
    public mutating func tick(at now: Int64) -> Step? {
        guard outcome == nil, now - since >= Self.timeout else { return nil }
        let outcome: Outcome = sent ? .notApplied(from: from, to: to) : .unheard(from: from)
        self.outcome = outcome
        return .ended(outcome)
    }

    /// Bytes held in an array.
    public mutating func feed(_ bytes: [UInt8], at now: Int64) -> Step? {
        bytes.withUnsafeBytes { feed($0, at: now) }
    }
}
