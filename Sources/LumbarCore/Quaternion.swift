/// A rotation as a unit quaternion, Hamilton convention, scalar first.
///
/// Lumbar's orientations rotate vectors from the sensor frame into the earth frame (Z up,
/// heading free): `earth = q.rotate(sensor)`, as in the Orientation CSV format.
@frozen
public struct Quaternion: Sendable, Hashable, CustomStringConvertible {
    public var w: Float
    public var x: Float
    public var y: Float
    public var z: Float

    @inlinable
    public init(w: Float, x: Float, y: Float, z: Float) {
        self.w = w
        self.x = x
        self.y = y
        self.z = z
    }

    /// The rotation that does nothing.
    public static let identity = Quaternion(w: 1, x: 0, y: 0, z: 0)

    /// The rotation by `angle` radians about `axis` (any length > 0; identity when zero).
    @inlinable
    public init(axis: Vector3, angle: Float) {
        guard let u = axis.normalized else {
            self = .identity
            return
        }
        let h = angle / 2
        let s = _sinf(h)
        self.init(w: _cosf(h), x: u.x * s, y: u.y * s, z: u.z * s)
    }

    /// The rotation vector `v` (axis times angle in radians).
    @inlinable
    public init(rotationVector v: Vector3) {
        self.init(axis: v, angle: v.length)
    }

    /// The shortest rotation taking direction `from` onto direction `to` (identity if either is zero).
    @inlinable
    public init(from: Vector3, to: Vector3) {
        guard let a = from.normalized, let b = to.normalized else {
            self = .identity
            return
        }
        let d = a.dot(b)
        if d < -0.999999 {
            // Opposite: rotate 180° about any axis perpendicular to `a`.
            var axis = Vector3.unitX.cross(a)
            if axis.squaredLength < 1e-6 { axis = Vector3.unitY.cross(a) }
            self.init(axis: axis, angle: .pi)
            return
        }
        let c = a.cross(b)
        self = Quaternion(w: 1 + d, x: c.x, y: c.y, z: c.z).normalized
    }

    public var description: String { "[\(w), \(x), \(y), \(z)]" }
}

extension Quaternion {
    /// The Hamilton product `a ⊗ b` (apply `b`, then `a`).
    @inlinable
    public static func * (a: Quaternion, b: Quaternion) -> Quaternion {
        Quaternion(
            w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
            x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
            y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
            z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w
        )
    }

    /// The conjugate, which for a unit quaternion is the inverse rotation.
    @inlinable public var conjugate: Quaternion { Quaternion(w: w, x: -x, y: -y, z: -z) }

    /// The Euclidean norm of the four components.
    @inlinable public var norm: Float { (w * w + x * x + y * y + z * z).squareRoot() }

    /// This quaternion scaled to norm 1; identity when the norm is zero or not finite.
    @inlinable public var normalized: Quaternion {
        let n = norm
        guard n > 0, n.isFinite else { return .identity }
        let s = 1 / n
        return Quaternion(w: w * s, x: x * s, y: y * s, z: z * s)
    }

    /// The vector part.
    @inlinable public var vector: Vector3 { Vector3(x, y, z) }

    /// Rotates `v` by this (unit) quaternion: `q ⊗ v ⊗ q*`.
    @inlinable
    public func rotate(_ v: Vector3) -> Vector3 {
        let u = vector
        let t = u.cross(v) * 2
        return v + t * w + u.cross(t)
    }

    /// Rotates `v` by the inverse of this (unit) quaternion.
    @inlinable
    public func inverseRotate(_ v: Vector3) -> Vector3 { conjugate.rotate(v) }

    /// The rotation angle of this (unit) quaternion, radians in 0...π.
    @inlinable
    public var angle: Float {
        let v = vector.length
        return 2 * _atan2f(v, abs(w))
    }

    /// The rotation vector (axis × angle in radians) of the shortest equivalent rotation.
    @inlinable
    public var rotationVector: Vector3 {
        let q = w < 0 ? Quaternion(w: -w, x: -x, y: -y, z: -z) : self
        let v = q.vector.length
        guard v > 1e-12 else { return q.vector * 2 }
        return q.vector * (2 * _atan2f(v, q.w) / v)
    }

    /// True when every component is finite.
    @inlinable public var isFinite: Bool { w.isFinite && x.isFinite && y.isFinite && z.isFinite }

    /// The angle between two rotations, radians in 0...π (sign of the quaternions ignored).
    @inlinable
    public func angle(to other: Quaternion) -> Float { (conjugate * other).angle }

    /// Component-wise comparison with an absolute tolerance, treating `q` and `-q` as equal.
    @inlinable
    public func isApproximatelyEqual(to o: Quaternion, absoluteTolerance: Float) -> Bool {
        func close(_ s: Float) -> Bool {
            abs(w - s * o.w) <= absoluteTolerance && abs(x - s * o.x) <= absoluteTolerance
                && abs(y - s * o.y) <= absoluteTolerance && abs(z - s * o.z) <= absoluteTolerance
        }
        return close(1) || close(-1)
    }
}
