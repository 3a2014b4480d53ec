import LumbarCore

extension Quaternion {
    /// The inclination (tilt) difference between two sensor-to-earth orientations, radians in 0...π,
    /// ignoring any difference in heading (rotation about the earth's Z axis).
    ///
    /// This is BROAD's inclination error (Laidig et al. 2021): with `e = self ⊗ conj(reference)`
    /// (normalised), the angle is `2·acos(min(1, √(e.w² + e.z²)))`.
    @inlinable
    public func inclinationDifference(to reference: Quaternion) -> Float {
        let e = (self.normalized * reference.normalized.conjugate).normalized
        let c = (e.w * e.w + e.z * e.z).squareRoot()
        return 2 * _acosf(min(1, c))
    }
}
