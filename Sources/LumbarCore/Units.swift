/// Unit conversions used across Lumbar. Decoded sensor values are Float in g and deg/s;
/// the fusion works internally in rad/s and in units of g.
public enum Units {
    /// Standard gravity, m/s² per g.
    public static let standardGravity: Float = 9.80665
    /// Radians per degree.
    public static let radiansPerDegree: Float = .pi / 180
    /// Degrees per radian.
    public static let degreesPerRadian: Float = 180 / .pi
}

extension Float {
    /// This angle (in degrees) in radians.
    @inlinable public var degreesToRadians: Float { self * (.pi / 180) }
    /// This angle (in radians) in degrees.
    @inlinable public var radiansToDegrees: Float { self * (180 / .pi) }
}
