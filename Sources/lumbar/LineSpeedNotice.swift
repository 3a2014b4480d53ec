import LumbarCore
import LumbarDevice
import LumbarProtocol

extension DeviceNotice {
    /// The one log line of a WitMotion's line speed change (`WitMotionBaudChange`): raised, or not applied
    /// and what to do about it; nil for other notices.
    var lineSpeedLine: String? {
        func hz(_ rate: Double) -> String { FixedDecimal.format(rate, decimals: rate < 1 ? 1 : 0) }
        switch self {
        case .lineSpeedRaised(_, let path, let from, let to, let rate):
            return "'\(path)' (WitMotion) line speed raised from \(from) to \(to) baud for \(hz(rate)) Hz (BAUD register; saved with the settings)."
        case .lineSpeedNotApplied(_, let path, let from, let to, let rate, let carried):
            let cycles = Int(WitMotionBaud.cyclesPerSecond(at: from))
            return "'\(path)' (WitMotion) sent no valid packet at \(to) baud within \(WitMotionBaudChange.timeout / 1_000_000_000) s of its BAUD command: "
                + "back at \(from) baud, which carries about \(cycles) of the \(hz(rate)) Hz asked, so it runs at \(hz(carried)) Hz for now; "
                + "this model takes a new baud only after a power cycle: unplug the sensor and plug it in again to get \(hz(rate)) Hz "
                + "(Lumbar then opens it at \(to)), or give --device \(path):witmotion@\(to) next time."
        default:
            return nil
        }
    }

    /// Said as a warning (the sensor runs slower than asked).
    var isWarning: Bool {
        if case .lineSpeedNotApplied = self { true } else { false }
    }
}
