/// Why a leg movement was not counted as a rep (the `reason` of a `rep_rejected` event, FORMATS.md §4).
public enum RepRejection: String, Sendable, Hashable, CaseIterable {
    /// Shorter than `Settings.minimumRepDuration`: a foot tap. Value: duration, s.
    case tooShort = "too_short"
    /// Smaller than the exercise profile's `minimumExcursion`: a weight shift, a fidget. Value: peak leg
    /// excursion, ° (or cm of ankle rise). Or an excursion that was all the ankle's rise with the shank turning less
    /// than `MotionAnalyzer.minimumShankTurnDegrees`: the rise drifting. Value: the shank's turn, °.
    case tooSmall = "too_small"
    /// The shank did not turn about one axis (`Settings.minimumPlanarity`): a sensor handled. Value:
    /// planarity, 0–1.
    case notAHinge = "not_a_hinge"
    /// The axis was far from horizontal: not the hip's flexion–extension axis. Value: the axis' angle from
    /// horizontal, °.
    case notAboutHipAxis = "not_about_hip_axis"
    /// The pelvis kept accelerating (`Settings.maximumLumbarActivityG`): walking. Value: mean lumbar
    /// |‖a‖ − 1 g|, g.
    case pelvisMoving = "pelvis_moving"
    /// The trunk turned more than 30°: standing up, lying down, turning round. Value: lumbar rotation, °.
    case postureChange = "posture_change"
    /// The other leg moved too: walking, repositioning. Value: the other leg's excursion, °.
    case bothLegsMoved = "both_legs_moved"
    /// The leg was repositioned (the knee slid forward and out and back): the shank turned the other way than
    /// this ankle's reps, about an axis tilted from horizontal by the abduction, with the back quiet. Value: the
    /// axis' angle from horizontal, °.
    case reposition = "reposition"
    /// The ankle came to rest inclined differently than it started (`Settings.maximumLandingTiltDegrees`), other
    /// than short of its start on the rep's own path: the sensor was re-strapped, or the movement began away from
    /// rest. Value: the change of inclination, or (a leg landing short about the rep's axis) its part about
    /// another axis or its part along, °.
    case sensorResettled = "sensor_resettled"
    /// The ankle's samples stopped mid-rep for longer than `Settings.ankleGapDuration` and than what can still be
    /// seen of the rep may outweigh (unplugged, a long radio gap): the rep is abandoned, since most of it was not
    /// seen. Value: the silence, s; limit: the longest silence it would have gone on through. Or a rep that went on
    /// through its gaps was, at its end, unseen longer than seen. Value: the time unseen, s; limit: the time seen.
    case ankleLost = "ankle_lost"
    /// The leg stayed away from its rest longer than a hold (`Settings.maximumHoldDuration`) or the movement
    /// outlasted `Settings.maximumRepDuration`: repositioned, not a rep. Value: the time, s.
    case notReturned = "not_returned"
    /// The leg's first movement from where it lay still took the ankle down, more than the rise's dead band
    /// (`AnkleTrack.riseDeadBand`) below it: a hip extension lifts the ankle first, so that was no rest but a rep's
    /// top, held (a hold taken for the rest), and this is its lowering. The rest is taken again where the leg lands.
    /// Also a rest taken after a gap in the ankle's samples that the leg's first stop leaves for the floor it rested on
    /// before the gap (`AnkleTrack.priorRestGravity`), whatever its rise says. Also a leg that set off right after a
    /// rep ended short of where it started (the rest taken in that rep's lowering) and lies still back at that rep's
    /// start: the rest of its lowering. Value: how far the ankle went down, cm (drift-corrected where it stopped; near
    /// 0, or far off, when the rise drifted on the way).
    case loweredFromTop = "lowered_from_top"

    /// The unit of the measured value of this reason.
    public var unit: String {
        switch self {
        case .tooShort, .ankleLost, .notReturned: "s"
        case .tooSmall, .notAboutHipAxis, .postureChange, .bothLegsMoved, .sensorResettled, .reposition: "deg"
        case .notAHinge: "ratio"
        case .pelvisMoving: "g"
        case .loweredFromTop: "cm"
        }
    }
}

/// A leg movement that began a rep candidate and was not counted (a `rep_rejected` event).
public struct RejectedMovement: Sendable, Hashable {
    public var leg: Leg
    /// When the leg left its rest and when the movement was given up, s (session clock).
    public var startTime: Double
    public var endTime: Double
    public var reason: RepRejection
    /// The measured value that decided it and the limit it crossed, in `reason.unit`.
    public var value: Float
    public var limit: Float

    public init(leg: Leg, startTime: Double, endTime: Double, reason: RepRejection, value: Float, limit: Float) {
        self.leg = leg
        self.startTime = startTime
        self.endTime = endTime
        self.reason = reason
        self.value = value
        self.limit = limit
    }
}
