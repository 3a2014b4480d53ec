#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore

// Double-precision vectors and quaternions for the body model. The simulator differentiates
// trajectories numerically (second differences of positions over 0.25 ms), which needs more
// precision than the Float types of LumbarCore carry; results are converted to Float at the end.

/// A 3-vector in Double precision (metres, radians, m/s², as its owner states).
struct DVec3: Sendable, Hashable {
    var x: Double
    var y: Double
    var z: Double

    init(_ x: Double, _ y: Double, _ z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    static let zero = DVec3(0, 0, 0)
    static let unitX = DVec3(1, 0, 0)
    static let unitY = DVec3(0, 1, 0)
    static let unitZ = DVec3(0, 0, 1)

    static func + (a: DVec3, b: DVec3) -> DVec3 { DVec3(a.x + b.x, a.y + b.y, a.z + b.z) }
    static func - (a: DVec3, b: DVec3) -> DVec3 { DVec3(a.x - b.x, a.y - b.y, a.z - b.z) }
    static prefix func - (a: DVec3) -> DVec3 { DVec3(-a.x, -a.y, -a.z) }
    static func * (a: DVec3, s: Double) -> DVec3 { DVec3(a.x * s, a.y * s, a.z * s) }
    static func * (s: Double, a: DVec3) -> DVec3 { DVec3(a.x * s, a.y * s, a.z * s) }
    static func += (a: inout DVec3, b: DVec3) { a = a + b }

    func dot(_ b: DVec3) -> Double { x * b.x + y * b.y + z * b.z }
    func cross(_ b: DVec3) -> DVec3 { DVec3(y * b.z - z * b.y, z * b.x - x * b.z, x * b.y - y * b.x) }
    var length: Double { dot(self).squareRoot() }

    /// The Float vector of LumbarCore.
    var float: Vector3 { Vector3(Float(x), Float(y), Float(z)) }

    init(_ v: Vector3) { self.init(Double(v.x), Double(v.y), Double(v.z)) }
}

/// A unit quaternion in Double precision, Hamilton, scalar first (same conventions as `Quaternion`).
struct DQuat: Sendable, Hashable {
    var w: Double
    var x: Double
    var y: Double
    var z: Double

    init(w: Double, x: Double, y: Double, z: Double) {
        self.w = w
        self.x = x
        self.y = y
        self.z = z
    }

    static let identity = DQuat(w: 1, x: 0, y: 0, z: 0)

    /// The rotation by `angle` radians about the unit axis `u`.
    init(unitAxis u: DVec3, angle: Double) {
        let s = sin(angle / 2)
        self.init(w: cos(angle / 2), x: u.x * s, y: u.y * s, z: u.z * s)
    }

    /// The rotation by `angle` radians about the earth or body X axis.
    static func rx(_ a: Double) -> DQuat { DQuat(w: cos(a / 2), x: sin(a / 2), y: 0, z: 0) }
    /// The rotation by `angle` radians about the Y axis.
    static func ry(_ a: Double) -> DQuat { DQuat(w: cos(a / 2), x: 0, y: sin(a / 2), z: 0) }
    /// The rotation by `angle` radians about the Z axis.
    static func rz(_ a: Double) -> DQuat { DQuat(w: cos(a / 2), x: 0, y: 0, z: sin(a / 2)) }

    /// The rotation whose rotation vector (axis × angle, radians) is `v`.
    init(rotationVector v: DVec3) {
        let a = v.length
        guard a > 1e-15 else {
            self = DQuat(w: 1, x: v.x / 2, y: v.y / 2, z: v.z / 2).normalized
            return
        }
        self.init(unitAxis: v * (1 / a), angle: a)
    }

    static func * (a: DQuat, b: DQuat) -> DQuat {
        DQuat(
            w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
            x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
            y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
            z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w
        )
    }

    var conjugate: DQuat { DQuat(w: w, x: -x, y: -y, z: -z) }
    var vector: DVec3 { DVec3(x, y, z) }
    func dot(_ o: DQuat) -> Double { w * o.w + x * o.x + y * o.y + z * o.z }
    var negated: DQuat { DQuat(w: -w, x: -x, y: -y, z: -z) }

    var normalized: DQuat {
        let n = (w * w + x * x + y * y + z * z).squareRoot()
        return DQuat(w: w / n, x: x / n, y: y / n, z: z / n)
    }

    func rotate(_ v: DVec3) -> DVec3 {
        let u = vector
        let t = u.cross(v) * 2
        return v + t * w + u.cross(t)
    }

    func inverseRotate(_ v: DVec3) -> DVec3 { conjugate.rotate(v) }

    /// The rotation vector (axis × angle, radians) of the shortest equivalent rotation.
    var rotationVector: DVec3 {
        let q = w < 0 ? negated : self
        let s = q.vector.length
        guard s > 1e-15 else { return q.vector * 2 }
        return q.vector * (2 * atan2(s, q.w) / s)
    }

    /// The rotation angle, radians in 0...π.
    var angle: Double { 2 * atan2(vector.length, abs(w)) }

    /// Spherical interpolation from `a` (s = 0) to `b` (s = 1) along the shortest arc.
    static func slerp(_ a: DQuat, _ b: DQuat, _ s: Double) -> DQuat {
        var rel = a.conjugate * b
        if rel.w < 0 { rel = rel.negated }
        return a * DQuat(rotationVector: rel.rotationVector * s)
    }

    /// The Float quaternion of LumbarCore.
    var float: Quaternion { Quaternion(w: Float(w), x: Float(x), y: Float(y), z: Float(z)) }

    init(_ q: Quaternion) { self.init(w: Double(q.w), x: Double(q.x), y: Double(q.y), z: Double(q.z)) }
}

/// The minimum-jerk position profile s(u) = 10u³ − 15u⁴ + 6u⁵ for u in 0...1 (clamped outside):
/// zero velocity and acceleration at both ends, the smoothest point-to-point movement (Flash & Hogan 1985).
/// The result is clamped to 0...1: just below u = 1 the polynomial rounds to a few ulps above 1, and
/// `1 − s` then went negative (a rep's progress of −1e−16 made the lumbar fault's `g·√g` a NaN sample).
@inline(__always)
func minimumJerk(_ u: Double) -> Double {
    if u <= 0 { return 0 }
    if u >= 1 { return 1 }
    return min(1, max(0, u * u * u * (10 + u * (-15 + 6 * u))))
}

/// A smooth bump 0 → 1 → 0 over u in 0...1: sin²(πu), zero outside, C¹ at the ends.
@inline(__always)
func smoothBump(_ u: Double) -> Double {
    if u <= 0 || u >= 1 { return 0 }
    let s = sin(Double.pi * u)
    return s * s
}

/// A C² bump 0 → 1 → 0 over u in 0...1 (minimum-jerk up over the first half, down over the second).
@inline(__always)
func minimumJerkBump(_ u: Double) -> Double {
    if u <= 0 || u >= 1 { return 0 }
    return u < 0.5 ? minimumJerk(2 * u) : minimumJerk(2 - 2 * u)
}

func sinD(_ x: Double) -> Double { sin(x) }
func cosD(_ x: Double) -> Double { cos(x) }
func logD(_ x: Double) -> Double { log(x) }
