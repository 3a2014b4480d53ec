/// Second-order Butterworth low-pass coefficients for one time step, from a time constant in seconds.
///
/// The same design as VQF's (Laidig & Seel 2023): cut-off `fc = √2 / (2π τ)`, bilinear transform, so
/// that `τ` is the time constant of the non-oscillating part of the step response. The coefficients are
/// recomputed when the time step changes by more than 0.1 %, which makes the filter's meaning
/// independent of the sample rate and robust to jitter. For `τ < dt/2` the filter passes its input through.
@usableFromInline
struct ButterworthCoefficients: Sendable {
    /// Time constant, seconds.
    @usableFromInline var tau: Double
    /// The time step these coefficients are for, seconds (0: none yet).
    @usableFromInline var dt: Double = 0
    @usableFromInline var b0: Double = 1
    @usableFromInline var a1: Double = 0
    @usableFromInline var a2: Double = 0
    /// The last step was over `OrientationFilter.lostSampleFactor` times `dt` and left the coefficients as they were.
    @usableFromInline var keptOverLongStep = false

    @inlinable init(tau: Double) { self.tau = tau }

    /// Makes the coefficients match the time step `dt` (seconds, > 0).
    ///
    /// Except for one step over `OrientationFilter.lostSampleFactor` times the last: samples were lost in it, and
    /// it is filtered as an ordinary step. The filter's state is only consistent with the coefficients it was run
    /// with. Switched for one step to a step 16 times longer and back (a 0.3 s burst lost at 104 Hz, corrections
    /// every 19 ms), the state was left 17 % off the new coefficients' steady state: the low-passed accelerometer
    /// dropped to 0.67 g and its direction raced toward the readings taken just after the burst (a kick's linear
    /// acceleration, gravity turned by the burst's gyroscope error) at 2-3° per correction, the shank's inclination
    /// 20-70° off for seconds while the leg lay still (TUNE seed 92 rep 18; seed 172 rep 15 landed 5.5° off).
    /// A second long step in a row is the sample rate changing: adapted to.
    @inlinable mutating func adapt(to dt: Double) {
        if abs(dt - self.dt) <= 1e-3 * self.dt {
            keptOverLongStep = false
            return
        }
        if self.dt > 0, dt > OrientationFilter.lostSampleFactor * self.dt, !keptOverLongStep {
            keptOverLongStep = true
            return
        }
        keptOverLongStep = false
        recompute(dt: dt)
    }

    /// Recomputes the coefficients for time step `dt` (seconds, > 0) and the current `tau`.
    @inlinable mutating func recompute(dt: Double) {
        self.dt = dt
        guard tau >= dt / 2 else {
            b0 = 1
            a1 = 0
            a2 = 0
            return
        }
        // tan(π fc dt) with π fc dt = dt / (√2 τ) ≤ 0.354: the odd series to x⁷ is exact to 1e-6 there.
        let x = dt / (2.0.squareRoot() * tau)
        let x2 = x * x
        let c = x * (1 + x2 * (1.0 / 3 + x2 * (2.0 / 15 + x2 * (17.0 / 315))))
        let d = 1 / (c * c + 2.0.squareRoot() * c + 1)
        b0 = c * c * d
        a1 = 2 * (c * c - 1) * d
        a2 = (1 - 2.0.squareRoot() * c + c * c) * d
    }
}

/// The state of a second-order low-pass filter on a `Vec3d` signal.
///
/// While it starts (for its first `τ` seconds) it outputs the running mean of its inputs and then
/// continues from that mean in steady state, so one early sample does not dominate and the output is
/// meaningful from the first sample on (VQF's initialisation).
@usableFromInline
struct LowPassVector: Sendable {
    @usableFromInline var s0 = Vec3d.zero
    @usableFromInline var s1 = Vec3d.zero
    /// True until the running-mean start-up phase is over.
    @usableFromInline var starting = true
    @usableFromInline var sum = Vec3d.zero
    @usableFromInline var count: Double = 0
    @usableFromInline var elapsed: Double = 0
    /// The last output.
    @usableFromInline var output = Vec3d.zero

    @inlinable init() {}

    /// Starts over with the running mean (after a gap in the data).
    @inlinable mutating func restart() { self = LowPassVector() }

    /// Puts the filter in steady state for a constant input `x`, as if it had read `x` for a long time (the
    /// inputs it holds are known to be wrong: `OrientationFilter.realignAfterBurst`). False, and nothing done, while
    /// it is still starting (its output is the running mean) or has no coefficients yet.
    @inlinable mutating func settle(at x: Vec3d, _ k: ButterworthCoefficients) -> Bool {
        guard !starting, k.dt > 0 else { return false }
        s0 = x * (1 - k.b0)
        s1 = x * (k.b0 - k.a2)
        output = x
        return true
    }

    /// Filters one input `x` taken `dt` seconds after the previous one, returning the output.
    @inlinable @inline(__always) @discardableResult
    mutating func step(_ x: Vec3d, dt: Double, _ k: ButterworthCoefficients) -> Vec3d {
        if starting {
            sum = sum + x
            count += 1
            elapsed += dt
            output = sum * (1 / count)
            if elapsed >= k.tau {
                starting = false
                // Steady state for a constant input equal to the mean (scipy's lfilter_zi).
                s0 = output * (1 - k.b0)
                s1 = output * (k.b0 - k.a2)
            }
            return output
        }
        let y = x * k.b0 + s0
        s0 = x * (2 * k.b0) - y * k.a1 + s1
        s1 = x * k.b0 - y * k.a2
        output = y
        return y
    }
}
