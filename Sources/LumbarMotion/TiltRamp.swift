import LumbarCore

/// The shank's inclination while the leg lies at rest, kept to date back a lift that crept up too slowly for the
/// gyroscope (`AnkleTrack.Candidate.onsetTime`).
///
/// A lift slower than the stillness threshold (6 deg/s) is "not turning" for its first second or more, and the rest
/// posture follows the leg while it is (`AnkleTrack.restFollowsLeg(to:)`): a candidate begins only once the leg is
/// `AnkleTrack.onsetLevel` from where the rest got to, 1-2.5 s into a 3-4 s lift. Its inclination, though, has been
/// changing steadily, one way, since the leg set off: the start of that ramp is when the lift began. A shank that
/// turns without tilting (before many fast reps it turns 1-4 deg/s about its own axis) makes no ramp.
struct TiltRamp: Sendable {
    /// One moment of rest: gravity's direction in the sensor frame, and whether the gyroscope said the leg was turning.
    private struct Moment: Sendable {
        var gravity: Vector3
        var turning: Bool
    }

    /// The last 6 s of rest, every 10 ms.
    private var moments = TimedRing<Moment>(
        capacity: 600, minimumSpacing: 0.01, filler: Moment(gravity: .unitZ, turning: false))

    /// How far back the inclination may turn toward where it is now before the ramp is over (the leg came from the
    /// other way: a landing settling, not this lift), degrees.
    static let reversalDegrees: Float = 0.3
    /// The ramp is over where its inclination had not changed by `flatDegrees` over `flatDuration`: the leg lay still
    /// before it (resting noise: an inclination within 0.1-0.2 deg). A 0.5 deg/s creep changes it by 0.25 deg in 0.5 s.
    static let flatDegrees: Float = 0.25
    static let flatDuration: Double = 0.5

    /// Notes the shank's inclination (gravity in the sensor frame) at session time `t`, s, while the leg is at rest,
    /// and whether it was turning (faster than the stillness threshold) then.
    mutating func note(_ g: Vector3, turning: Bool, at t: Double) {
        moments.append(time: t, Moment(gravity: g, turning: turning))
    }

    /// Forgets every inclination noted (after a gap: the filter restarts its inclination).
    mutating func forget() {
        moments.removeAll()
    }

    /// When the leg set off on a steady, one-way change of inclination that brought it to `now` (gravity in the sensor
    /// frame) without turning faster than the stillness threshold before `onset` (from there on, the lift itself,
    /// speeding up and maybe slowing again), no earlier than `earliest`, s, and how far it turned on it before `onset`,
    /// degrees; nil when it lay still right before `onset`.
    func start(reaching now: Vector3, notBefore earliest: Double, onset: Double)
        -> (time: Double, degreesBeforeOnset: Float, gravity: Vector3)?
    {
        guard moments.count > 1 else { return nil }
        // Walking back from now: the angle to `now` grows along the ramp and stays (within noise) once the leg is at rest.
        var peak: Float = 0
        var peakIndex = moments.count - 1
        var lastGrowthTime = moments.time(at: moments.count - 1)
        var lastGrowthAngle: Float = 0
        var creeping = false
        var i = moments.count - 1
        while i >= 0 {
            let t = moments.time(at: i)
            if t < earliest { break }
            let moment = moments.value(at: i)
            // Turning before the creep: a movement of its own (a twitch, the last rep's landing), not this lift.
            if moment.turning && creeping { break }
            // The creep is what came before `onset`: after it the leg is on its lift, which may turn just over the
            // stillness threshold and then slow under it again toward its top, one lift all the same. Taken for a creep,
            // that slowing ended the ramp at the faster part before it (TUNE seed 197 rep 8, a bird dog lifted 10 deg
            // over 2.5 s at 1-7 deg/s: the rest followed it 4.6 deg up, the leg was measured 5.2 deg for its 10, under
            // the back's 5.6 deg lateral fault, and the rep was dropped as `posture_change`).
            if !moment.turning && t < onset { creeping = true }
            let angle = moment.gravity.angle(to: now).radiansToDegrees
            if angle < peak - Self.reversalDegrees { break }
            if angle > peak {
                peak = angle
                peakIndex = i
            }
            if angle >= lastGrowthAngle + Self.flatDegrees {
                lastGrowthAngle = angle
                lastGrowthTime = t
            } else if lastGrowthTime - t > Self.flatDuration {
                break
            }
            i -= 1
        }
        // The ramp began where the leg left the level it lay at: the latest time the angle was still that far.
        var startIndex = peakIndex
        var j = moments.count - 1
        while j > peakIndex {
            if moments.value(at: j).gravity.angle(to: now).radiansToDegrees >= peak - Self.flatDegrees {
                startIndex = j
                break
            }
            j -= 1
        }
        let startTime = moments.time(at: startIndex)
        guard startTime < onset, let atOnset = moments.value(atOrBefore: onset) else { return nil }
        let startGravity = moments.value(at: startIndex).gravity
        let before = (startGravity.angle(to: now) - atOnset.gravity.angle(to: now)).radiansToDegrees
        return (startTime, before, startGravity)
    }
}
