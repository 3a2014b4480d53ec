import LumbarCore

/// Finds the lumbar sensor's medio-lateral axis (up to sign) from breathing, whatever the mounting.
///
/// Breathing tilts the pelvis in the sagittal plane (flexion/extension, about ±0.5°, 0.2–0.4 Hz), more
/// than postural sway moves it about the other axes. So while the person holds still, the principal axis
/// of the lumbar's small angular velocity is the medio-lateral axis. The angular velocity is low-passed
/// (time constant 0.15 s, to remove sensor noise) minus a slow mean (10 s, to remove bias); its covariance
/// is accumulated over still periods; the principal eigenvector comes from power iteration.
struct BreathingAxisEstimator: Sendable {
    private var fast: Vector3 = .zero
    private var slow: Vector3 = .zero
    private var initialised = false
    /// Covariance accumulator (deg/s)² · s: xx, yy, zz, xy, xz, yz.
    private var c = (xx: Float(0), yy: Float(0), zz: Float(0), xy: Float(0), xz: Float(0), yz: Float(0))
    /// Seconds of stillness accumulated.
    private(set) var seconds: Float = 0

    mutating func update(gyroscope g: Vector3, dt: Double, still: Bool) {
        guard dt > 0 else { return }
        if !initialised {
            fast = g
            slow = g
            initialised = true
            return
        }
        let af = Float(dt / (0.15 + dt))
        let asl = Float(dt / (10 + dt))
        fast += (g - fast) * af
        slow += (g - slow) * asl
        guard still else { return }
        let v = fast - slow
        let w = Float(dt)
        c.xx += v.x * v.x * w
        c.yy += v.y * v.y * w
        c.zz += v.z * v.z * w
        c.xy += v.x * v.y * w
        c.xz += v.x * v.z * w
        c.yz += v.y * v.z * w
        seconds += w
    }

    /// The principal axis (unit, sensor frame, sign arbitrary) when at least 8 s of stillness show one axis
    /// clearly dominating (its variance at least twice the rest's average); nil otherwise.
    var axis: Vector3? {
        guard seconds >= 8 else { return nil }
        func apply(_ v: Vector3) -> Vector3 {
            Vector3(
                c.xx * v.x + c.xy * v.y + c.xz * v.z, c.xy * v.x + c.yy * v.y + c.yz * v.z,
                c.xz * v.x + c.yz * v.y + c.zz * v.z)
        }
        // Start from the largest diagonal's axis, iterate.
        var v: Vector3 = c.xx >= c.yy && c.xx >= c.zz ? .unitX : (c.yy >= c.zz ? .unitY : .unitZ)
        for _ in 0..<30 {
            guard let n = apply(v).normalized else { return nil }
            v = n
        }
        let lambda = apply(v).dot(v)
        let trace = c.xx + c.yy + c.zz
        guard lambda > 0, lambda >= 2 * (trace - lambda) / 2 else { return nil }
        return v
    }
}
