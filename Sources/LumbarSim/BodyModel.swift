import LumbarCore

/// The simulator's body: a pelvis/lumbar segment with two legs (thigh and shank, hip and knee hinges),
/// posed over time by a timeline of phases (still postures, posture transitions, reps, walking) with
/// overlays (breathing, sway, lumbar faults, foot taps, weight shifts, floor vibration).
///
/// Frames. Earth: X forward (where the person faces at the start), Y left, Z up. Each segment's frame
/// equals the pelvis's in the anatomical neutral (standing, legs straight): x cranial, y left, z dorsal.
/// On all fours and lying prone the pelvis frame equals the earth frame; standing it is the earth frame
/// rotated −90° about Y. The hip angle rotates the thigh about the pelvis's y axis (positive =
/// extension, the distal end moves dorsally), the knee angle rotates the shank about the thigh's y axis
/// (positive = flexion). Lumbar deviations are rotation vectors in the pelvis frame:
/// `(−axialRotation, +extension, −lateralFlexion)`, where axial rotation is positive when the pelvis's right
/// side moves dorsally and lateral flexion is positive when its cranial axis tips toward the right.
///
/// Kinematic coupling: the lumbar segment carries the rep's lumbar rotation, breathing, sway and weight
/// shifts; the moving leg hangs from the pelvis as rotated by the rep's lumbar motion (an arching pelvis
/// lifts the leg further); the supporting leg stays on the floor. Each sensor's readings are derived from
/// its own segment's trajectory, so every sensor is physically self-consistent.
struct BodyModel: Sendable {
    var body: BodyDimensions
    var phases: [Phase]
    var reps: [RepPlan]
    var footTaps: [FootTap]
    var weightShifts: [WeightShift]
    var vibrations: [VibrationBurst]
    var natural: NaturalMotion
    /// End of the session, s.
    var duration: Double
    /// Leg repositionings (not reps).
    var legShuffles: [LegShuffle] = []

    /// Where a sensor can be strapped.
    enum Site: Sendable, Hashable {
        case lumbar
        case ankle(Leg)

        init(_ p: SensorPlacement) {
            switch p {
            case .leftAnkle: self = .ankle(.left)
            case .rightAnkle: self = .ankle(.right)
            default: self = .lumbar
            }
        }
    }

    /// A pose of a rigid body: orientation (body → earth) and position of its origin, m.
    struct Pose: Sendable {
        var orientation: DQuat
        var position: DVec3
    }

    // MARK: - Site poses

    /// The pose of a sensor site at true time `t`.
    func pose(of site: Site, at t: Double) -> Pose {
        switch site {
        case .lumbar: lumbarPose(at: t)
        case .ankle(let leg): anklePose(leg, at: t)
        }
    }

    /// The lumbar segment (pelvis) as the lumbar sensor's strap sees it.
    func lumbarPose(at t: Double) -> Pose {
        let (b, rep) = basePose(at: t)
        var q = b.pelvis
        if let rep { q = q * DQuat(rotationVector: rep.lumbarRotationVector(at: t)) }
        q = q * DQuat(rotationVector: natural.rotationVector(at: t))
        var translation = DVec3.zero
        for s in weightShifts where t > s.start && t < s.end {
            let k = minimumJerkBump((t - s.start) / (s.end - s.start))
            q = q * DQuat.rx(s.rollRadians * k)
            translation += b.pelvis.rotate(DVec3(0, s.lateralMetres * k, 0))
        }
        let dorsal = body.lumbarSensorDorsalOffset + natural.breathingDisplacement(at: t)
        let p = b.pelvisPosition + translation + q.rotate(DVec3(0, 0, dorsal)) + vibration(at: t)
        return Pose(orientation: q, position: p)
    }

    /// The shank of `leg` at the ankle sensor's strap (lateral distal shank).
    func anklePose(_ leg: Leg, at t: Double) -> Pose {
        let (b, rep) = basePose(at: t)
        let side: Double = leg == .left ? 1 : -1
        var pelvis = b.pelvis
        if let rep, rep.leg == leg { pelvis = pelvis * DQuat(rotationVector: rep.lumbarRotationVector(at: t)) }
        let hip = b.pelvisPosition + pelvis.rotate(DVec3(-body.hipCaudalOffset, side * body.hipHalfWidth, 0))
        var hipAngle = b.hip(leg)
        var abduction = 0.0
        var kneeAngle = b.knee(leg)
        for s in legShuffles where s.leg == leg && t > s.start && t < s.end {
            let k = minimumJerkBump((t - s.start) / (s.end - s.start))
            hipAngle += s.hipRadians * k
            abduction += s.abductionRadians * k
            kneeAngle += s.kneeRadians * k
        }
        let thigh = abduction == 0 ? pelvis * DQuat.ry(hipAngle) : pelvis * DQuat.rz(-side * abduction) * DQuat.ry(hipAngle)
        let knee = hip + thigh.rotate(DVec3(-body.thighLength, 0, 0))
        var impact = DVec3.zero
        for tap in footTaps where tap.leg == leg && t > tap.start && t < tap.end {
            kneeAngle += tap.liftRadians * minimumJerkBump((t - tap.start) / tap.liftDuration)
            let tau = t - tap.start - tap.liftDuration * 0.9
            if tau > 0 && tau < tap.impactDuration {
                impact += DVec3(0, 0, tap.impactMetres * sinD(2 * .pi * tap.impactHz * tau)
                    * smoothBump(tau / tap.impactDuration))
            }
        }
        var shank = thigh * DQuat.ry(kneeAngle)
        for s in weightShifts where t > s.start && t < s.end {
            shank = DQuat.rz(side * s.shankYawRadians * minimumJerkBump((t - s.start) / (s.end - s.start))) * shank
        }
        let p = knee + shank.rotate(DVec3(-body.kneeToAnkleSensor, side * body.ankleSensorLateralOffset, 0))
            + impact + vibration(at: t)
        return Pose(orientation: shank, position: p)
    }

    /// Floor vibration displacement of every site, m.
    func vibration(at t: Double) -> DVec3 {
        var v = DVec3.zero
        for b in vibrations where t > b.start && t < b.end {
            v += b.displacement * (sinD(2 * .pi * b.hz * (t - b.start)) * smoothBump((t - b.start) / (b.end - b.start)))
        }
        return v
    }

    // MARK: - Timeline

    /// The joint-space pose of the timeline at `t`, and the rep in progress (if any).
    func basePose(at t: Double) -> (BasePose, RepPlan?) {
        let phase = phases[phaseIndex(at: t)]
        switch phase.kind {
        case .hold(let stance):
            return (BasePose.of(stance, body), nil)
        case .transition(let a, let b):
            let s = minimumJerk((t - phase.start) / (phase.end - phase.start))
            return (BasePose.blend(BasePose.of(a, body), BasePose.of(b, body), s), nil)
        case .rep(let i):
            let rep = reps[i]
            var pose = BasePose.of(.exercise(rep.posture), body)
            // From the posture's own hip angle (standing leaning on a support, the hip is flexed by the lean).
            pose.setHip(rep.leg, rep.hipStart + pose.hip(rep.leg) + rep.hipROM * rep.hipProgress(at: t))
            pose.setKnee(rep.leg, rep.kneeStart + (rep.kneeTop - rep.kneeStart) * rep.kneeProgress(at: t))
            return (pose, rep)
        case .walk(let w):
            return (w.pose(at: t, start: phase.start, end: phase.end, body: body), nil)
        }
    }

    /// Index of the phase containing `t` (the first for t < 0, the last past the end).
    func phaseIndex(at t: Double) -> Int {
        var lo = 0, hi = phases.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if phases[mid].start <= t { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}

/// How the body stands, lies or kneels while it is not doing a rep.
enum Stance: Sendable, Hashable {
    /// Standing upright: strapping the sensors on before getting into position, walking between sets.
    case upright
    /// The start posture of the exercise. Standing (the kickback, hands on a support), the trunk leans forward
    /// by `BodyDimensions.standingLeanDegrees` with the thighs vertical (the hips flexed by as much).
    case exercise(Posture)
}

/// One stretch of the timeline.
struct Phase: Sendable {
    enum Kind: Sendable {
        case hold(Stance)
        case transition(Stance, Stance)
        case rep(Int)
        case walk(WalkPlan)
    }

    var start: Double
    var end: Double
    var kind: Kind
}

/// Pelvis pose and joint angles (radians) of the whole body.
struct BasePose: Sendable {
    var pelvis: DQuat
    var pelvisPosition: DVec3
    var hipLeft: Double
    var hipRight: Double
    var kneeLeft: Double
    var kneeRight: Double

    func hip(_ leg: Leg) -> Double { leg == .left ? hipLeft : hipRight }
    func knee(_ leg: Leg) -> Double { leg == .left ? kneeLeft : kneeRight }
    mutating func setHip(_ leg: Leg, _ a: Double) { if leg == .left { hipLeft = a } else { hipRight = a } }
    mutating func setKnee(_ leg: Leg, _ a: Double) { if leg == .left { kneeLeft = a } else { kneeRight = a } }

    static func of(_ stance: Stance, _ body: BodyDimensions) -> BasePose {
        let posture: Posture
        switch stance {
        case .upright:
            return BasePose(
                pelvis: .ry(-.pi / 2), pelvisPosition: DVec3(0, 0, body.standingPelvisHeight),
                hipLeft: 0, hipRight: 0, kneeLeft: 0, kneeRight: 0)
        case .exercise(let p):
            posture = p
        }
        return switch posture {
        case .quadruped:
            BasePose(
                pelvis: .identity, pelvisPosition: DVec3(0, 0, body.quadrupedPelvisHeight),
                hipLeft: -.pi / 2, hipRight: -.pi / 2, kneeLeft: .pi / 2, kneeRight: .pi / 2)
        case .prone:
            BasePose(
                pelvis: .identity, pelvisPosition: DVec3(0, 0, body.pronePelvisHeight),
                hipLeft: 0, hipRight: 0, kneeLeft: 0, kneeRight: 0)
        case .standing:
            // Leaning forward about the hips: the pelvis turns, the thighs stay vertical.
            BasePose(
                pelvis: .ry(-.pi / 2 + body.standingLeanDegrees * .pi / 180),
                pelvisPosition: DVec3(0, 0, body.standingPelvisHeight),
                hipLeft: -body.standingLeanDegrees * .pi / 180, hipRight: -body.standingLeanDegrees * .pi / 180,
                kneeLeft: 0, kneeRight: 0)
        }
    }

    static func blend(_ a: BasePose, _ b: BasePose, _ s: Double) -> BasePose {
        func mix(_ x: Double, _ y: Double) -> Double { x + (y - x) * s }
        return BasePose(
            pelvis: DQuat.slerp(a.pelvis, b.pelvis, s),
            pelvisPosition: a.pelvisPosition + (b.pelvisPosition - a.pelvisPosition) * s,
            hipLeft: mix(a.hipLeft, b.hipLeft), hipRight: mix(a.hipRight, b.hipRight),
            kneeLeft: mix(a.kneeLeft, b.kneeLeft), kneeRight: mix(a.kneeRight, b.kneeRight))
    }
}

/// One rep as the body acts it out. Angles in radians, times in s of true session time.
struct RepPlan: Sendable {
    var number: Int
    var set: Int
    var leg: Leg
    var exercise: Exercise
    var posture: Posture
    var start: Double
    var concentricEnd: Double
    var holdEnd: Double
    var end: Double
    var hipStart: Double
    var hipROM: Double
    var kneeStart: Double
    var kneeTop: Double
    /// Fraction of the concentric phase by which the knee lags the hip (negative: the knee leads).
    var kneeLag: Double
    /// Fraction of the excursion (hip and knee) still left when the eccentric phase ends; it fades out over
    /// `settleSeconds` after `end` (the leg comes back near, not exactly, to where it started).
    var returnFraction: Double = 0
    var settleSeconds: Double = 0
    /// Acted faster than the prescribed tempo (truth for `too_fast`).
    var performedFast = false
    var fault: LumbarFaultScript?
    /// Pelvis-frame rotation vector of the fault at full progress, rad (rising-and-falling: its extension peak).
    var faultVector: DVec3
    /// Pelvis-frame rotation vector of a clean rep's natural lumbar motion at full progress, rad.
    var cleanVector: DVec3

    /// Moment of the leg's peak excursion: the middle of the hold.
    var peakTime: Double { (concentricEnd + holdEnd) / 2 }

    /// End of the rep's phase on the timeline: the eccentric end plus the settling of the residual excursion.
    var phaseEnd: Double { end + (returnFraction != 0 ? settleSeconds : 0) }

    /// Hip excursion progress 0 → 1 → `returnFraction` → 0: minimum jerk up, hold, minimum jerk down, then the
    /// residual fades out over `settleSeconds`.
    func hipProgress(at t: Double) -> Double {
        if t <= start || t >= phaseEnd { return 0 }
        if t < concentricEnd { return minimumJerk((t - start) / (concentricEnd - start)) }
        if t <= holdEnd { return 1 }
        if t < end { return 1 - (1 - returnFraction) * minimumJerk((t - holdEnd) / (end - holdEnd)) }
        return settling(at: t)
    }

    /// The residual excursion after `end`, fading to 0 (minimum jerk).
    private func settling(at t: Double) -> Double {
        returnFraction * (1 - minimumJerk((t - end) / max(settleSeconds, 1e-3)))
    }

    /// Knee progress: the knee's movement starts `kneeLag` of the concentric phase late, and on the way
    /// down finishes `kneeLag` of the eccentric phase early (the foot stays up while the knee bends). A
    /// negative lag makes the knee lead: it finishes `-kneeLag` early going up and starts late coming down.
    func kneeProgress(at t: Double) -> Double {
        if t <= start || t >= phaseEnd { return 0 }
        let r = returnFraction
        if t < concentricEnd {
            let c = concentricEnd - start
            if kneeLag >= 0 { return minimumJerk((t - start - kneeLag * c) / ((1 - kneeLag) * c)) }
            return minimumJerk((t - start) / ((1 + kneeLag) * c))
        }
        if t <= holdEnd { return 1 }
        if t < end {
            let e = end - holdEnd
            if kneeLag >= 0 { return 1 - (1 - r) * minimumJerk((t - holdEnd) / ((1 - kneeLag) * e)) }
            return 1 - (1 - r) * minimumJerk((t - holdEnd + kneeLag * e) / ((1 + kneeLag) * e))
        }
        return settling(at: t)
    }

    /// The lumbar segment's rotation caused by this rep, as a pelvis-frame rotation vector, rad.
    /// Faults grow with the leg's height (progress^1.5) and peak at the top; rising-and-falling swings
    /// into extension over the first half of the rep and into flexion over the second.
    func lumbarRotationVector(at t: Double) -> DVec3 {
        let g = max(0, hipProgress(at: t))
        var v = cleanVector * g
        if fault?.kind == .risingAndFalling {
            let w = minimumJerk((t - start) / (end - start))
            v += faultVector * sinD(2 * .pi * w)
        } else {
            v += faultVector * (g * g.squareRoot())
        }
        return v
    }
}

/// Walking a loop between sets: the pelvis follows a circle of `radius` (heading 0 → 2π, minimum-jerk
/// speed profile), legs swing alternately, the pelvis bobs, rolls and twists with the stride.
struct WalkPlan: Sendable {
    var radius: Double
    var strideHz: Double

    func pose(at t: Double, start: Double, end: Double, body: BodyDimensions) -> BasePose {
        var pose = BasePose.of(.upright, body)
        let u = (t - start) / (end - start)
        let heading = 2 * .pi * minimumJerk(u)
        let envelope = minimumJerk((t - start) / 1.0) * minimumJerk((end - t) / 1.0)
        let phi = 2 * .pi * strideHz * (t - start)
        pose.pelvisPosition = pose.pelvisPosition
            + DVec3(radius * sinD(heading), radius * (1 - cosD(heading)), envelope * 0.015 * cosD(2 * phi))
        pose.pelvis = DQuat.rz(heading) * pose.pelvis * DQuat.rx(envelope * 0.06 * sinD(phi))
            * DQuat.rz(envelope * 0.035 * sinD(phi))
        pose.hipLeft = envelope * (-0.15 + 0.35 * sinD(phi))
        pose.hipRight = envelope * (-0.15 - 0.35 * sinD(phi))
        pose.kneeLeft = envelope * 0.5 * (1 - cosD(phi))
        pose.kneeRight = envelope * 0.5 * (1 + cosD(phi))
        return pose
    }
}

/// Breathing and postural sway of the lumbar segment.
struct NaturalMotion: Sendable {
    var breathingHz: Double
    var breathingPhase: Double
    /// rad
    var breathingAmplitude: Double
    /// Per anatomical axis (pelvis x, y, z): three (amplitude rad, frequency Hz, phase rad) components.
    var sway: [(Double, Double, Double)]

    static let still = NaturalMotion(breathingHz: 0.25, breathingPhase: 0, breathingAmplitude: 0, sway: [])

    /// Pelvis-frame rotation vector, rad.
    func rotationVector(at t: Double) -> DVec3 {
        var v = DVec3(0, breathingAmplitude * sinD(2 * .pi * breathingHz * t + breathingPhase), 0)
        for (i, c) in sway.enumerated() {
            let a = c.0 * sinD(2 * .pi * c.1 * t + c.2)
            switch i / 3 {
            case 0: v.x += a
            case 1: v.y += a
            default: v.z += a
            }
        }
        return v
    }

    /// Dorsal displacement of the skin over the lumbar spine with breathing, m.
    func breathingDisplacement(at t: Double) -> Double {
        breathingAmplitude == 0 ? 0 : 0.002 * sinD(2 * .pi * breathingHz * t + breathingPhase + 0.4)
    }
}

/// The foot lifts a few degrees (knee flexion) and taps the floor (a short damped impact).
struct FootTap: Sendable {
    var leg: Leg
    var start: Double
    var liftDuration: Double
    var liftRadians: Double
    var impactDuration: Double
    var impactMetres: Double
    var impactHz: Double
    var end: Double { start + liftDuration * 0.9 + impactDuration }
}

/// Repositioning a leg (not a rep): the knee slides forward and sideways and back (hip flexion and
/// abduction, some knee bend), minimum-jerk bump, radians.
struct LegShuffle: Sendable {
    var leg: Leg
    var start: Double
    var end: Double
    /// Hip angle change at the bump's peak (negative: flexion), rad.
    var hipRadians: Double
    /// Abduction at the peak (the knee moves outward), rad.
    var abductionRadians: Double
    var kneeRadians: Double
}

/// The pelvis slides sideways and rolls, then comes back; the shanks pivot on the knees.
struct WeightShift: Sendable {
    var start: Double
    var end: Double
    var lateralMetres: Double
    var rollRadians: Double
    var shankYawRadians: Double
}

/// Floor vibration: every site moves by `displacement · sin(2π hz t)` under a smooth envelope.
struct VibrationBurst: Sendable {
    var start: Double
    var end: Double
    var hz: Double
    /// Peak displacement, m (earth frame).
    var displacement: DVec3
}
