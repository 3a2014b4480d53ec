import LumbarCore
#if canImport(Glibc)
import Glibc
#endif

/// A hand-made session for the state machines' tests: a rigid leg swinging about the hip in the
/// earth frame (person facing +x, left +y, up +z) and a lumbar segment that may rotate, each sensor
/// strapped with its own mounting rotation. Gyroscope and accelerometer are derived from the poses
/// (angular velocity from consecutive orientations, specific force from the position's second
/// difference plus gravity), so they are consistent with the orientations handed to the analyzer.
struct KinematicSession {
    /// One rep of the leg: rotation `legDegrees` about the hip's axis (+y) by a minimum-jerk profile.
    struct Rep {
        var start: Double
        var concentric: Double = 1.0
        var hold: Double = 0.5
        var eccentric: Double = 1.2
        var legDegrees: Double = 80
        /// Peak lumbar rotation during the rep, degrees, about `lumbarAxis` (earth frame), in step with the leg.
        var lumbarDegrees: Double = 0
        var lumbarAxis: Vector3 = .unitY
        /// The leg comes back short of its start by this fraction of `legDegrees` and stays there until the
        /// next rep (which starts from there).
        var landsShort: Double = 0
        /// The shank tilting further on the way down (a straight-leg kick's knee bending as the hip lowers): a bump
        /// of this many degrees over the first half of the eccentric phase.
        var lowerOvershootDegrees: Double = 0
        /// The leg's rotation axis (earth frame, unit): the hip's (+y) for a rep; a repositioning's is tilted.
        var legAxis: Vector3 = .unitY
        var end: Double { start + concentric + hold + eccentric }
    }

    /// The leg from the hip to the ankle at rest, metres (back kick: thigh down, shank back on the floor).
    var legVector = SIMD3<Double>(-0.4, 0, -0.45)
    var rate: Double = 100
    var duration: Double = 20
    var reps: [Rep] = []
    var lumbarMounting = Quaternion(axis: Vector3(0.3, -0.5, 0.8), angle: 2.1)
    var ankleMounting = Quaternion(axis: Vector3(-0.7, 0.2, 0.4), angle: 1.3)
    /// The trunk changing posture (leaning onto a support, standing back up): from `start`, over `duration`, the
    /// lumbar segment turns `degrees` more about +y (minimum-jerk) and stays there.
    var lumbarLeans: [(start: Double, duration: Double, degrees: Double)] = []
    /// Extra ankle motions that are not reps: (start, duration, degrees) short swings.
    var taps: [(start: Double, duration: Double, degrees: Double)] = []
    /// The ankle strap slipping: from `start`, over `duration`, the sensor turns `degrees` more on the shank about
    /// the segment's +x axis (minimum-jerk) and stays there.
    var ankleSlips: [(start: Double, duration: Double, degrees: Double)] = []

    static func minimumJerk(_ s: Double) -> Double {
        let x = min(max(s, 0), 1)
        return x * x * x * (10 - 15 * x + 6 * x * x)
    }

    /// Leg angle (degrees) and lumbar angle (degrees, with its axis) at time t.
    func angles(at t: Double) -> (leg: Double, lumbar: Double, axis: Vector3) {
        angleAndLegAxis(at: t).angles
    }

    /// The leg's rotation axis at t (the rep's under way, else +y).
    func legAxis(at t: Double) -> Vector3 {
        angleAndLegAxis(at: t).legAxis
    }

    private func angleAndLegAxis(at t: Double) -> (angles: (leg: Double, lumbar: Double, axis: Vector3), legAxis: Vector3) {
        for r in reps where t >= r.start && t <= r.end && r.legAxis != .unitY { return (legAngles(at: t), r.legAxis) }
        return (legAngles(at: t), .unitY)
    }

    private func legAngles(at t: Double) -> (leg: Double, lumbar: Double, axis: Vector3) {
        // Where the leg rests: where the last finished rep put it back.
        var rest = 0.0
        for r in reps where r.end < t { rest = r.legDegrees * r.landsShort }
        for r in reps where t >= r.start && t <= r.end {
            var f: Double
            if t < r.start + r.concentric {
                f = Self.minimumJerk((t - r.start) / r.concentric)
            } else if t < r.start + r.concentric + r.hold {
                f = 1
            } else {
                let s = (t - r.start - r.concentric - r.hold) / r.eccentric
                f = 1 - (1 - r.landsShort) * Self.minimumJerk(s)
                let bump = r.lowerOvershootDegrees * sin(Double.pi * min(1, 2 * s))
                return (rest + (r.legDegrees - rest) * f + bump, r.lumbarDegrees * f, r.lumbarAxis)
            }
            return (rest + (r.legDegrees - rest) * f, r.lumbarDegrees * f, r.lumbarAxis)
        }
        if rest != 0 { return (rest, 0, .unitY) }
        for tap in taps where t >= tap.start && t <= tap.start + tap.duration {
            let s = (t - tap.start) / tap.duration
            let f = s < 0.5 ? Self.minimumJerk(2 * s) : 1 - Self.minimumJerk(2 * s - 1)
            return (tap.degrees * f, 0, .unitY)
        }
        return (0, 0, .unitY)
    }

    /// Ankle segment orientation and position, lumbar segment orientation at t.
    func pose(at t: Double) -> (ankle: Quaternion, anklePosition: SIMD3<Double>, lumbar: Quaternion) {
        let a = angles(at: t)
        let axis = legAxis(at: t)
        let legQ = Quaternion(axis: axis, angle: Float(a.leg * .pi / 180))
        let th = a.leg * .pi / 180
        let p: SIMD3<Double>
        if axis == .unitY {
            // Rotation about +y: (x, z) -> (x cos + z sin, -x sin + z cos).
            p = SIMD3<Double>(
                legVector.x * cos(th) + legVector.z * sin(th), legVector.y, -legVector.x * sin(th) + legVector.z * cos(th))
        } else {
            let v = legQ.rotate(Vector3(Float(legVector.x), Float(legVector.y), Float(legVector.z)))
            p = SIMD3<Double>(Double(v.x), Double(v.y), Double(v.z))
        }
        var lean = 0.0
        for l in lumbarLeans where t > l.start { lean += l.degrees * Self.minimumJerk((t - l.start) / l.duration) }
        let lumbarQ =
            Quaternion(axis: .unitY, angle: Float(lean * .pi / 180)) * Quaternion(axis: a.axis, angle: Float(a.lumbar * .pi / 180))
        var slip = 0.0
        for s in ankleSlips where t > s.start { slip += s.degrees * Self.minimumJerk((t - s.start) / s.duration) }
        let slipQ = Quaternion(axis: .unitX, angle: Float(slip * .pi / 180))
        return (legQ * slipQ * ankleMounting, p, lumbarQ * lumbarMounting)
    }

    /// The samples of both sensors in time order, with the true sensor orientations.
    func samples(ankle placement: SensorPlacement = .rightAnkle)
        -> [(placement: SensorPlacement, sample: ImuSample, orientation: Quaternion)]
    {
        var out: [(SensorPlacement, ImuSample, Quaternion)] = []
        let dt = 1 / rate
        let n = Int(duration * rate)
        for i in 0..<n {
            let t = Double(i) * dt
            let p0 = pose(at: t - dt)
            let p1 = pose(at: t)
            let p2 = pose(at: t + dt)
            let accWorld = (p2.anklePosition - 2 * p1.anklePosition + p0.anklePosition) / (dt * dt) / 9.80665
            let fAnkle = Vector3(Float(accWorld.x), Float(accWorld.y), Float(accWorld.z) + 1)
            out.append(
                (.lumbar, ImuSample(time: t, accelerometer: p1.lumbar.inverseRotate(.unitZ),
                                    gyroscope: Self.rate(p1.lumbar, p2.lumbar, dt)), p1.lumbar))
            out.append(
                (placement, ImuSample(time: t, accelerometer: p1.ankle.inverseRotate(fAnkle),
                                      gyroscope: Self.rate(p1.ankle, p2.ankle, dt)), p1.ankle))
        }
        return out
    }

    /// Body-frame angular velocity from two orientations dt apart, deg/s.
    static func rate(_ a: Quaternion, _ b: Quaternion, _ dt: Double) -> Vector3 {
        (a.conjugate * b).rotationVector * (Units.degreesPerRadian / Float(dt))
    }
}
