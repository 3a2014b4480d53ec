import LumbarCore

/// A 6-axis orientation filter: gyroscope integration corrected toward gravity, with gyroscope-bias
/// estimation and rest detection. One `update` per sample; pure value type; no allocation.
///
/// The design follows VQF (Laidig & Seel, "VQF: Highly accurate IMU orientation estimation with
/// bias estimation and magnetic disturbance rejection", Information Fusion 2023):
/// - the gyroscope is integrated into a *quasi-inertial* frame (`gyroQuaternion`);
/// - the accelerometer is rotated into that frame and low-pass filtered there (time constant
///   `accelerometerTimeConstant`): linear accelerations of a body that stays in place average out,
///   gravity does not, and rotation does not smear the average;
/// - the inclination correction (`inclinationQuaternion`, quasi-inertial → earth) then aligns the
///   filtered vector with earth's vertical;
/// - the gyroscope bias is a Kalman estimate fed at rest by the low-passed gyroscope and during
///   motion by the correction rate the accelerometer demands.
///
/// It runs at two rates: every sample integrates the gyroscope, checks for rest and accumulates the
/// accelerometer in the quasi-inertial frame; every `correctionInterval` (10 ms) the means go through
/// the low-pass filters and correct the inclination, and every `biasInterval` (40 ms) the bias is
/// updated. Everything those steps use is low-passed far below 100 Hz, so on BROAD the result matches
/// VQF run at every sample to 0.002°, at a third of its cost.
///
/// Accuracy (BROAD, six trials, default settings, inclination RMSE): mean 0.757°, worst 1.718° (trial
/// 21), as VQF; `make bench-fusion` prints the table next to the peers.
///
/// ```swift
/// var filter = OrientationFilter()
/// for sample in samples {                  // time in s, accelerometer in g, gyroscope in deg/s
///     let q = filter.update(sample)        // sensor → earth, Z up, heading free
///     if filter.state.isResting { … }
/// }
/// ```
///
/// Timestamps drive the time step: jitter and dropped samples are fine; a gap longer than
/// `Settings.maximumGap` (or time going backwards) restarts the inclination from the accelerometer
/// while keeping the bias; a gap up to `Settings.maximumBridgedGap` is bridged first (`bridge`). Samples with the same timestamp as the previous one are ignored.
/// Non-finite gyroscope readings count as zero rotation; zero, non-finite or absurd accelerometer
/// readings are skipped (`state.accelerationRejected`). Linear accelerations (kicks, taps,
/// vibration) are not rejected sample by sample but averaged out by the quasi-inertial low-pass:
/// gating on the magnitude `|a| ≈ 1 g` was tried and biases the estimate (a 2 g downward acceleration
/// reads as 1 g pointing down). The orientation is always a finite unit quaternion.
public struct OrientationFilter: Sendable {
    /// The tuning this filter runs with.
    public let settings: Settings
    /// The latest orientation: rotates sensor-frame vectors into the earth frame (Z up).
    public private(set) var orientation = Quaternion.identity

    // Orientation = inclination ⊗ gyro.
    @usableFromInline var gyroQuaternion = Quatd.identity
    @usableFromInline var inclinationQuaternion = Quatd.identity
    /// Gyroscope bias, rad/s, sensor frame.
    @usableFromInline var bias = Vec3d.zero
    /// Covariance of `bias`, (rad/s)².
    @usableFromInline var biasCovariance: Mat3d
    @usableFromInline var lastTime: Double = .nan
    @usableFromInline var initialised = false
    /// False until the first correction after a (re)start has aligned the inclination with the accelerometer.
    @usableFromInline var aligned = false
    @usableFromInline var rejected = false

    // Per-sample sums for the next correction step (see `correctionInterval`).
    /// Accelerometer readings rotated into the quasi-inertial frame, g.
    @usableFromInline var quasiInertialSum = Vec3d.zero
    /// Accelerometer readings in the sensor frame, g.
    @usableFromInline var accelerometerSum = Vec3d.zero
    @usableFromInline var accelerometerCount: Double = 0
    /// Gyroscope readings, rad/s.
    @usableFromInline var gyroscopeSum = Vec3d.zero
    @usableFromInline var gyroscopeCount: Double = 0
    /// Time since the last correction step, s.
    @usableFromInline var pendingTime: Double = 0
    /// The previous gyroscope reading, rad/s (for `Settings.gyroscopeDelay` and `bridge`).
    @usableFromInline var previousGyro = Vec3d.zero
    /// The time step before the latest sample, s (0: none yet): the sensor's sample interval, unless samples were lost.
    @usableFromInline var sampleInterval: Double = 0
    /// Inclination corrections (radians about earth x, y), their time span (s), and the sum and count
    /// of the rotation matrices since the bias estimator last ran.
    @usableFromInline var biasPendingCorrection = Vec3d.zero
    @usableFromInline var biasPendingTime: Double = 0
    @usableFromInline var biasPendingRotation = Mat3d.diagonal(0)
    @usableFromInline var biasPendingCount: Double = 0
    @usableFromInline var biasCoefficients: ButterworthCoefficients

    // Correction-step state.
    @usableFromInline var accelerometerLowPass = LowPassVector()
    @usableFromInline var rotationLowPass0 = LowPassVector()
    @usableFromInline var rotationLowPass1 = LowPassVector()
    @usableFromInline var rotationLowPass2 = LowPassVector()
    @usableFromInline var rotatedBiasLowPass = LowPassVector()
    @usableFromInline var restGyroLowPass = LowPassVector()
    @usableFromInline var restAccelerometerLowPass = LowPassVector()
    @usableFromInline var accelerometerCoefficients: ButterworthCoefficients
    @usableFromInline var restCoefficients: ButterworthCoefficients
    @usableFromInline var restTime: Double = 0
    @usableFromInline var resting = false
    /// A burst of lost samples at least `Settings.burstRealignmentGap` long was bridged, and the sensor has not lain
    /// still since: its inclination is the bridge's guess (`realignAfterBurst`).
    @usableFromInline var bridgedInclination = false
    /// Since when the sensor has lain still after that burst, s (nil while it moves): see `realignAfterBurst`.
    @usableFromInline var stillAfterBurstSince: Double?

    // Derived constants (worked out once).
    @usableFromInline let biasLimit: Double
    @usableFromInline let biasInitialVariance: Double
    @usableFromInline let restGyroThresholdSquared: Double
    @usableFromInline let restAccelerometerThresholdSquared: Double

    /// How often the accelerometer correction and the bias estimator run, seconds (at most once per sample).
    ///
    /// Everything they use is low-passed with time constants of 0.5 s and more (cut-offs below 0.5 Hz),
    /// and each step takes the mean of the samples since the previous one, so 100 steps per second lose
    /// nothing; between steps the gyroscope carries the orientation (the correction moves it by at most
    /// hundredths of a degree per step). At high sample rates this keeps the per-sample cost to the
    /// strapdown integration and the rest checks.
    @usableFromInline static let correctionInterval: Double = 0.01

    /// A filter at the identity orientation that initialises from the first valid accelerometer reading.
    public init(settings: Settings = .default) {
        self.settings = settings
        let radians = Double.pi / 180
        biasLimit = settings.maximumBias * radians
        biasInitialVariance = square(settings.initialBiasUncertainty * radians)
        biasCovariance = .diagonal(biasInitialVariance)
        restGyroThresholdSquared = square(settings.restGyroscopeThreshold * radians)
        restAccelerometerThresholdSquared = square(settings.restAccelerometerThreshold)
        accelerometerCoefficients = ButterworthCoefficients(tau: max(settings.accelerometerTimeConstant, 0))
        restCoefficients = ButterworthCoefficients(tau: max(settings.restFilterTimeConstant, 0))
        biasCoefficients = ButterworthCoefficients(tau: max(settings.accelerometerTimeConstant, 0))
    }

    /// A time step over this many times the previous one means samples were lost in between (`bridge`, and
    /// `ButterworthCoefficients.adapt(to:)`).
    ///
    /// Sample timestamps jitter by a fraction of the interval; a lost sample at least doubles it. Each sample's
    /// rate stands for the interval before it, so a step of `n` intervals integrated at the rate after it
    /// assumes the sensor turned at that rate for the whole burst: a 0.3 s burst lost as a bird dog's leg set off
    /// (TUNE seed 92 rep 18, 104 Hz) integrated the 172 deg/s read after it into 52° where the shank had turned
    /// 18°. The mean of the rates either side, as across a longer burst, is the best guess the two readings give
    /// (26° there).
    @usableFromInline static let lostSampleFactor: Double = 2

    /// How often the bias estimator runs, seconds. Its inputs are the corrections and rotations since its
    /// last step, averaged, and everything it low-passes has the accelerometer time constant (cut-off
    /// ≈ 0.075 Hz at 3 s); the bias itself drifts over minutes. 25 steps per second lose nothing.
    @usableFromInline static let biasInterval: Double = 0.04

    /// What the filter knows besides the orientation.
    public var state: FilterState {
        let variance = max(biasCovariance.r0.x, biasCovariance.r1.y, biasCovariance.r2.z)
        return FilterState(
            initialised: initialised,
            isResting: resting,
            restDuration: restTime,
            gyroBias: (bias * (180 / Double.pi)).vector3,
            gyroBiasUncertainty: Float(max(variance, 0).squareRoot() * (180 / Double.pi)),
            accelerationRejected: rejected
        )
    }

    /// Feeds one sample and returns the new orientation (sensor → earth).
    ///
    /// - Parameter sample: time in seconds, accelerometer in g, gyroscope in deg/s.
    /// - Returns: the orientation after this sample, also kept in `orientation`.
    @discardableResult
    public mutating func update(_ sample: ImuSample) -> Quaternion {
        var dt = sample.time - lastTime
        let reading = Vec3d(sample.gyroscope) * (Double.pi / 180)
        let gyro = reading.isFinite ? reading : .zero
        if !initialised || !(dt >= 0) || dt > settings.maximumGap {
            // First sample, time going backwards or not finite, or a gap: start the inclination over. A burst of
            // lost samples is bridged first (`bridge`): the heading is kept, and what it turned meanwhile is lost.
            if initialised, dt > settings.maximumGap, dt <= settings.maximumBridgedGap { bridge(to: gyro, dt: dt) }
            restart()
            dt = 0
        } else if dt == 0 {
            return orientation
        }
        lastTime = sample.time.isFinite ? sample.time : lastTime

        // Gyroscope: rest check and strapdown integration, every sample.
        gyroscopeSum = gyroscopeSum + gyro
        gyroscopeCount += 1
        let gyroLp = restGyroLowPass.output
        if (gyro - gyroLp).squaredLength >= restGyroThresholdSquared || abs(gyroLp.x) > biasLimit
            || abs(gyroLp.y) > biasLimit || abs(gyroLp.z) > biasLimit
        {
            restTime = 0
            resting = false
        }
        if dt > Self.lostSampleFactor * sampleInterval && sampleInterval > 0 {
            // Samples were lost: the reading after the burst says how fast the sensor turned at its end only.
            bridge(to: gyro, dt: dt)
            if dt >= settings.burstRealignmentGap {
                bridgedInclination = true
                stillAfterBurstSince = nil
            }
        } else if settings.gyroscopeDelay > 0 && dt > 0 {
            // A reading `delay` seconds late: extrapolate the rate linearly to the interval's true rate.
            integrate(gyro + (gyro - previousGyro) * min(settings.gyroscopeDelay / dt, 2) - bias, dt: dt)
        } else {
            integrate(gyro - bias, dt: dt)
        }
        if dt > 0 { sampleInterval = dt }
        previousGyro = gyro
        pendingTime += dt

        // Accelerometer: rest check and accumulation in the quasi-inertial frame, every valid sample.
        let accelerometer = Vec3d(sample.accelerometer)
        if bridgedInclination { realignAfterBurst(gyro: gyro, accelerometer: accelerometer, at: sample.time) }
        let norm2 = accelerometer.squaredLength
        // Valid: finite and between 0.001 g and 1000 g (a float accelerometer never reads outside).
        rejected = !(norm2 > 1e-6 && norm2 < 1e6)
        if !rejected {
            if (accelerometer - restAccelerometerLowPass.output).squaredLength >= restAccelerometerThresholdSquared {
                restTime = 0
                resting = false
            } else {
                restTime += dt
                if restTime >= settings.restMinimumDuration { resting = true }
            }
            accelerometerSum = accelerometerSum + accelerometer
            quasiInertialSum = quasiInertialSum + gyroQuaternion.rotate(accelerometer)
            accelerometerCount += 1
            if pendingTime >= Self.correctionInterval || !aligned {
                correct(dt: pendingTime)
                initialised = true
            }
        }
        orientation = (inclinationQuaternion * gyroQuaternion).quaternion
        return orientation
    }

    /// Carries the orientation across a burst of `dt` seconds of lost samples, from the rate before it
    /// (`previousGyro`) to `gyro`, the one after: the mean of the two, bias removed, over the gap.
    /// After a burst up to `maximumGap` the filter then goes on as usual (`lostSampleFactor`). After a longer one
    /// the tilt is realigned from the accelerometer (`restart`), so what this adds is the turn about the
    /// vertical, which gravity cannot show: a back bent sideways while lying prone, or twisted while standing,
    /// during the burst. Without it the heading stayed where it was before the burst, the turn made in it was
    /// never seen, and a lumbar alert came only when the back turned back (seconds late) or never.
    /// Rates of a lift's minimum-jerk profile at the two ends of a burst give its turn within about a fifth
    /// (less when the burst spans the rate's peak: an alert a little late rather than a false one).
    @usableFromInline
    mutating func bridge(to gyro: Vec3d, dt: Double) {
        integrate((previousGyro + gyro) * 0.5 - bias, dt: dt)
    }

    /// After a bridged burst (`bridgedInclination`): once the sensor has lain still for `Settings.burstRealignmentStill`
    /// (turning under `restGyroscopeThreshold`, bias removed, and reading 1 g within `restAccelerometerThreshold`),
    /// the inclination is levelled on that reading and the accelerometer low-pass settled on it as if it had read it
    /// all along (heading, bias and rest timer kept). Not `restart`: its running-mean start-up follows the
    /// accelerometer closely for `accelerometerTimeConstant`, and the next rep's kick then tilted the shank's
    /// inclination (TUNE 300-499: 190 reps lost when tried). The bridge takes the mean
    /// of the rates either side of the burst, which is the turn made in it only when the rate was steady: a burst
    /// over a whole lowering, the leg holding at its top before it and lying on the floor after, read 0 and 0 deg/s
    /// either side and lost the lowering, leaving the shank's inclination 10-45° off; the accelerometer low-pass
    /// (`accelerometerTimeConstant`, 3 s) took seconds to bring it back, while a fast set's next rep came 1-2 s
    /// later (TUNE seeds 406 reps 8-11 (52 Hz), 449 reps 10-11 (833 Hz), 387 reps 15-16). Lying still, the
    /// accelerometer reads gravity alone, to within its bias (0.02 g, about 1°).
    @usableFromInline
    mutating func realignAfterBurst(gyro: Vec3d, accelerometer: Vec3d, at t: Double) {
        let norm2 = accelerometer.squaredLength
        let lying = (gyro - bias).squaredLength < restGyroThresholdSquared && norm2.isFinite
            && abs(norm2.squareRoot() - 1) < settings.restAccelerometerThreshold
        guard lying else {
            stillAfterBurstSince = nil
            return
        }
        let since = stillAfterBurstSince ?? t
        stillAfterBurstSince = since
        if t - since >= settings.burstRealignmentStill {
            bridgedInclination = false
            stillAfterBurstSince = nil
            let quasiInertial = gyroQuaternion.rotate(accelerometer)
            if accelerometerLowPass.settle(at: quasiInertial, accelerometerCoefficients) {
                _ = level(quasiInertial)
            }
        }
    }

    /// Starts the inclination, the low-pass filters and the rest timer over; keeps the bias estimate.
    @usableFromInline
    mutating func restart() {
        inclinationQuaternion = initialised ? (inclinationQuaternion * gyroQuaternion).normalized : .identity
        gyroQuaternion = .identity
        aligned = false
        accelerometerLowPass.restart()
        rotationLowPass0.restart()
        rotationLowPass1.restart()
        rotationLowPass2.restart()
        rotatedBiasLowPass.restart()
        restGyroLowPass.restart()
        restAccelerometerLowPass.restart()
        restTime = 0
        resting = false
        quasiInertialSum = .zero
        accelerometerSum = .zero
        accelerometerCount = 0
        gyroscopeSum = .zero
        gyroscopeCount = 0
        pendingTime = 0
        biasPendingCorrection = .zero
        biasPendingTime = 0
        biasPendingRotation = Mat3d.diagonal(0)
        biasPendingCount = 0
    }

    /// One correction step over the `dt` seconds since the previous one: feeds the means of the
    /// accumulated samples to the low-pass filters, corrects the inclination, updates the bias.
    @usableFromInline
    mutating func correct(dt: Double) {
        if dt > 0 {
            accelerometerCoefficients.adapt(to: dt)
            restCoefficients.adapt(to: dt)
        }
        let inverseAccelerometerCount = 1 / accelerometerCount
        restAccelerometerLowPass.step(accelerometerSum * inverseAccelerometerCount, dt: dt, restCoefficients)
        restGyroLowPass.step(gyroscopeSum * (1 / gyroscopeCount), dt: dt, restCoefficients)
        let correction = correctInclination(quasiInertialSum * inverseAccelerometerCount, dt: dt)
        if dt > 0 && (settings.estimatesBiasAtRest || settings.estimatesBiasDuringMotion) {
            biasPendingCorrection = biasPendingCorrection + correction
            biasPendingTime += dt
            biasPendingRotation = biasPendingRotation + (inclinationQuaternion * gyroQuaternion).rotationMatrix
            biasPendingCount += 1
            if biasPendingTime >= Self.biasInterval {
                estimateBias(
                    correctionRate: biasPendingCorrection * (1 / biasPendingTime),
                    rotation: biasPendingRotation * (1 / biasPendingCount), dt: biasPendingTime)
                biasPendingCorrection = .zero
                biasPendingTime = 0
                biasPendingRotation = Mat3d.diagonal(0)
                biasPendingCount = 0
            }
        }
        quasiInertialSum = .zero
        accelerometerSum = .zero
        accelerometerCount = 0
        gyroscopeSum = .zero
        gyroscopeCount = 0
        pendingTime = 0
    }

    /// Strapdown integration of the bias-corrected rate `omega` (rad/s) over `dt` seconds.
    @usableFromInline
    mutating func integrate(_ omega: Vec3d, dt: Double) {
        let rate2 = omega.squaredLength
        guard dt > 0, rate2 > 1e-30 else { return }
        let rate = rate2.squareRoot()
        let half = rate * dt / 2
        let c: Double
        let s: Double  // sin(half) / rate
        if half < 0.1 {
            // Taylor series; per-step angles are small, and this avoids two libm calls per sample.
            let h2 = half * half
            c = 1 - h2 * (0.5 - h2 * (1.0 / 24 - h2 * (1.0 / 720)))
            s = dt / 2 * (1 - h2 * (1.0 / 6 - h2 * (1.0 / 120 - h2 * (1.0 / 5040))))
        } else {
            c = Double(_cosf(Float(half)))
            s = Double(_sinf(Float(half))) / rate
        }
        let step = Quatd(c, omega.x * s, omega.y * s, omega.z * s)
        gyroQuaternion = (gyroQuaternion * step).renormalized
    }

    /// Low-passes the mean accelerometer reading (already in the quasi-inertial frame) and rotates the
    /// inclination so that the result points up. Returns the correction's angles about the earth's x
    /// and y axes, radians, for the bias estimator.
    @usableFromInline
    mutating func correctInclination(_ quasiInertial: Vec3d, dt: Double) -> Vec3d {
        level(accelerometerLowPass.step(quasiInertial, dt: dt, accelerometerCoefficients))
    }

    /// Rotates the inclination so that `filtered` (the low-passed accelerometer, quasi-inertial frame) points up.
    /// Returns the correction's angles about the earth's x and y axes, radians.
    @usableFromInline
    mutating func level(_ filtered: Vec3d) -> Vec3d {
        let u = inclinationQuaternion.rotate(filtered)
        let n2 = u.squaredLength
        guard n2 > 1e-12, n2.isFinite else { return .zero }
        let n = n2.squareRoot()
        // The shortest rotation taking u onto +Z is ∝ (n + u.z, u.y, -u.x, 0), whose squared norm is
        // 2n(n + u.z); exactly opposite, it is 180° about x.
        let m2 = 2 * n * (n + u.z)
        let correction =
            m2 > 1e-12 * n2
            ? Quatd(n + u.z, u.y, -u.x, 0) * (1 / m2.squareRoot()) : Quatd(0, 1, 0, 0)
        inclinationQuaternion = (correction * inclinationQuaternion).renormalized
        aligned = true
        return Vec3d(-u.y / n, u.x / n, 0)
    }

    /// Kalman update of the gyroscope bias: at rest from the low-passed gyroscope, in motion from the
    /// correction rate (matched to the accelerometer's low-pass by filtering the rotation the same way).
    @usableFromInline
    mutating func estimateBias(correctionRate: Vec3d, rotation r: Mat3d, dt: Double) {
        biasCoefficients.adapt(to: dt)
        let rotatedBias = r * bias
        let k = biasCoefficients
        let rLp = Mat3d(
            rotationLowPass0.step(r.r0, dt: dt, k),
            rotationLowPass1.step(r.r1, dt: dt, k),
            rotationLowPass2.step(r.r2, dt: dt, k)
        )
        let rotatedBiasLp = rotatedBiasLowPass.step(Vec3d(rotatedBias.x, rotatedBias.y, 0), dt: dt, k)

        // The bias uncertainty grows by (0.1 deg/s)² per forgetting time, up to its initial value.
        let radians = Double.pi / 180
        let processNoise = square(0.1 * radians) * dt / max(settings.biasForgettingTime, 1e-9)
        if biasCovariance.r0.x < biasInitialVariance { biasCovariance.r0.x += processNoise }
        if biasCovariance.r1.y < biasInitialVariance { biasCovariance.r1.y += processNoise }
        if biasCovariance.r2.z < biasInitialVariance { biasCovariance.r2.z += processNoise }

        let h: Mat3d
        let error: Vec3d
        let noise: Vec3d
        if resting && settings.estimatesBiasAtRest {
            h = .diagonal(1)
            error = restGyroLowPass.output - bias
            let p = square(settings.restBiasUncertainty * radians)
            noise = Vec3d(p * p / processNoise + p, p * p / processNoise + p, p * p / processNoise + p)
        } else if settings.estimatesBiasDuringMotion && !resting {
            h = rLp
            let rb = rLp * bias
            error = Vec3d(
                correctionRate.x + rotatedBiasLp.x - rb.x,
                correctionRate.y + rotatedBiasLp.y - rb.y,
                -rb.z
            )
            let p = square(settings.motionBiasUncertainty * radians)
            let horizontal = p * p / processNoise + p
            noise = Vec3d(horizontal, horizontal, horizontal / max(settings.verticalBiasForgettingFactor, 1e-10))
        } else {
            return
        }
        let e = error.clamped(to: biasLimit)
        // K = P Hᵀ (W + H P Hᵀ)⁻¹;  b += K e;  P -= K H P
        let pht = biasCovariance * h.transposed
        var s = h * pht
        s.r0.x += noise.x
        s.r1.y += noise.y
        s.r2.z += noise.z
        guard let sInverse = s.inverse else { return }
        let gain = pht * sInverse
        bias = (bias + gain * e).clamped(to: biasLimit)
        biasCovariance = biasCovariance - gain * (h * biasCovariance)
    }
}

@inlinable func square(_ x: Double) -> Double { x * x }
