/// Why a sensor stopped delivering samples: the `reason` of a `sensor_lost` event (FORMATS.md §4, the
/// README's Formats section) and of a recording's `sensor_lost` record (RECORDING.md), written as one word.
///
/// An enum, so that every consumer (terminal line, dashboard, sound, summary) can switch over the
/// reasons; `other` keeps a word this version does not name (a recording written by another version),
/// so that replaying it reproduces the word as it was recorded.
public enum SensorLossReason: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
    /// The device node went away (USB unplug, hang-up). Word: `unplugged`.
    case unplugged
    /// Reading the port failed with an error other than a hang-up. Word: `read_error`.
    case readError
    /// Nothing at all arrived for the session's sensor timeout (no samples, no heartbeat). Word: `timeout`.
    case timeout
    /// The port stays open and the device still talks (heartbeats, answers) but sends no samples: its
    /// firmware restarted behind a USB-UART bridge, or another program stopped it. The host sends
    /// start-streaming again, with backoff, until samples come back (then `sensor_connected`). Word: `stalled`.
    case stalled
    /// The input ended (the port closed without an error). Word: `stopped`.
    case stopped
    /// A word this version does not name, kept as it was recorded.
    case other(String)

    /// The reasons this version names, in the order the README lists them.
    public static let named: [SensorLossReason] = [.unplugged, .readError, .timeout, .stalled, .stopped]

    /// The reason a word stands for; a word not named here is `.other(word)` (never nil).
    public init(rawValue: String) {
        switch rawValue {
        case "unplugged": self = .unplugged
        case "read_error": self = .readError
        case "timeout": self = .timeout
        case "stalled": self = .stalled
        case "stopped": self = .stopped
        default: self = .other(rawValue)
        }
    }

    /// The word, as JSON Lines and recordings carry it.
    public var rawValue: String {
        switch self {
        case .unplugged: "unplugged"
        case .readError: "read_error"
        case .timeout: "timeout"
        case .stalled: "stalled"
        case .stopped: "stopped"
        case .other(let word): word
        }
    }

    public var description: String { rawValue }
}
