import LumbarCore

extension Quaternion {
    /// The inclination (tilt) difference between two sensor-to-earth orientations, radians in 0...π,
    /// ignoring any difference in heading (rotation about the earth's Z axis).
    ///
    /// This is BROAD's inclination error (Laidig et al. 2021): with `e = self ⊗ conj(reference)`
    /// (normalised), the angle is `2·acos(min(1, √(e.w² + e.z²)))`, computed here in the equivalent
    /// form `2·atan2(√(e.x² + e.y²), √(e.w² + e.z²))`, which stays accurate for small angles.
    @inlinable
    public func inclinationDifference(to reference: Quaternion) -> Float {
        let e = self.normalized * reference.normalized.conjugate
        let c = (e.w * e.w + e.z * e.z).squareRoot()
        let s = (e.x * e.x + e.y * e.y).squareRoot()
        return 2 * _atan2f(s, c)
    }
}
