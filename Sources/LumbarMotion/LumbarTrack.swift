import LumbarCore

/// The lumbar sensor: its latest orientation, a short history (to take the orientation at a rep's
/// onset, which is only known once the leg has moved far enough), stillness and translational activity.
struct LumbarTrack: Sendable {
    private(set) var stillness = StillnessDetector()
    private(set) var orientation: Quaternion = .identity
    private(set) var lastTime: Double?
    /// Orientation history, 5 ms spacing, about 5 s.
    private(set) var history = TimedRing<Quaternion>(capacity: 1024, minimumSpacing: 0.005, filler: .identity)
    /// Running sum of |‖ā‖ − 1 g| over all samples, g, and their count: the mean over a rep tells
    /// walking (the pelvis accelerates with every step) from a rep (the pelvis stays put). ā is the
    /// accelerometer low-passed with a 0.1 s time constant, so that floor vibration (20–35 Hz) averages out
    /// while the 1–2 Hz of steps does not.
    private(set) var activitySumG: Double = 0
    private(set) var activityCount: Int = 0
    private var smoothedAcceleration: Vector3?
    /// The medio-lateral axis in the sensor frame, from breathing.
    private(set) var breathing = BreathingAxisEstimator()

    var isStill: Bool { stillness.stillSince != nil }

    /// When the samples last came back after a gap longer than `Settings.ankleGapDuration`, s.
    private(set) var lastGapEndTime: Double = -.infinity

    mutating func update(sample: ImuSample, orientation q: Quaternion, settings: MotionAnalyzer.Settings) {
        if let last = lastTime, sample.time - last > settings.ankleGapDuration { lastGapEndTime = sample.time }
        let dt = lastTime.map { max(0, min(sample.time - $0, 0.1)) } ?? 0
        lastTime = sample.time
        orientation = q
        let still = stillness.update(
            sample, gyroThresholdDps: settings.stillGyroDps, accelerationThresholdG: settings.stillAccelerationG)
        breathing.update(gyroscope: sample.gyroscope, dt: dt, still: still)
        history.append(time: sample.time, q)
        var a = smoothedAcceleration ?? sample.accelerometer
        a += (sample.accelerometer - a) * Float(dt / (0.1 + dt))
        smoothedAcceleration = a
        activitySumG += Double(abs(a.length - 1))
        activityCount += 1
    }
}
