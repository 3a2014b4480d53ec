import LumbarDevice
import LumbarSession

/// Carries the device session's decisions for the session into a `LiveSession` (`live` and `record`):
/// a sensor joins, bytes for it, a loss; and remembers which session sensor each port's sensor is.
/// A stalled sensor stays routed: its bytes keep going to the session, whose samples bring it back.
struct DeviceRouting {
    /// The session's sensor index of each device port's sensor, while it is joined.
    private(set) var sensorOfPort: [Int: Int] = [:]
    /// Rates asked with `--rate`: a WitMotion's clock is modelled on its placement's (100 Hz without).
    var settings = SensorSettingsRequest()

    /// Applies `action` when it is one for the session (connect, deliver, deliverKept, lose).
    /// - Returns: false for any other action (notices, give up), which are the caller's.
    mutating func apply<Output: SessionOutput>(
        _ action: DeviceAction, _ bytes: UnsafeRawBufferPointer, to session: LiveSession, into out: inout Output
    ) -> Bool {
        switch action {
        case .deliver(let port, let at):
            if let sensor = sensorOfPort[port.index] { session.receive(bytes, from: sensor, at: at, into: &out) }
        case .deliverKept(let port, let kept, let at):
            if let sensor = sensorOfPort[port.index] { session.receive(kept, from: sensor, at: at, into: &out) }
        case .connect(let port, let identity, let at):
            // A WitMotion is scaled and clocked by what it was asked (and reads back: `FamilySettingsExchange`).
            sensorOfPort[port.index] = session.connect(identity.descriptor(witMotion: identity.asked(of: settings)), at: at, into: &out)
        case .lose(let port, let reason, let at):
            guard let sensor = sensorOfPort[port.index] else { return true }
            session.lose(sensor: sensor, reason: reason, at: at, into: &out)
            if reason != .stalled { sensorOfPort[port.index] = nil }
        default:
            return false
        }
        return true
    }
}
