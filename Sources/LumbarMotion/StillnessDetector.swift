import LumbarCore

/// Decides from one sensor's raw samples whether it is still, and estimates its gyroscope bias
/// over still periods. Rate independent: the smoothing is a time constant, not a sample count.
struct StillnessDetector: Sendable {
    /// Smoothing time constant of the motion measures, s.
    static let timeConstant: Double = 0.05

    /// Smoothed angular speed with the bias removed, deg/s.
    private(set) var angularSpeedDps: Float = 0
    /// Smoothed |‖a‖ − 1 g|, g.
    private(set) var accelerationDeviationG: Float = 0
    /// Gyroscope bias estimated over the last still second, deg/s.
    private(set) var biasDps: Vector3 = .zero
    /// Start of the current still period, s; nil while moving.
    private(set) var stillSince: Double?
    /// Start of the current period without rotation (angular speed alone; floor vibration does not
    /// interrupt it), s; nil while turning.
    private(set) var notTurningSince: Double?
    private var lastTime: Double?
    /// The current still window, whose mean rate becomes the bias when it is full.
    private var stillWindow = BiasWindow()
    /// The accelerometer, smoothed like the motion measures (`timeConstant`), g: gravity's direction in the sensor frame
    /// while the sensor does not accelerate.
    private var smoothedAccelerometer: Vector3 = .zero
    /// The current window of samples read as turning (none of them still), `smoothedAccelerometer` at its start, and
    /// whether the accelerometer stayed within the stillness threshold in it.
    private var turningWindow = BiasWindow()
    private var turningStartAccelerometer: Vector3 = .zero
    private var turningAccelerationQuiet = true

    /// The bias is refreshed over still seconds, and the stillness threshold (`Settings.stillGyroDps`, 6 deg/s) lets in a
    /// slow turn of the sensor (a leg lifted or lowered over 3-4 s turns 3-6 deg/s): its rate is then taken for the bias.
    /// Held still afterwards, the sensor reads that rate the other way, and past the threshold it is never still again,
    /// so the bias is never taken back (TUNE seed 125 rep 6, a back kick lifted over 3.1 s: 5.1 deg/s taken for the bias
    /// in the lift, the hold at the top read 6.3 deg/s, the rep neither stopped at its top nor landed, ran on into rep 7's
    /// lift, and reps 7 and 8 were not counted). A second read as turning while gravity, as the accelerometer sees it,
    /// stayed within this angle (and the accelerometer within the stillness threshold) is a sensor lying still, and its
    /// mean rate is the bias, degrees: a leg turning at the threshold tilts gravity 6 degrees in that second; the
    /// accelerometer's noise, smoothed, moves it a few hundredths.
    static let unturnedGravityDegrees: Float = 0.5
    /// ... when the rate read, bias removed, would have tilted gravity at least this many times as much in that second
    /// (its part across gravity): a turn about the vertical leaves gravity where it was and says nothing of the bias.
    static let unturnedGravityFactor: Float = 4

    /// Feeds one sample. - Returns: true when the sensor is still at this sample.
    mutating func update(_ sample: ImuSample, gyroThresholdDps: Float, accelerationThresholdG: Float) -> Bool {
        let dt = lastTime.map { max(0, min(sample.time - $0, 0.5)) } ?? 0
        lastTime = sample.time
        let alpha = Float(dt / (Self.timeConstant + dt))
        let speed = (sample.gyroscope - biasDps).length
        let accDev = abs(sample.accelerometer.length - 1)
        if dt == 0 && stillSince == nil && stillWindow.isEmpty {
            angularSpeedDps = speed
            accelerationDeviationG = accDev
            smoothedAccelerometer = sample.accelerometer
        } else {
            angularSpeedDps += alpha * (speed - angularSpeedDps)
            accelerationDeviationG += alpha * (accDev - accelerationDeviationG)
            smoothedAccelerometer += (sample.accelerometer - smoothedAccelerometer) * alpha
        }
        if angularSpeedDps < gyroThresholdDps {
            if notTurningSince == nil { notTurningSince = sample.time }
        } else {
            notTurningSince = nil
        }
        let still = angularSpeedDps < gyroThresholdDps && accelerationDeviationG < accelerationThresholdG
        if still {
            if stillSince == nil {
                stillSince = sample.time
                stillWindow.restart(at: sample.time)
            }
            stillWindow.add(sample.gyroscope)
            // Refresh the bias from each full second of stillness, then start a new window.
            if stillWindow.isFull(at: sample.time) {
                let mean = stillWindow.meanDps
                if mean.length < gyroThresholdDps { biasDps = mean }
                stillWindow.restart(at: sample.time)
            }
        } else {
            stillSince = nil
        }
        noteTurning(sample, still: still, accelerationThresholdG: accelerationThresholdG)
        return still
    }

    /// Takes the bias from a second of samples read as turning while gravity stayed put (`unturnedGravityDegrees`): the
    /// gyroscope's offset, not the sensor, was turning.
    private mutating func noteTurning(_ sample: ImuSample, still: Bool, accelerationThresholdG: Float) {
        if still || turningWindow.isEmpty {
            turningWindow.restart(at: sample.time)
            turningStartAccelerometer = smoothedAccelerometer
            turningAccelerationQuiet = true
            if still { return }
        }
        turningWindow.add(sample.gyroscope)
        if accelerationDeviationG >= accelerationThresholdG { turningAccelerationQuiet = false }
        guard turningWindow.isFull(at: sample.time) else { return }
        let mean = turningWindow.meanDps
        if turningAccelerationQuiet, let start = turningStartAccelerometer.normalized,
            let end = smoothedAccelerometer.normalized
        {
            let tilt = start.angle(to: end).radiansToDegrees
            // What the rate, bias removed, would have turned gravity by: the turn the sensor reads.
            let across = (mean - biasDps).cross(end).length * Float(turningWindow.duration(at: sample.time))
            if tilt < Self.unturnedGravityDegrees && across >= Self.unturnedGravityFactor * Self.unturnedGravityDegrees {
                biasDps = mean
            }
        }
        turningWindow.restart(at: sample.time)
    }

    /// Forgets the current still and not-turning periods (after a gap in the samples: the sensor may have
    /// moved meanwhile); the bias estimate stays.
    mutating func forgetPeriods() {
        stillSince = nil
        notTurningSince = nil
    }

    /// How long the sensor has not been turning at time `t`, s (0 while turning).
    func notTurningDuration(at t: Double) -> Double {
        guard let s = notTurningSince else { return 0 }
        return max(0, t - s)
    }

    /// How long the sensor has been still at time `t`, s (0 while moving).
    func stillDuration(at t: Double) -> Double {
        guard let s = stillSince else { return 0 }
        return max(0, t - s)
    }
}
