/// A three-component vector of `Float`, in whatever unit its owner states (g, deg/s, rad/s, metres).
///
/// A plain value type so that samples stay 4-byte-aligned and allocation-free on the hot path.
/// Approximate comparison is `isApproximatelyEqual(to:absoluteTolerance:)`, never `==`.
@frozen
public struct Vector3: Sendable, Hashable, CustomStringConvertible {
    public var x: Float
    public var y: Float
    public var z: Float

    @inlinable
    public init(x: Float, y: Float, z: Float) {
        self.x = x
        self.y = y
        self.z = z
    }

    @inlinable
    public init(_ x: Float, _ y: Float, _ z: Float) {
        self.init(x: x, y: y, z: z)
    }

    public static let zero = Vector3(0, 0, 0)
    public static let unitX = Vector3(1, 0, 0)
    public static let unitY = Vector3(0, 1, 0)
    public static let unitZ = Vector3(0, 0, 1)

    public var description: String { "(\(x), \(y), \(z))" }
}

extension Vector3 {
    @inlinable public static func + (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inlinable public static func - (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inlinable public static prefix func - (a: Vector3) -> Vector3 { Vector3(-a.x, -a.y, -a.z) }
    @inlinable public static func * (a: Vector3, s: Float) -> Vector3 { Vector3(a.x * s, a.y * s, a.z * s) }
    @inlinable public static func * (s: Float, a: Vector3) -> Vector3 { Vector3(a.x * s, a.y * s, a.z * s) }
    @inlinable public static func / (a: Vector3, s: Float) -> Vector3 { Vector3(a.x / s, a.y / s, a.z / s) }
    @inlinable public static func += (a: inout Vector3, b: Vector3) { a = a + b }
    @inlinable public static func -= (a: inout Vector3, b: Vector3) { a = a - b }
    @inlinable public static func *= (a: inout Vector3, s: Float) { a = a * s }

    /// The dot product.
    @inlinable public func dot(_ b: Vector3) -> Float { x * b.x + y * b.y + z * b.z }

    /// The cross product `self × b` (right-handed).
    @inlinable public func cross(_ b: Vector3) -> Vector3 {
        Vector3(y * b.z - z * b.y, z * b.x - x * b.z, x * b.y - y * b.x)
    }

    /// The squared Euclidean length, in the vector's unit squared.
    @inlinable public var squaredLength: Float { dot(self) }

    /// The Euclidean length, in the vector's unit.
    @inlinable public var length: Float { squaredLength.squareRoot() }

    /// This vector scaled to length 1, or `nil` when its length is zero or not finite
    /// (so that a zero accelerometer reading can never produce NaN downstream).
    @inlinable public var normalized: Vector3? {
        let n = length
        guard n > 0, n.isFinite else { return nil }
        return self / n
    }

    /// True when every component is finite (neither NaN nor infinite).
    @inlinable public var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite }

    /// Component-wise comparison with an absolute tolerance in the vector's unit.
    @inlinable public func isApproximatelyEqual(to other: Vector3, absoluteTolerance: Float) -> Bool {
        abs(x - other.x) <= absoluteTolerance && abs(y - other.y) <= absoluteTolerance
            && abs(z - other.z) <= absoluteTolerance
    }

    /// The angle between two vectors, in radians (0...π); 0 when either is zero.
    @inlinable public func angle(to other: Vector3) -> Float {
        let c = cross(other).length
        let d = dot(other)
        guard c > 0 || d != 0 else { return 0 }
        return _atan2f(c, d)
    }
}
