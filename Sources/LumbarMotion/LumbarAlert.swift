import LumbarCore

/// The lumbar movement detector of one rep: deviation of the lumbar orientation from its orientation
/// at the rep's start, `lumbar_moved` once it stays above the threshold for the minimum duration,
/// `lumbar_settled` once it stays below the hysteresis level as long; peaks for the rep's metrics.
struct LumbarAlert: Sendable {
    enum Step: Sendable, Equatable {
        case none
        case moved(deviationDegrees: Float, direction: LumbarDirection, evidence: DirectionEvidence)
        case settled(deviationDegrees: Float)
    }

    /// The lumbar orientation at the rep's start.
    let reference: Quaternion
    /// The lumbar orientation before the leg set off, which the alert is judged against (see `init`).
    let alertReference: Quaternion
    private(set) var deviationDegrees: Float = 0
    /// The deviation from `alertReference`, degrees.
    private(set) var alertDeviationDegrees: Float = 0
    private(set) var components: LumbarComponents = .zero
    private(set) var maximumDeviationDegrees: Float = 0
    /// The signed extreme (largest magnitude) of each component over the rep.
    private(set) var peakComponents: LumbarComponents = .zero
    /// The largest extension (≥ 0) and the largest flexion (≤ 0) over the rep, degrees: rising and falling goes
    /// both ways, and the signed extreme alone names only the larger.
    private(set) var extensionRange: (flexion: Float, extension: Float) = (0, 0)
    /// True while alerting (between `lumbar_moved` and `lumbar_settled`).
    private(set) var isAlerting = false
    /// True once `lumbar_moved` fired in this rep.
    private(set) var fired = false
    /// When `lumbar_moved` first fired, s (nil before).
    private(set) var firedTime: Double?
    private var aboveSince: Double?
    private var belowSince: Double?
    /// The previous sample's time and deviation (s, degrees): where between two samples the threshold was crossed.
    private var previous: (time: Double, deviation: Float)?
    /// How fast the deviation changes, degrees/s, low-passed over `rateTimeConstant` (per-sample differences at
    /// 1000 Hz are mostly noise): a trunk turning to stand up or get down grows it at tens of degrees a second.
    private(set) var deviationRate: Float = 0
    private var rateSample: (time: Double, deviation: Float)?
    static let rateTimeConstant: Double = 0.05

    /// `reference`: the lumbar orientation at the rep's start (its metrics, the rep's acceptance, the live view);
    /// `alertReference`: the one before the leg set off (default: the same). A slow lift's onset is found late, when
    /// a slow pelvic fault has already moved the back part of the way: judged from there, the alert came late.
    init(reference: Quaternion, alertReference: Quaternion? = nil) {
        self.reference = reference
        self.alertReference = alertReference ?? reference
    }

    /// Takes the deviation's past since the reference from the lumbar `history` (orientations every 5 ms or
    /// so): when the leg's onset is found late (a slow lift), a back that moved in the meantime has been above
    /// `threshold` since it crossed it, and is alerted at the candidate's first lumbar sample rather than
    /// `minimumAlertDuration` later. Peaks are not taken from it (the rep's metrics stay the samples').
    mutating func recall(_ history: TimedRing<Quaternion>, after start: Double, threshold: Float) {
        var i = history.count
        while i > 0 && history.time(at: i - 1) > start { i -= 1 }
        while i < history.count {
            let deviation = ((history.value(at: i) * alertReference.conjugate).rotationVector * Units.degreesPerRadian).length
            _ = noteAbove(time: history.time(at: i), deviation: deviation, threshold: threshold)
            i += 1
        }
    }

    /// Notes the deviation at `t` against `threshold`: returns since when it has been above (crossed linearly
    /// between the last sample below and this one: at 25 Hz, or after a run of lost samples, waiting for a second
    /// sample above added a whole sample period to the alert's latency), nil when it is not above.
    private mutating func noteAbove(time t: Double, deviation: Float, threshold: Float) -> Double? {
        let before = previous
        previous = (t, deviation)
        guard deviation > threshold else {
            aboveSince = nil
            return nil
        }
        if aboveSince == nil {
            aboveSince = t
            if let b = before, b.deviation <= threshold {
                aboveSince = b.time + Double((threshold - b.deviation) / (deviation - b.deviation)) * (t - b.time)
            }
        }
        return aboveSince
    }

    /// Takes over the `lumbar_moved` of `earlier`, the alert of a candidate given up for this one, when it fired at or
    /// after `time` (s, when this rep's leg set off): said while that candidate was open, it was this rep's back that
    /// moved (see `MotionAnalyzer.handOver`). Said once: this alert goes on from there (alerting, or settled).
    mutating func takeOver(_ earlier: LumbarAlert, firedSince time: Double) {
        guard !fired, let firedAt = earlier.firedTime, firedAt >= time else { return }
        fired = true
        firedTime = firedAt
        isAlerting = earlier.isAlerting
        belowSince = nil
    }

    /// `leg`: the lifted leg (names an axial rotation when the frame's sign is not known).
    mutating func update(
        time t: Double, orientation q: Quaternion, frame: AnatomicalFrame, leg: Leg, profile: ExerciseProfile
    ) -> Step {
        // The rotation since the rep start, in the earth frame: q = delta ⊗ reference.
        let r = (q * reference.conjugate).rotationVector * Units.degreesPerRadian
        deviationDegrees = r.length
        if let last = rateSample, t > last.time {
            let dt = t - last.time
            let rate = (deviationDegrees - last.deviation) / Float(dt)
            deviationRate += (rate - deviationRate) * Float(dt / (Self.rateTimeConstant + dt))
        }
        rateSample = (t, deviationDegrees)
        components = frame.components(of: r)
        if deviationDegrees > maximumDeviationDegrees { maximumDeviationDegrees = deviationDegrees }
        if abs(components.extension_) > abs(peakComponents.extension_) { peakComponents.extension_ = components.extension_ }
        extensionRange.extension = max(extensionRange.extension, components.extension_)
        extensionRange.flexion = min(extensionRange.flexion, components.extension_)
        if abs(components.lateral) > abs(peakComponents.lateral) { peakComponents.lateral = components.lateral }
        if abs(components.rotation) > abs(peakComponents.rotation) { peakComponents.rotation = components.rotation }

        alertDeviationDegrees = alertReference == reference
            ? deviationDegrees : ((q * alertReference.conjugate).rotationVector * Units.degreesPerRadian).length
        if !isAlerting {
            guard let since = noteAbove(time: t, deviation: alertDeviationDegrees, threshold: profile.lumbarThresholdDegrees)
            else { return .none }
            guard t - since >= profile.minimumAlertDuration - 1e-6 else { return .none }
            isAlerting = true
            fired = true
            if firedTime == nil { firedTime = t }
            belowSince = nil
            let (direction, evidence) = frame.direction(of: components)
            return .moved(deviationDegrees: alertDeviationDegrees, direction: direction, evidence: evidence)
        }
        previous = (t, alertDeviationDegrees)
        guard alertDeviationDegrees < profile.lumbarHysteresisDegrees else {
            belowSince = nil
            return .none
        }
        let since = belowSince ?? t
        belowSince = since
        guard t - since >= profile.minimumAlertDuration - 1e-6 else { return .none }
        isAlerting = false
        aboveSince = nil
        return .settled(deviationDegrees: alertDeviationDegrees)
    }
}
