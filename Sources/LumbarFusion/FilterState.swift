import LumbarCore

/// What an `OrientationFilter` knows besides the orientation, after its latest update.
///
/// A value snapshot: cheap to copy, safe to hand to another task.
public struct FilterState: Sendable, Hashable {
    /// True once the filter has seen a valid accelerometer reading and aligned its inclination to it.
    public var initialised: Bool
    /// True while the sensor has been still (gyroscope and accelerometer steady) for at least
    /// `Settings.restMinimumDuration`. At rest the gyroscope bias is learned quickly.
    public var isResting: Bool
    /// Seconds the sensor has been steady so far (0 while it moves).
    public var restDuration: Double
    /// The estimated gyroscope bias, deg/s, in the sensor frame; already subtracted from the readings.
    public var gyroBias: Vector3
    /// One standard deviation of the bias estimate, deg/s (largest over the three axes).
    public var gyroBiasUncertainty: Float
    /// True when the latest accelerometer reading was not used for the inclination correction
    /// (zero, not finite, or its magnitude far from 1 g: saturation, an impact).
    public var accelerationRejected: Bool

    public init(
        initialised: Bool = false, isResting: Bool = false, restDuration: Double = 0, gyroBias: Vector3 = .zero,
        gyroBiasUncertainty: Float = 0, accelerationRejected: Bool = false
    ) {
        self.initialised = initialised
        self.isResting = isResting
        self.restDuration = restDuration
        self.gyroBias = gyroBias
        self.gyroBiasUncertainty = gyroBiasUncertainty
        self.accelerationRejected = accelerationRejected
    }
}
