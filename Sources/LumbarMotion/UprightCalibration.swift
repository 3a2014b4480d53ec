import LumbarCore

/// The lumbar sensor's cranial axis in its own frame, from the upright still period people spend after
/// strapping the sensors on and before getting into position (what commercial lumbar systems do with a
/// standing calibration). Heading free: only gravity's direction in each sensor's frame is used.
///
/// At every calibration (a still posture) the analyzer reports "up" in each sensor's frame. A posture in which
/// no rep was done is the upright one when the next still posture is
/// - (a) far from it for every sensor (lumbar turned ≥ 45°, each ankle seen in both ≥ 30°): getting down on all
///   fours or lying prone, the trunk and the shanks go from vertical to horizontal; or
/// - (b) the session's first posture, the lumbar turned 8–45° and no ankle more than 15°: leaning forward onto
///   the support of the standing kickback.
/// Then its lumbar "up" is the cranial axis c. In the exercise posture, "up" u is the dorsal axis (quadruped,
/// prone) or leans toward it (standing kickback): left ∝ u × c, dorsal = c × left.
///
/// How it fails: (b) also fits a session that starts in the exercise posture and shifts the trunk 10–45° with
/// the legs still before the first rep (the axes then come out wrong); standing up after reps and getting back
/// down is (a) with the standing posture as the upright one, which is right. A lumbar sensor re-strapped after
/// the upright period turns the axes by as much as the strap moved.
struct UprightCalibration: Sendable {
    /// One calibrated still posture: "up" in the lumbar and each ankle sensor's frame (unit; nil = absent).
    struct StillPosture: Sendable {
        var lumbarUp: Vector3
        var leftUp: Vector3?
        var rightUp: Vector3?
        var repsDone = false
        var isFirst = false
    }

    /// Lumbar turn between the upright and a lying or kneeling posture, degrees.
    static let getDownLumbarDegrees: Float = 45
    /// Ankle turn between the upright and a lying or kneeling posture, degrees.
    static let getDownAnkleDegrees: Float = 30
    /// Smallest forward lean that gives the medio-lateral axis (standing kickback), degrees.
    static let minimumLeanDegrees: Float = 8
    /// Largest ankle turn while leaning onto a support, degrees.
    static let leanAnkleDegrees: Float = 15

    private(set) var current: StillPosture?
    /// The lumbar sensor's cranial axis, sensor frame (unit); nil until an upright period was recognised.
    private(set) var cranial: Vector3?
    /// How the upright posture was recognised (nil with `cranial`).
    private(set) var route: Route?

    /// How an upright posture was recognised: the evidence behind a signed direction.
    enum Route: Sendable, Hashable {
        /// (a) from the session's first posture: standing after strapping on, then getting down.
        case gotDownFromStart
        /// (a) from a later posture: standing between sets, then getting down.
        case gotDownBetweenSets
        /// (b) leaning onto the support from the session's first posture.
        case leaned
        /// A rep done in a posture never calibrated, the current posture upright for it (lumbar alone).
        case beforeUncalibratedReps
    }

    /// A new still posture was calibrated.
    mutating func calibrated(_ posture: StillPosture) {
        var posture = posture
        posture.isFirst = current == nil
        if let previous = current, !previous.repsDone {
            let turn = { (a: Vector3?, b: Vector3?) -> Float? in
                guard let a, let b else { return nil }
                return a.angle(to: b).radiansToDegrees
            }
            let lumbarTurn = previous.lumbarUp.angle(to: posture.lumbarUp).radiansToDegrees
            let ankleTurns = [turn(previous.leftUp, posture.leftUp), turn(previous.rightUp, posture.rightUp)]
            let gotDown = lumbarTurn >= Self.getDownLumbarDegrees
                && ankleTurns.allSatisfy { ($0 ?? .infinity) >= Self.getDownAnkleDegrees }
            let leaned = previous.isFirst && lumbarTurn >= Self.minimumLeanDegrees
                && lumbarTurn < Self.getDownLumbarDegrees && ankleTurns.allSatisfy { ($0 ?? 0) < Self.leanAnkleDegrees }
            if gotDown || leaned {
                cranial = previous.lumbarUp
                route = gotDown ? (previous.isFirst ? .gotDownFromStart : .gotDownBetweenSets) : .leaned
            }
        }
        current = posture
    }

    /// The current posture's lumbar "up" when a rep whose lumbar "up" is `u` was done in a posture that was never
    /// calibrated (something kept the sensors from being still long enough there) and the current one (no reps)
    /// is upright for it by the lumbar alone (the ankles' postures are unknown); else nil.
    private func uncalibratedUpright(for u: Vector3) -> Vector3? {
        guard let p = current, !p.repsDone else { return nil }
        let turn = p.lumbarUp.angle(to: u).radiansToDegrees
        let gotDown = turn >= Self.getDownLumbarDegrees
        let leaned = p.isFirst && turn >= Self.minimumLeanDegrees
        return gotDown || leaned ? p.lumbarUp : nil
    }

    /// A rep was counted with the lumbar's "up" at `u` (sensor frame): its posture is not an upright one. A rep
    /// done away from the last calibrated posture (never calibrated) makes that one the upright posture if it fits.
    mutating func repDone(lumbarUp u: Vector3) {
        guard let p = current else { return }
        if p.lumbarUp.angle(to: u).radiansToDegrees < Self.minimumLeanDegrees {
            current?.repsDone = true
        } else if cranial == nil, let c = uncalibratedUpright(for: u) {
            cranial = c
            route = .beforeUncalibratedReps
        }
    }

    /// The body's axes in the lumbar sensor's frame (unit) when the sensor's "up" is `up` (sensor frame): nil
    /// without an upright period, or when `up` is within `minimumLeanDegrees` of the cranial axis (standing
    /// straight: the medio-lateral axis is not observable from gravity).
    func axes(up u: Vector3) -> (left: Vector3, dorsal: Vector3, cranial: Vector3, route: Route)? {
        let found = cranial.map { ($0, route ?? .gotDownFromStart) } ?? uncalibratedUpright(for: u).map { ($0, .beforeUncalibratedReps) }
        guard let (c, route) = found, c.angle(to: u).radiansToDegrees >= Self.minimumLeanDegrees,
            let left = u.cross(c).normalized
        else { return nil }
        return (left, c.cross(left), c, route)
    }
}
