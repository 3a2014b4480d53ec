/// Why a sensor stopped delivering samples: the `reason` of a `sensor_lost` event (FORMATS.md §4) and
/// of a recording's `sensor_lost` record (RECORDING.md), one word.
///
/// A struct over the word rather than a closed enum: recordings written by other versions may carry
/// words this one does not name, and replaying them must reproduce them as they were.
public struct SensorLossReason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The device node went away (USB unplug, hang-up).
    public static let unplugged = SensorLossReason(rawValue: "unplugged")
    /// Reading the port failed with an error other than a hang-up.
    public static let readError = SensorLossReason(rawValue: "read_error")
    /// Nothing at all arrived for the session's sensor timeout (no samples, no heartbeat).
    public static let timeout = SensorLossReason(rawValue: "timeout")
    /// The port stays open and the device still talks (heartbeats, answers) but sends no samples: its
    /// firmware restarted behind a USB-UART bridge, or another program stopped it. The host sends
    /// start-streaming again, with backoff, until samples come back (then `sensor_connected`).
    public static let stalled = SensorLossReason(rawValue: "stalled")
    /// The input ended (the port closed without an error).
    public static let stopped = SensorLossReason(rawValue: "stopped")

    public var description: String { rawValue }
}
