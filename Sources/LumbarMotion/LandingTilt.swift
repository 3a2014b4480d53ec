import LumbarCore

/// Where a leg came to rest after a rep candidate, relative to where it started, split along the rep's own
/// rotation axis: a leg put back short of (or a little past) its start differs from it by a turn about the hip
/// axis the rep turned about; a sensor strapped on anew (on the other leg, or turned on its strap) differs by a
/// turn about any axis.
///
/// Gravity's direction in the sensor frame is what is compared (the heading of a 6-axis filter drifts). A turn
/// about the unit axis `a` keeps gravity's component along `a`, so the change of its elevation from the plane
/// normal to `a` is the part no turn about the rep's axis explains (`acrossDegrees`); the turn within that plane
/// is the part along it (`alongDegrees`), signed: positive in the sense of the rep's first (concentric) motion,
/// i.e. the leg still somewhat raised; negative past the start, the other way.
struct LandingTilt: Sendable, Equatable {
    /// Turn about the rep's axis, degrees (positive: short of the start, on the side the rep went).
    var alongDegrees: Float
    /// Change of inclination that no turn about the rep's axis makes, degrees (≥ 0).
    var acrossDegrees: Float

    /// - Parameters:
    ///   - start: gravity's direction in the sensor frame at the rest the candidate started from (unit).
    ///   - end: gravity's direction in the sensor frame where the leg came to rest (unit).
    ///   - axis: the candidate's rotation axis in the sensor frame, signed with its first motion (any length);
    ///     without one (zero) the whole change counts as across.
    init(start: Vector3, end: Vector3, axis: Vector3) {
        guard let a = axis.normalized else {
            alongDegrees = 0
            acrossDegrees = start.angle(to: end).radiansToDegrees
            return
        }
        let e0 = _asinf(max(-1, min(1, start.dot(a))))
        let e1 = _asinf(max(-1, min(1, end.dot(a))))
        acrossDegrees = abs(e1 - e0).radiansToDegrees
        let p0 = start - a * start.dot(a)
        let p1 = end - a * end.dot(a)
        // Gravity seen from the sensor turns opposite to the sensor: a sensor turned by +θ about `a` sees gravity
        // turned by −θ.
        alongDegrees = -_atan2f(p0.cross(p1).dot(a), p0.dot(p1)).radiansToDegrees
    }
}
