/// The session clock: one sensor's device clock (the reference), on which every sensor's samples and
/// every host-timed event are stamped.
///
/// Every sensor's aligner maps its device clock onto the host clock, and its estimate of offset and
/// drift moves as frames arrive. Were the session stamped on the host clock as estimated at each
/// moment, the reference sensor's own samples would move with every re-estimate, and the whole
/// session with the lateness of the first frames: results would depend on framing and arrival.
///
/// So the session runs on the reference sensor's device clock: a host time `h` (what an aligner maps
/// a sample to, or a receive time) is stamped `base + (h − anchorHost) / (1 + drift)`, where
/// `anchorHost` is where the reference's aligner maps one fixed sample of it (the anchor) now, and
/// `drift` is that aligner's drift. The reference's samples are thereby spaced exactly as its device
/// clock says, whatever its aligner estimates; another sensor's samples land where its aligner and the
/// reference's agree they were taken, which is off by the difference of their offset errors (the
/// floors of their latencies) only.
///
/// The reference is the lowest-indexed sensor whose aligner has settled (`SensorClockAligner.isSettled`):
/// in live and replay the sensors connect in the same order whatever their frames do, so the choice
/// does not depend on arrival. When a lower-indexed sensor settles later, or the reference's stream
/// restarts (reconnection, a device clock jump), the stamp is carried over at that instant, so the
/// session clock never jumps. Before any reference, host time is the session clock.
///
/// One per pipeline, shared by the sensors' channels (all on the per-sensor stage's thread).
final class SessionClock {
    /// The reference sensor's index, nil until one settles (or after its stream restarted).
    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) private(set) var reference: Int?
    /// The anchor: a sample of the reference, on its device clock, s.
    @exclusivity(unchecked) private var anchorDeviceTime = 0.0
    /// The session time of the anchor, s (before the session's origin is taken off).
    @exclusivity(unchecked) private var base = 0.0
    /// Where the reference's aligner maps the anchor now, host-relative s.
    @exclusivity(unchecked) private var anchorHost = 0.0
    /// 1 / (1 + the reference's drift): host seconds to reference-clock seconds.
    @exclusivity(unchecked) private var inverseRate = 1.0

    /// The session time of host-relative time `host` (before the session's origin is taken off).
    @inline(__always)
    func stamp(_ host: Double) -> Double {
        base + (host - anchorHost) * inverseRate
    }

    /// Sensor `index`'s aligner has just taken an observation.
    ///
    /// - Parameters:
    ///   - aligner: the sensor's aligner after the observation.
    ///   - deviceTime: a sample of the batch just received, device s (the anchor if it becomes the reference).
    @inline(__always)
    func observed(by index: Int, aligner: SensorClockAligner, deviceTime: Double) {
        guard aligner.isSettled else { return }
        if reference == index {
            anchorHost = aligner.hostTime(forDeviceTime: anchorDeviceTime)
            inverseRate = 1 / (1 + aligner.drift)
        } else if reference.map({ index < $0 }) ?? true {
            let host = aligner.hostTime(forDeviceTime: deviceTime)
            base = stamp(host)
            reference = index
            anchorDeviceTime = deviceTime
            anchorHost = host
            inverseRate = 1 / (1 + aligner.drift)
        }
    }

    /// Sensor `index`'s clock alignment restarted: if it was the reference, the stamp stays as it is
    /// until another sensor (or this one, settled again) takes over.
    func restarted(_ index: Int) {
        if reference == index { reference = nil }
    }
}
