import LumbarCore

/// What really happened in a simulated session. Times are true session time, s (see `SessionScript`);
/// convert to a sensor's clock with `SimulatedSensor.deviceTime(atTrueTime:)`.
public struct SessionTruth: Sendable {
    /// Every rep, in order.
    public var reps: [RepTruth]
    /// Every set, in order.
    public var sets: [SetTruth]
    /// Every nuisance (foot taps, weight shifts, vibration, walks, sensor moves and pick-ups), by start time.
    public var nuisances: [NuisanceTruth]
    /// Still periods in the exercise posture long enough to calibrate in (the start posture and the end of
    /// every rest between sets). Breathing and sway continue during them.
    public var stillPeriods: [SimulatedInterval]
    /// The prelude's upright still period (standing after strapping the sensors on), if the script has a prelude.
    public var uprightPeriod: SimulatedInterval?
    /// End of the session, s.
    public var duration: Double
}

/// The truth of one set.
public struct SetTruth: Sendable, Hashable {
    /// 1-based.
    public var set: Int
    /// The leg of its first rep.
    public var leg: Leg
    public var repCount: Int
    /// Start of its first rep and end of its last, s.
    public var start: Double
    public var end: Double
}

/// Something besides a rep.
public struct NuisanceTruth: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case footTap = "foot_tap"
        case weightShift = "weight_shift"
        case vibration
        case walk
        /// The single ankle sensor moved to the other ankle.
        case sensorMoved = "sensor_moved"
        /// A sensor picked up, turned in the hand and strapped back.
        case sensorPickedUp = "sensor_picked_up"
        /// A leg repositioned (knee slid forward and outward and back): not a rep.
        case reposition
    }

    public var kind: Kind
    public var start: Double
    public var end: Double
    /// The leg involved (foot taps).
    public var leg: Leg?
    /// Index into `SimulatedSession.sensors` of the sensor handled.
    public var sensorIndex: Int?
}

/// The truth of one rep.
public struct RepTruth: Sendable {
    /// 1-based number in the session.
    public var rep: Int
    /// 1-based set number.
    public var set: Int
    public var leg: Leg
    public var exercise: Exercise
    /// Start of the concentric phase, s.
    public var startTime: Double
    /// End of the concentric phase (the leg reaches the top), s.
    public var concentricEndTime: Double
    /// Middle of the hold: the leg's peak excursion, s.
    public var peakTime: Double
    /// End of the hold, start of the eccentric phase, s.
    public var eccentricStartTime: Double
    /// End of the eccentric phase, s.
    public var endTime: Double
    /// The fault acted out (nil: a clean rep).
    public var fault: LumbarFaultScript?
    /// The hip's excursion, degrees.
    public var hipROMDegrees: Double
    /// Peak rotation of the ankle segment (shank) from its rep-start orientation, degrees.
    public var legROMDegrees: Double
    /// Peak angular speed of the ankle segment, deg/s.
    public var peakLegAngularVelocityDps: Double
    /// Largest total rotation of the lumbar segment from its rep-start orientation, degrees.
    public var lumbarPeakDeviationDegrees: Double
    /// When that largest deviation occurs, s.
    public var lumbarPeakTime: Double
    /// The largest-magnitude signed components over the rep, degrees (see `LumbarDeviation`).
    public var lumbarPeakExtensionDegrees: Double
    public var lumbarPeakLateralDegrees: Double
    public var lumbarPeakRotationDegrees: Double
    /// First moment the total deviation reaches 5°, s (nil when it never does). Precision 0.1 ms.
    public var crossing5DegreesTime: Double?
    /// The deviation trajectory from `startTime` to `endTime`, every 5 ms.
    public var deviation: [LumbarDeviation]
    /// Acted faster than the prescribed tempo (the truth of `too_fast`).
    public var performedFast: Bool = false

    /// Concentric duration, s.
    public var concentricDuration: Double { concentricEndTime - startTime }
    /// Hold duration, s.
    public var holdDuration: Double { eccentricStartTime - concentricEndTime }
    /// Eccentric duration, s.
    public var eccentricDuration: Double { endTime - eccentricStartTime }
    /// True when a fault was acted out (its peak is 7–15° in the presets; clean reps stay under 2.5°).
    public var isFaulty: Bool { fault != nil }
}

/// The lumbar segment's rotation from a reference orientation (the rep's start), at one moment.
///
/// Components are the rotation vector of `reference⁻¹ · now`, in the reference pelvis frame, degrees:
/// extension about the medio-lateral axis (positive = extension/arching, negative = flexion); lateral flexion
/// about the dorsal axis (positive = toward the right); axial rotation about the spine's long axis (positive =
/// the right side of the pelvis moves dorsally: in quadruped the right hip rises). `total` is the rotation
/// angle (the vector's length).
public struct LumbarDeviation: Sendable, Hashable {
    /// True session time, s.
    public var time: Double
    public var totalDegrees: Double
    public var extensionDegrees: Double
    public var lateralDegrees: Double
    public var rotationDegrees: Double
}

extension BodyModel {
    /// The lumbar segment's deviation at `t` from its orientation at `reference`.
    func lumbarDeviation(at t: Double, reference: Double) -> LumbarDeviation {
        let q0 = lumbarPose(at: reference).orientation
        return lumbarDeviation(at: t, from: q0)
    }

    func lumbarDeviation(at t: Double, from q0: DQuat) -> LumbarDeviation {
        let v = (q0.conjugate * lumbarPose(at: t).orientation).rotationVector
        let k = 180 / Double.pi
        return LumbarDeviation(
            time: t, totalDegrees: v.length * k, extensionDegrees: v.y * k, lateralDegrees: -v.z * k,
            rotationDegrees: -v.x * k)
    }

    /// The first time in `start...end` at which the lumbar deviation from its orientation at `start` reaches
    /// `degrees` (nil if it never does): a 1 ms scan, then bisection to 0.05 ms.
    func crossingTime(from start: Double, to end: Double, degrees: Double) -> Double? {
        let q0 = lumbarPose(at: start).orientation
        var previous = start
        var t = start
        while t <= end {
            if lumbarDeviation(at: t, from: q0).totalDegrees >= degrees {
                return refineCrossing(below: previous, above: t, from: q0, degrees: degrees)
            }
            previous = t
            t += 0.001
        }
        return nil
    }

    /// Bisection between a time below `degrees` of deviation and one at or above it, to 0.05 ms.
    func refineCrossing(below: Double, above: Double, from q0: DQuat, degrees: Double) -> Double {
        var lo = below, hi = above
        while hi - lo > 0.00005 {
            let m = (lo + hi) / 2
            if lumbarDeviation(at: m, from: q0).totalDegrees >= degrees { hi = m } else { lo = m }
        }
        return hi
    }

    /// The truth of every rep, from the model at 2.5 ms resolution (crossings refined to 0.05 ms).
    func repTruths() -> [RepTruth] {
        reps.map { rep in
            let q0 = lumbarPose(at: rep.start).orientation
            let s0 = anklePose(rep.leg, at: rep.start).orientation
            var peak = LumbarDeviation(time: rep.start, totalDegrees: 0, extensionDegrees: 0, lateralDegrees: 0, rotationDegrees: 0)
            var ext = 0.0, lat = 0.0, rot = 0.0
            var legROM = 0.0, legSpeed = 0.0
            var crossing: Double?
            var trajectory: [LumbarDeviation] = []
            let step = 0.0025
            let count = Int(((rep.end - rep.start) / step).rounded(.up))
            var previous = s0
            var previousTime = rep.start
            for i in 0...count {
                let t = min(rep.end, rep.start + Double(i) * step)
                let d = lumbarDeviation(at: t, from: q0)
                if d.totalDegrees > peak.totalDegrees { peak = d }
                if abs(d.extensionDegrees) > abs(ext) { ext = d.extensionDegrees }
                if abs(d.lateralDegrees) > abs(lat) { lat = d.lateralDegrees }
                if abs(d.rotationDegrees) > abs(rot) { rot = d.rotationDegrees }
                if crossing == nil && d.totalDegrees >= 5 {
                    crossing = refineCrossing(below: previousTime, above: t, from: q0, degrees: 5)
                }
                if i % 2 == 0 { trajectory.append(d) }
                let s = anklePose(rep.leg, at: t).orientation
                legROM = max(legROM, (s0.conjugate * s).angle)
                if i > 0 { legSpeed = max(legSpeed, (previous.conjugate * s).angle / (t - previousTime)) }
                previous = s
                previousTime = t
            }
            let k = 180 / Double.pi
            return RepTruth(
                rep: rep.number, set: rep.set, leg: rep.leg, exercise: rep.exercise, startTime: rep.start,
                concentricEndTime: rep.concentricEnd, peakTime: rep.peakTime, eccentricStartTime: rep.holdEnd,
                endTime: rep.end, fault: rep.fault, hipROMDegrees: rep.hipROM * k, legROMDegrees: legROM * k,
                peakLegAngularVelocityDps: legSpeed * k, lumbarPeakDeviationDegrees: peak.totalDegrees,
                lumbarPeakTime: peak.time, lumbarPeakExtensionDegrees: ext, lumbarPeakLateralDegrees: lat,
                lumbarPeakRotationDegrees: rot, crossing5DegreesTime: crossing, deviation: trajectory,
                performedFast: rep.performedFast)
        }
    }
}
