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
    private var gyroSum: Vector3 = .zero
    private var gyroCount: Int = 0
    private var gyroSumStart: Double = 0

    /// Feeds one sample. - Returns: true when the sensor is still at this sample.
    mutating func update(_ sample: ImuSample, gyroThresholdDps: Float, accelerationThresholdG: Float) -> Bool {
        let dt = lastTime.map { max(0, min(sample.time - $0, 0.5)) } ?? 0
        lastTime = sample.time
        let alpha = Float(dt / (Self.timeConstant + dt))
        let speed = (sample.gyroscope - biasDps).length
        let accDev = abs(sample.accelerometer.length - 1)
        if dt == 0 && stillSince == nil && gyroCount == 0 {
            angularSpeedDps = speed
            accelerationDeviationG = accDev
        } else {
            angularSpeedDps += alpha * (speed - angularSpeedDps)
            accelerationDeviationG += alpha * (accDev - accelerationDeviationG)
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
                gyroSum = .zero
                gyroCount = 0
                gyroSumStart = sample.time
            }
            gyroSum += sample.gyroscope
            gyroCount += 1
            // Refresh the bias from each full second of stillness, then start a new window.
            if sample.time - gyroSumStart >= 1.0, gyroCount >= 20 {
                let mean = gyroSum / Float(gyroCount)
                if mean.length < gyroThresholdDps { biasDps = mean }
                gyroSum = .zero
                gyroCount = 0
                gyroSumStart = sample.time
            }
        } else {
            stillSince = nil
        }
        return still
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
