import LumbarCore

/// How a sensor is attached over one stretch of time: strapped to a site with a mounting, or in the
/// hand (picked up from one site and strapped to another, or back to the same one).
struct SensorAttachment: Sendable {
    enum Kind: Sendable {
        /// Strapped to `site`; `mounting` rotates sensor-frame vectors into the site's frame.
        case mounted(BodyModel.Site, DQuat)
        /// Carried by hand from one strap to another: position and orientation blend from the old strap's
        /// to the new one's (minimum-jerk), lifted by `lift` metres and turned by `wobbleAngle` about
        /// `wobbleAxis` (sensor frame) at the midpoint.
        case handled(from: BodyModel.Site, fromMounting: DQuat, to: BodyModel.Site, toMounting: DQuat,
                     lift: Double, wobbleAxis: DVec3, wobbleAngle: Double)
    }

    var start: Double
    var end: Double
    var kind: Kind
}

/// The true trajectory of one sensor: its attachments over time on the body model.
struct SensorTrajectory: Sendable {
    var model: BodyModel
    /// Sorted, contiguous, covering the whole session.
    var attachments: [SensorAttachment]

    /// The sensor's pose (sensor → earth orientation, position in m) at true time `t`.
    func pose(at t: Double) -> BodyModel.Pose {
        var i = attachments.count - 1
        while i > 0 && attachments[i].start > t { i -= 1 }
        let a = attachments[i]
        switch a.kind {
        case .mounted(let site, let mounting):
            let p = model.pose(of: site, at: t)
            return BodyModel.Pose(orientation: p.orientation * mounting, position: p.position)
        case .handled(let from, let fromMounting, let to, let toMounting, let lift, let axis, let wobble):
            let u = (t - a.start) / (a.end - a.start)
            let s = minimumJerk(u)
            let bump = minimumJerkBump(u)
            let pf = model.pose(of: from, at: t)
            let pt = model.pose(of: to, at: t)
            let q = DQuat.slerp(pf.orientation * fromMounting, pt.orientation * toMounting, s)
                * DQuat(unitAxis: axis, angle: wobble * bump)
            let p = pf.position + (pt.position - pf.position) * s + DVec3(0, 0, lift * bump)
            return BodyModel.Pose(orientation: q, position: p)
        }
    }

    /// Step of the central differences, s. Small enough for 40 Hz vibration (truncation error ~0.03 %),
    /// large enough that Double round-off stays below 1e-8 m/s².
    static let differenceStep = 0.00025

    /// True kinematics at `t`: orientation, body-frame angular velocity (rad/s) and specific force
    /// (m/s², sensor frame, `R⁻¹ (a − g)` with g = (0, 0, −9.80665)), from central differences of the pose.
    func kinematics(at t: Double) -> (orientation: DQuat, angularVelocity: DVec3, specificForce: DVec3) {
        let h = SensorTrajectory.differenceStep
        let before = pose(at: t - h)
        let now = pose(at: t)
        let after = pose(at: t + h)
        var qa = after.orientation
        if qa.dot(before.orientation) < 0 { qa = qa.negated }
        let omega = (before.orientation.conjugate * qa).rotationVector * (1 / (2 * h))
        let accel = (after.position - now.position * 2 + before.position) * (1 / (h * h))
        let f = now.orientation.inverseRotate(accel + DVec3(0, 0, Double(Units.standardGravity)))
        return (now.orientation, omega, f)
    }
}
