import LumbarCore

// Double-precision vector, quaternion and 3×3 matrix used inside the filter.
//
// The filter's low-pass states have poles within 1e-3 of the unit circle and its bias estimate is a
// slow integral: in Float their rounding errors would accumulate to tenths of a degree. Double costs
// the same here (the update is a dependency chain of multiplies, one square root and a divide).

/// A three-component Double vector (internal to the filter).
@usableFromInline
struct Vec3d: Sendable, Hashable {
    @usableFromInline var x: Double
    @usableFromInline var y: Double
    @usableFromInline var z: Double

    @inlinable init(_ x: Double, _ y: Double, _ z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    @inlinable init(_ v: Vector3) { self.init(Double(v.x), Double(v.y), Double(v.z)) }

    @usableFromInline static let zero = Vec3d(0, 0, 0)

    @inlinable @inline(__always) static func + (a: Vec3d, b: Vec3d) -> Vec3d { Vec3d(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inlinable @inline(__always) static func - (a: Vec3d, b: Vec3d) -> Vec3d { Vec3d(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inlinable @inline(__always) static func * (a: Vec3d, s: Double) -> Vec3d { Vec3d(a.x * s, a.y * s, a.z * s) }
    @inlinable @inline(__always) func dot(_ b: Vec3d) -> Double { x * b.x + y * b.y + z * b.z }
    @inlinable @inline(__always) var squaredLength: Double { dot(self) }
    @inlinable @inline(__always) var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite }

    /// Each component limited to `-limit...limit`.
    @inlinable @inline(__always) func clamped(to limit: Double) -> Vec3d {
        Vec3d(min(max(x, -limit), limit), min(max(y, -limit), limit), min(max(z, -limit), limit))
    }

    @inlinable @inline(__always) var vector3: Vector3 { Vector3(Float(x), Float(y), Float(z)) }
}

/// A Double quaternion, Hamilton convention, scalar first (internal to the filter).
@usableFromInline
struct Quatd: Sendable, Hashable {
    @usableFromInline var w: Double
    @usableFromInline var x: Double
    @usableFromInline var y: Double
    @usableFromInline var z: Double

    @inlinable init(_ w: Double, _ x: Double, _ y: Double, _ z: Double) {
        self.w = w
        self.x = x
        self.y = y
        self.z = z
    }

    @usableFromInline static let identity = Quatd(1, 0, 0, 0)

    /// The Hamilton product `a ⊗ b` (apply `b`, then `a`).
    @inlinable @inline(__always) static func * (a: Quatd, b: Quatd) -> Quatd {
        Quatd(
            a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
            a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
            a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
            a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w
        )
    }

    /// Every component times `s`.
    @inlinable @inline(__always) static func * (q: Quatd, s: Double) -> Quatd { Quatd(q.w * s, q.x * s, q.y * s, q.z * s) }

    /// Scaled to norm 1; identity when the norm is zero or not finite.
    @inlinable @inline(__always) var normalized: Quatd {
        let n2 = w * w + x * x + y * y + z * z
        guard n2 > 1e-300, n2.isFinite else { return .identity }
        let s = 1 / n2.squareRoot()
        return Quatd(w * s, x * s, y * s, z * s)
    }

    /// Scaled back to norm 1 after a step that kept it within about 1e-3 of 1: one Newton step of
    /// 1/√n² instead of a square root and a divide; a full normalisation otherwise.
    @inlinable @inline(__always) var renormalized: Quatd {
        let n2 = w * w + x * x + y * y + z * z
        guard abs(n2 - 1) < 1e-3 else { return normalized }
        let s = 1.5 - 0.5 * n2
        return Quatd(w * s, x * s, y * s, z * s)
    }

    /// Rotates `v` by this unit quaternion: `q ⊗ v ⊗ q*`.
    @inlinable @inline(__always) func rotate(_ v: Vec3d) -> Vec3d {
        // t = 2 u × v; v' = v + w t + u × t
        let tx = 2 * (y * v.z - z * v.y)
        let ty = 2 * (z * v.x - x * v.z)
        let tz = 2 * (x * v.y - y * v.x)
        return Vec3d(
            v.x + w * tx + (y * tz - z * ty),
            v.y + w * ty + (z * tx - x * tz),
            v.z + w * tz + (x * ty - y * tx)
        )
    }

    /// The rotation matrix (sensor → earth for a sensor-to-earth quaternion).
    @inlinable @inline(__always) var rotationMatrix: Mat3d {
        let xx = x * x, yy = y * y, zz = z * z
        return Mat3d(
            Vec3d(1 - 2 * (yy + zz), 2 * (x * y - w * z), 2 * (x * z + w * y)),
            Vec3d(2 * (x * y + w * z), 1 - 2 * (xx + zz), 2 * (y * z - w * x)),
            Vec3d(2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (xx + yy))
        )
    }

    @inlinable @inline(__always) var quaternion: Quaternion { Quaternion(w: Float(w), x: Float(x), y: Float(y), z: Float(z)) }
}

/// A 3×3 Double matrix stored by rows (internal to the filter's bias estimator).
@usableFromInline
struct Mat3d: Sendable, Hashable {
    @usableFromInline var r0: Vec3d
    @usableFromInline var r1: Vec3d
    @usableFromInline var r2: Vec3d

    @inlinable init(_ r0: Vec3d, _ r1: Vec3d, _ r2: Vec3d) {
        self.r0 = r0
        self.r1 = r1
        self.r2 = r2
    }

    @inlinable @inline(__always) static func diagonal(_ d: Double) -> Mat3d {
        Mat3d(Vec3d(d, 0, 0), Vec3d(0, d, 0), Vec3d(0, 0, d))
    }

    @inlinable @inline(__always) var transposed: Mat3d {
        Mat3d(Vec3d(r0.x, r1.x, r2.x), Vec3d(r0.y, r1.y, r2.y), Vec3d(r0.z, r1.z, r2.z))
    }

    @inlinable @inline(__always) static func * (m: Mat3d, v: Vec3d) -> Vec3d { Vec3d(m.r0.dot(v), m.r1.dot(v), m.r2.dot(v)) }

    @inlinable @inline(__always) static func * (a: Mat3d, b: Mat3d) -> Mat3d {
        let bt = b.transposed
        return Mat3d(bt * a.r0, bt * a.r1, bt * a.r2)
    }

    @inlinable @inline(__always) static func - (a: Mat3d, b: Mat3d) -> Mat3d { Mat3d(a.r0 - b.r0, a.r1 - b.r1, a.r2 - b.r2) }
    @inlinable @inline(__always) static func + (a: Mat3d, b: Mat3d) -> Mat3d { Mat3d(a.r0 + b.r0, a.r1 + b.r1, a.r2 + b.r2) }
    @inlinable @inline(__always) static func * (a: Mat3d, s: Double) -> Mat3d { Mat3d(a.r0 * s, a.r1 * s, a.r2 * s) }

    /// The inverse, or nil when the matrix is singular or not finite.
    @inlinable @inline(__always) var inverse: Mat3d? {
        let a = r0, b = r1, c = r2
        // Rows of the adjugate's transpose: cross products of the rows.
        let c0 = Vec3d(b.y * c.z - b.z * c.y, b.z * c.x - b.x * c.z, b.x * c.y - b.y * c.x)
        let c1 = Vec3d(c.y * a.z - c.z * a.y, c.z * a.x - c.x * a.z, c.x * a.y - c.y * a.x)
        let c2 = Vec3d(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
        let det = a.dot(c0)
        guard det != 0, det.isFinite else { return nil }
        let s = 1 / det
        // inverse = [c0 c1 c2] (as columns) / det
        return Mat3d(Vec3d(c0.x, c1.x, c2.x) * s, Vec3d(c0.y, c1.y, c2.y) * s, Vec3d(c0.z, c1.z, c2.z) * s)
    }
}
