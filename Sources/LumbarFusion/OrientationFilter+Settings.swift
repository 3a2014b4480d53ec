import LumbarCore

extension OrientationFilter {
    /// The filter's tuning, in physical units, independent of the sample rate.
    ///
    /// | setting | unit | default | meaning |
    /// |---|---|---|---|
    /// | `accelerometerTimeConstant` | s | 3 | low-pass of the accelerometer in the gyro-integrated (quasi-inertial) frame |
    /// | `estimatesBiasAtRest` | – | true | learn the gyroscope bias while the sensor is still |
    /// | `estimatesBiasDuringMotion` | – | true | learn the horizontal bias components from the inclination correction |
    /// | `initialBiasUncertainty` | deg/s | 0.5 | standard deviation of the bias before any estimate |
    /// | `biasForgettingTime` | s | 100 | time for the bias uncertainty to grow back by 0.1 deg/s |
    /// | `maximumBias` | deg/s | 2 | the bias estimate is clipped to ±this |
    /// | `motionBiasUncertainty` | deg/s | 0.1 | measurement noise of the bias during motion |
    /// | `verticalBiasForgettingFactor` | – | 1e-4 | relative weight of the (unobservable) vertical bias |
    /// | `restBiasUncertainty` | deg/s | 0.03 | measurement noise of the bias at rest |
    /// | `restMinimumDuration` | s | 1.5 | steady time before rest is declared |
    /// | `restFilterTimeConstant` | s | 0.5 | low-pass used by the rest detector |
    /// | `restGyroscopeThreshold` | deg/s | 2 | largest deviation of the gyroscope from its low-pass at rest |
    /// | `restAccelerometerThreshold` | g | 0.051 (0.5 m/s²) | largest deviation of the accelerometer from its low-pass at rest |
    /// | `maximumGap` | s | 0.5 | a longer gap between samples restarts the inclination from the accelerometer |
    /// | `maximumBridgedGap` | s | 2 | a gap up to this long is bridged (the rates either side integrated across it) before the restart, so the heading follows a turn made while samples were lost |
    /// | `burstRealignmentGap` | s | 0.1 | a burst of lost samples at least this long (and under `maximumGap`) leaves the inclination to be taken from the accelerometer again once the sensor lies still (`realignAfterBurst`) |
    /// | `burstRealignmentStill` | s | 0.1 | how long the sensor lies still after such a burst before that |
    /// | `gyroscopeDelay` | s | 0 | how late the gyroscope reports the motion (e.g. its internal low-pass's group delay); compensated by extrapolating the rate |
    ///
    /// The defaults are those of VQF (Laidig & Seel 2023), which were chosen on many motions and IMUs,
    /// not on the data Lumbar is scored on.
    ///
    /// `gyroscopeDelay` belongs to the sensor, so it defaults to 0. On BROAD, 1.75 ms (half a sample at
    /// 285.7 Hz) lowers the mean inclination RMSE from 0.76° to 0.63° (fast rotation: 1.02° → 0.56°),
    /// which suggests that IMU reports its rate about one sample late; set it only for a sensor whose
    /// delay is known (datasheet group delay of its gyroscope low-pass).
    public struct Settings: Sendable, Hashable {
        public var accelerometerTimeConstant: Double = 3
        public var estimatesBiasAtRest = true
        public var estimatesBiasDuringMotion = true
        public var initialBiasUncertainty: Double = 0.5
        public var biasForgettingTime: Double = 100
        public var maximumBias: Double = 2
        public var motionBiasUncertainty: Double = 0.1
        public var verticalBiasForgettingFactor: Double = 1e-4
        public var restBiasUncertainty: Double = 0.03
        public var restMinimumDuration: Double = 1.5
        public var restFilterTimeConstant: Double = 0.5
        public var restGyroscopeThreshold: Double = 2
        public var restAccelerometerThreshold: Double = 0.5 / Double(Units.standardGravity)
        public var maximumGap: Double = 0.5
        public var maximumBridgedGap: Double = 2
        public var gyroscopeDelay: Double = 0
        public var burstRealignmentGap: Double = 0.1
        public var burstRealignmentStill: Double = 0.1

        public init() {}

        /// The documented defaults.
        public static let `default` = Settings()
    }
}
