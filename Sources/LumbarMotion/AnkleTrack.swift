import LumbarCore

/// One ankle sensor: its rest posture, the leg's excursion from it, and the rep candidate state machine.
///
/// The excursion is `max(θ, h − 10 cm)`: θ the rotation of the ankle segment from its rest orientation in
/// degrees, h the rise of the ankle in centimetres. Rotation alone misses the straight-leg kick and the bird
/// dog, whose shank ends nearly as horizontal as it started while the ankle is 40–70 cm up; the rise alone
/// misses the standing kickback. The rise integrates the vertical specific force in the earth frame (whose
/// vertical component is insensitive to tilt errors, cos ε ≈ 1) twice, piecewise between still moments:
/// each moving stretch ends at rest, so its velocity drift (accelerometer bias turning with the sensor) is
/// removed linearly (zero-velocity update) before its displacement is added. The 10 cm dead band absorbs
/// what drift is left; no exercise needs the rise below it.
struct AnkleTrack: Sendable {
    /// Excursion below which the leg is at rest (° or cm).
    static let quietLevel: Float = 2.0
    /// Excursion above which a rep candidate begins (° or cm).
    static let onsetLevel: Float = 4.0
    /// A candidate ends when the leg is still and its excursion below this fraction of its peak (people put
    /// the leg back near, not exactly, where it started).
    static let endFraction: Float = 0.2
    /// A candidate also ends at its lowest point after the peak when that is below this fraction of the peak
    /// and the excursion then rises again by `reRiseFraction` of the peak (the next rep, without a pause).
    static let valleyFraction: Float = 0.3
    static let reRiseFraction: Float = 0.5
    /// A candidate also ends settled still (0.3 s) below this fraction of its peak: most of the way back.
    static let settledLowFraction: Float = 0.35
    /// A candidate does not end settled low (`settledLowFraction`) while the leg is still coming down: the shank
    /// turning at this or faster, deg/s, and its excursion still falling (`settledFallPerSecond`). The gyroscope's
    /// stillness threshold (`Settings.stillGyroDps`, 6) lets in the slow part of a lowering: a prone raise lowered over
    /// 3 s turns 4-5 deg/s for a moment with a third of its peak still to go (TUNE seed 40 rep 11: 15 deg of 44; seed
    /// 90 rep 14: 12 of 45). Ended there, the rest was taken mid-lowering, the rest of the lowering began a candidate
    /// and the next rep's lift brought it back: counted from one rep's lowering to the next one's top, for every rep
    /// after it. A leg lying still turns 0.2-0.8 deg/s (`departureSpeedDps`). TUNE 0-199: matched reps 3901 -> 3906,
    /// exact set counts 533 -> 535 of 608; the speed alone (2 or 3 deg/s, without the fall) gained as much on TUNE but
    /// lost a matched rep on the held-out seeds.
    static let settledTurnDps: Float = 3
    /// With the shank turning (`settledTurnDps`), the leg is still coming down while its excursion fell faster than
    /// this over the last `settledLowDuration`, in the excursion's unit per second: deg/s of tilt, or cm/s of rise when
    /// the rise is the excursion. The same number as the turn rate: a lowering's tilt falls as fast as the shank turns.
    static let settledFallPerSecond: Float = 3
    /// How long the leg must lie not turning, at most `settledLowFraction` of its peak, to end the candidate there, s.
    static let settledLowDuration: Double = 0.3
    /// The leg must be still this long back near rest for the rep to end (not a bounce on landing), s.
    static let endStillDuration: Double = 0.1
    /// The rest posture follows the leg while it has been still this long outside reps, s.
    static let restSettleDuration: Double = 0.2

    enum State: Sendable, Equatable {
        case idle
        /// Moving away from rest; `confirmed` once the excursion is large enough to be a rep.
        case candidate(confirmed: Bool)
    }

    /// What one sample changed, for the analyzer to act on.
    enum Step: Sendable, Equatable {
        case none
        /// The leg left its rest posture: a candidate began (onset `candidate.onsetTime`).
        case began
        /// The candidate became a rep (rep_started); the onset time is `candidate.onsetTime`.
        case confirmed
        /// The leg came back to rest: the rep's data are in `candidate`.
        case completed
        /// The candidate was dropped without a rep (tap, timeout, sensor moved): why, the measured value that
        /// decided it and its limit (units of the reason).
        case discarded(RepRejection, value: Float, limit: Float)
        /// The sensor's samples stopped for longer than `Settings.ankleGapDuration` and came back: whatever was
        /// under way is over, the rest posture is taken again.
        case resumedAfterGap
    }

    /// Everything measured about the current candidate.
    struct Candidate: Sendable {
        var onsetTime: Double = 0
        /// When the rep set off, s: the onset, or earlier where the leg crept up to it under the stillness threshold along
        /// a steady one-way change of the shank's inclination (`TiltRamp`). The rep's start as counted (`rep_started`,
        /// `RepRecord.startTime`, its duration and phases); `onsetTime` stays what the lumbar reference and the
        /// candidate's own timing go by.
        var startTime: Double = 0
        /// When the leg set off, s: the last time before the onset that it turned slower than `departureSpeedDps`
        /// (no earlier than the rest was taken or the last rep ended). A slow lift turns under `slowSpeedDps` for
        /// its first second or more, so `onsetTime` comes late there; the lumbar reference is taken from here.
        var departureTime: Double = 0
        /// When the excursion first passed the onset level, s.
        var beganTime: Double = 0
        /// Gravity in the sensor frame where the leg set off creeping (`startTime` dated back by `TiltRamp`), nil otherwise:
        /// once the candidate is a rep, its excursion is measured from here (`measureFrom(_:gravity:)`).
        var setOffGravity: Vector3?
        var endTime: Double = 0
        /// When the leg came back to rest, s: the rep's end as counted (`RepRecord.endTime`, the eccentric phase's end).
        /// The first time after `endTime` that it turned slower than `departureSpeedDps` (the rest `departureTime` is
        /// measured against on the way up), or the sample that ended the candidate if it had not yet. `endTime`, where
        /// the shank slowed under `slowSpeedDps` most of the way back, comes before the last 10-20 cm of a slow kick's
        /// or bird dog's lowering, done with the shank barely turning: a rep seen from a late onset to there covered only
        /// the middle of the true one and was scored a miss plus an extra (TUNE seed 3 rep 2: 13.28-16.62 s of a
        /// 11.68-18.74 s kick; its candidate ended at 17.05 s). `endTime` stays what the candidate's decisions go by (the
        /// rep's duration, the next candidate's earliest onset). TUNE 0-199, matched reps: end error p50 -0.29 -> -0.12 s
        /// (|error| 0.29 -> 0.14) on reps not performed fast, -0.04 -> +0.16 s on fast ones; matched 3967 -> 3974.
        var backAtRestTime: Double = 0
        var peakExcursion: Float = 0
        /// Gravity in the sensor frame at the rest the candidate started from.
        var startGravity: Vector3 = .unitZ
        /// Gravity in the sensor frame at the floor the leg rested on before a gap, when the rest this candidate set
        /// off from was taken further than `resumedRestAngleDegrees` from it; nil otherwise or once the leg stopped.
        var priorRestGravity: Vector3?
        /// Dropped as `loweredFromTop` back at that floor: the end of a rep whose lift went unseen in the gap.
        var loweredToFloorBeforeGap = false
        /// How long the lift of a candidate that set off in a gap of samples went unseen, s (`setOffInGap`): from the
        /// last sample at rest before the gap to the first after it; 0 for any other candidate. Weighs neither as
        /// seen nor as unseen (`seenAndUnseen`): the leg is known to have left its floor in it.
        var liftUnseenDuration: Double = 0
        /// Gravity in the sensor frame at the floor the rep counted just before set off from, when this candidate set
        /// off away from it (more than `quietLevel`) right after it: its rest may lie in that rep's lowering, on either
        /// side of the path from the floor to the top (`countedRepFloor`); nil otherwise.
        var countedRepFloor: Vector3?
        /// Dropped as `loweredFromTop` back at that floor: the rest of the lowering of the rep counted before it.
        var loweredToCountedRepFloor = false
        /// Set off from where the rep counted just before, on this leg, ended, the other leg having counted none since
        /// (`lastCandidateCounted`): its rest may be that rep's top, held (see `lowersCountedRepInOneMovement`).
        var setOffFromCountedRep = false
        /// Dropped as `loweredFromTop` in one movement down from where the rep counted before it ended
        /// (`lowersCountedRepInOneMovement`): that rep's lowering, exercise for the set's pauses
        /// (`MotionAnalyzer.noteExerciseNotCounted`); not noted, the pause from that rep's early end to the next rep
        /// split the set (TUNE seed 37 rep 15, seed 144 rep 13).
        var loweredAfterCountedRep = false
        var peakTime: Double = 0
        /// The leg stopped turning low (below `valleyFraction` of the peak) after the peak: a pause between two
        /// reps, not the swing of a straight-leg kick's shank on the way down.
        var stoppedLow = false
        /// The posture of a hold longer than `parkedDuration` and its excursion (° or cm).
        var heldOrientation: Quaternion?
        var heldExcursion: Float = 0
        /// The ankle's rise at that hold, cm: the zero of the rise if the hold becomes the rest.
        var heldRise: Float = 0
        /// When that hold began and how long the leg stayed still there, s (the `not_returned` value if it moves on).
        var heldSince: Double = 0
        var heldDuration: Double = 0
        /// The largest inclination change from the held posture since, degrees.
        var maxFromHold: Float = 0
        /// When the leg moved on from that hold further from rest, s (nil before): the lowering from a long hold at
        /// the top of a rep, or leaving a new rest; decided by where it stops next (`movedOnDecisionStill`).
        var movedOnFromHold: Double?
        /// The last time the excursion was at least `settledLowFraction` of the peak, s: the rep ends after it.
        var lastAwayTime: Double = 0
        /// Lowest excursion since the peak and when, s.
        var valleyExcursion: Float = 0
        var valleyTime: Double = 0
        /// Gravity's direction in the sensor frame at `valleyTime`, and the ankle's rise there, cm.
        var valleyGravity: Vector3 = .unitZ
        var valleyRise: Float = 0
        /// Ended at its valley (`valleyTime`) once the leg had risen again from it: it stopped there, not where the
        /// leg is when the candidate is decided.
        var endedAtValley = false
        var peakRotationDegrees: Float = 0
        /// Gravity's direction in the sensor frame at `peakRotationDegrees`.
        var topGravity: Vector3 = .unitZ
        var peakRiseCentimetres: Float = 0
        var rotationAtPeakRise: Float = 0
        /// Rotation where the leg first stopped away from rest (the top of the rep), degrees; nil before.
        var rotationAtFirstStop: Float?
        /// When the leg first stopped at the top, and when it last set off from a stop at the top, s.
        var firstStopTime: Double?
        var lastStopEndTime: Double?
        var stoppedAtTop = false
        /// The stops away from rest (excursion over `onsetLevel`) that the leg set off from again, in order, at most
        /// `maximumRecordedStops`: the phases take the hold from them (`phaseDurations()`).
        var stops: [Stop] = []
        /// When the stretch under way of the leg held at the hip and knee began, s (nil outside one): the ankle turning
        /// no faster than the pelvis that carries it, away from rest (`carriedByPelvis`).
        var carriedStart: Double?
        /// The pelvis carried the leg (`carriedByPelvis`) in the stretch under way, and the leg stopped again after it.
        var carriedWhilePelvisTurned = false
        /// The pelvis carried the leg in the stretch under way (stopped again since or not).
        var carriedSeen = false
        /// When and at what excursion the shank last turned slower than the stillness threshold in the stretch under
        /// way, s: the stretch ends there (a leg that turned with the pelvis and did not stop again was lowered, the
        /// pelvis turning back against it: a back flexed over the lift straightens as the leg comes down).
        var carriedStillEnd: Double = 0
        var carriedStillExcursion: Float = 0
        /// The longest stretch the leg was held at the hip and knee while the pelvis turned it (`carriedByPelvis`):
        /// the hold of a rep whose back rose and fell, measured on the hip, not on where the pelvis carried the ankle.
        var carriedHold: Stop?
        /// When the stop under way away from rest began, s (nil while the leg turns).
        var stopStart: Double?
        /// The shank's largest tilt at any stop at the top (excursion over half its running peak), degrees: the first
        /// such stop may come mid-lift, where a slow kick's or bird dog's shank stops turning as its tilt turns back,
        /// below the top it then reaches (TUNE 0-199: in 252 true reps the shank was tilted at least half its peak at a
        /// later stop at the top and not at the first, whose excursion was a median 0.2 of the peak).
        var largestRotationAtTopStop: Float = 0
        /// The shank tilted away again (over `swingFraction` of its peak tilt) after a first stop at the top with
        /// its tilt back near rest: the straight-leg kick's or bird dog's second swing, on the way down.
        var swungAfterLevelStop = false
        /// The rise (cm, drift-corrected at the stop) that the landing rule set to zero when the candidate ended.
        var riseZeroedAtEnd: Float = 0
        /// The candidate set off from a rest taken where the previous candidate ended with more than the rise's dead
        /// band zeroed by the landing rule (see `riseZeroedAtEnd`).
        var afterZeroedRise = false
        /// Dropped as `loweredFromTop`, this candidate is the lowering of a rep already counted (split at its top, or
        /// its lift lost in a gap), not a movement of its own.
        var lowersCountedRep: Bool {
            afterZeroedRise || loweredToFloorBeforeGap || loweredToCountedRepFloor || loweredAfterCountedRep
        }
        /// Set off from where the rep counted just before ended (`setOffFromCountedRep`) in one movement that never
        /// stopped at a top (`firstStopTime`) nor took the ankle up past the rise's dead band
        /// (`peakRiseCentimetres`): should it take the ankle down past the dead band (`descentAfterOneMovement`), it
        /// is the rest of that rep's lowering, not a rep. A hip extension lifts the ankle before it brings it back,
        /// and stops or turns at its top; a leg lowered from a hold goes down in one swing. TUNE 0-199: reps ended in
        /// their hold, where the back rising and falling dipped the leg most of the way down and it stopped a moment
        /// (seed 5 rep 7, seed 37 rep 14, seed 144 rep 12); the lowering from the rest of the hold landed with the
        /// shank back at the inclination it set off at and was counted 0.1 s later as a rep of its own. Those
        /// lowerings went 15-38 cm down, never over 3.7 cm up. The true reps whose first movement integrated to a
        /// descent (a stop at the top undone by the next stop: standing kickbacks, seed 188; prone raises, seeds 171
        /// and 185) had stopped at their top and risen 10.2-48 cm. Only after this leg's own rep: a bird dog's kick
        /// whose orientation filter lost 72 deg in a 3 g swing (seed 92 rep 18, after the other leg's rep 17)
        /// integrated a 103 cm "descent" and landed at its top, on its way on.
        var lowersCountedRepInOneMovement: Bool {
            setOffFromCountedRep && firstStopTime == nil && peakRiseCentimetres < AnkleTrack.riseDeadBand
        }
        /// Lowest rotation since the rotation's running peak, degrees.
        var dipSincePeakRotation: Float = 0
        /// The shank's tilt rose, fell below half its peak and rose again above 70 % of it: the two tilt
        /// swings of the straight-leg kick and the bird dog (knee straightening, then bending).
        var tiltSwungTwice = false
        var peakSpeedDps: Float = 0
        /// How long the sensor was silent during the candidate, s: the gaps longer than `Settings.ankleGapDuration`
        /// it went on through (`longestKeptSilence`).
        var unseenDuration: Double = 0
        /// Mean |vertical| and |horizontal| linear acceleration of the ankle while it left rest (rotation under
        /// 8°), g: which way the ankle set off.
        var departureVerticalG: Float = 0
        var departureHorizontalG: Float = 0
        /// Fraction of the departure acceleration that was vertical (1: straight up, as lying prone).
        var departureVerticalFraction: Float {
            let total = departureVerticalG + departureHorizontalG
            return total > 0 ? departureVerticalG / total : 0
        }
        /// Sign-aligned sum of rotation increments in the sensor frame, degrees (its direction: the rep's axis).
        var axisSum: Vector3 = .zero
        /// Sum of |rotation increments|, degrees.
        var pathDegrees: Float = 0
        /// The same sign-aligned sum in the ankle's earth frame (for the medio-lateral axis).
        var earthAxisSum: Vector3 = .zero
        /// How much of the rotation was about one axis (1 = a pure hinge).
        var planarity: Float { pathDegrees > 0 ? axisSum.length / pathDegrees : 0 }
    }

    /// A stretch where the leg stopped turning away from rest: from when it stopped to when it set off again, s, and
    /// its excursion when it set off (° or cm; the rise there is drift-corrected, the stop being a still moment).
    struct Stop: Sendable {
        var start: Double
        var end: Double
        var excursion: Float
        var duration: Double { end - start }
    }
    /// The most stops a candidate records (a hold's gyroscope noise flickering about the stillness threshold would
    /// otherwise add one per sample); later ones are not recorded.
    static let maximumRecordedStops = 64

    let placement: SensorPlacement
    private(set) var stillness = StillnessDetector()
    private(set) var state: State = .idle
    private(set) var candidate = Candidate()
    private(set) var restOrientation: Quaternion?
    /// Gravity's direction in the sensor frame at rest (heading free): tells a re-strapped sensor.
    var restGravity: Vector3 { restOrientation?.inverseRotate(.unitZ) ?? .unitZ }
    private(set) var orientation: Quaternion = .identity
    private(set) var lastTime: Double?
    /// When the last rep of this ankle ended, s: the next one cannot start before.
    private(set) var lastCandidateEnd: Double = -.infinity
    /// When the current rest posture was first taken, s.
    private(set) var restTakenTime: Double = -.infinity
    /// Gravity's direction in the sensor frame where the current rest posture was first taken: the rest follows the
    /// still leg only within `quietLevel` of it (see `restFollowsLeg(to:)`).
    private var restAnchorGravity: Vector3 = .unitZ
    /// The rest posture (gravity in the sensor frame) the last candidate set off from; nil before the first.
    private var previousStartGravity: Vector3?
    /// A rep is dated back to where its leg set off creeping (`TiltRamp`, `Candidate.startTime`) only when the shank's
    /// inclination changed at least this much on the ramp before the onset, degrees: less is the onset's own margin.
    /// TUNE 0-199, matched reps: start error p50/p90 0.20/0.71 -> 0.19/0.42 s, 179 -> 69 reps started over 1 s late
    /// (slow prone raises, kicks and bird dogs lifted over 3-4 s: TUNE seed 151 reps 13-20, 1.6-1.8 -> 0.5 s late);
    /// matched 3977 -> 3979, extras 20 -> 18 (seed 116 rep 15, a bird dog lifted 16 cm with the shank tilting under
    /// 2 deg, counted from 2.5 s into its 3.7 s lift, now from 1.4 s; seed 197 rep 9), too_fast on reps not performed
    /// fast 40 -> 36, on fast reps unchanged.
    static let rampOnsetDegrees: Float = 1.0
    /// Nor from a ramp that set off within this long of the last candidate's end, s: that is the leg settling after its
    /// landing, not a lift. A prone leg raise landed and crept 8 deg on over 1.4 s into the next, fast, rep (TUNE seed
    /// 29 rep 7: dated back to 0.25 s after the landing, 1.4 s before it set off, it no longer overlapped its true rep
    /// by half). TUNE back kicks settle 0.2-2.2 s after landing (`settleBackWithin`, `creepRestDuration`).
    static let landingSettleDuration: Double = 2.2
    /// Since when the leg has turned slower than `departureSpeedDps` (smoothed, bias removed), s (infinity while
    /// faster).
    private var restingSince: Double = .infinity
    /// The shank's inclination at rest, to date a lift that crept up under the stillness threshold from where it set off.
    private var tiltRamp = TiltRamp()
    /// The leg lay resting `creepRestDuration` or longer since the rest was taken after a candidate: what it does next
    /// is no lowering's tail (`restFollowsLeg(to:)`).
    private var restedSinceRestTaken = false
    /// How long the leg must lie resting (turning slower than `departureSpeedDps`) for its lowering to be over, s: from
    /// then on the rest no longer follows it creeping back toward where the last candidate set off. A back kick's leg
    /// pauses 0.6 s in the tail of its lowering before settling its last 2.7 deg (TUNE seed 57 rep 8: stopped following
    /// after 0.5 s, the rest stayed 2.7 deg off the floor and the next rep was counted from 16 s before it set off).
    static let creepRestDuration: Double = 1.0
    /// The last rep ended with its ankle still up (its rise, zeroed there or not, above `riseDeadBand`): perhaps at
    /// its top, held, so the rest posture follows the leg anywhere until the next candidate (`restFollowsLeg(to:)`).
    private var lastEndedUp = false
    /// The last sample time before the latest gap, s.
    private(set) var lastTimeBeforeGap: Double?
    /// The longest silence the track would have gone on through before that gap, s (`longestKeptSilence`).
    private(set) var keptSilenceBeforeGap: Double = 0
    /// When the sensor's line last went away (`lineLost(at:)`), session s.
    private(set) var lineLostTime: Double = -.infinity
    private(set) var rotationDegrees: Float = 0
    private(set) var riseCentimetres: Float = 0
    private(set) var excursion: Float = 0
    /// The shank turned slower than the stillness threshold, or as fast as the pelvis turning (`carriedByPelvis`), at
    /// the latest sample: the hip and knee held (`noteCarriedByPelvis(at:)`).
    private var heldAtHip = false
    /// The shank turned over the stillness threshold at the latest sample, at the pelvis' angular speed within the
    /// threshold, with the pelvis turning over it: the leg carried by the pelvis (`noteCarriedByPelvis(at:)`).
    private var carriedByPelvis = false
    private(set) var phase: RepPhase = .rest
    /// Last time the excursion was below `quietLevel`, s.
    private(set) var lastQuietTime: Double = 0
    /// Last time the ankle turned slower than `slowSpeedDps` (bias removed, unsmoothed), s.
    private(set) var lastSlowTime: Double = 0
    /// Since when the ankle has been turning slower than `slowSpeedDps`, s (infinity while faster).
    private(set) var slowSince: Double = .infinity
    /// Angular speed below which the leg has not started (or has finished) moving, deg/s.
    static let slowSpeedDps: Float = 8
    /// Smoothed angular speed (bias removed, `StillnessDetector.timeConstant`) above the resting noise at every rate,
    /// deg/s: TUNE, per true rep after at least 1.5 s of rest, the largest over the 0.5 s before its start has a
    /// median of 0.2-0.8 by rate (25-1000 Hz); after the true start the leg passes it within 0.07 s (median),
    /// 0.28 s (90 %). `slowSpeedDps` is passed 0.2 s (median) and up to 1.3 s later on slow lifts.
    static let departureSpeedDps: Float = 1
    /// Last time the smoothed angular speed was under `departureSpeedDps`, s.
    private(set) var lastRestingTime: Double = 0
    /// Last time the excursion was above `onsetLevel`, s (to notice both legs moving).
    private(set) var lastActiveTime: Double = -.infinity
    /// Excursion history of the current candidate (10 ms spacing, 40 s) for the phase durations.
    private(set) var history = TimedRing<Float>(capacity: 4096, minimumSpacing: 0.01, filler: 0)
    private var verticalVelocity: Float = 0
    private var verticalOffsetG: Float = 0
    /// The vertical offset over the last seconds (10 ms spacing, 5 s): a candidate uses the one from before the
    /// leg set off. The stillness thresholds (6 deg/s, 0.05 g) let in the first half second of a slow lift, whose
    /// 0.02–0.05 g would otherwise be averaged into the offset and integrate to tens of centimetres over 3 s.
    private var offsetHistory = TimedRing<Float>(capacity: 512, minimumSpacing: 0.01, filler: 0)
    /// How long before the onset (or the end of the last stop, if earlier) the candidate's offset is taken, s.
    static let offsetLead: Double = 0.5
    /// Rise from the rest posture up to the last still moment, cm (drift-corrected stretches).
    private var settledRise: Float = 0
    /// Rise since the last still moment, cm (raw integration), and when that stretch began, s.
    private var stretchRise: Float = 0
    private var stretchStart: Double = 0
    private var wasStill = false
    /// A moving stretch is being integrated: from when the leg started turning until the stop that ends it is
    /// taken as a stop (at once, or after `cruisingStopDuration` for a stop at cruising speed).
    private var stretchOpen = false
    /// The largest |vertical velocity| of the open stretch, m/s.
    private var stretchPeakSpeed: Float = 0
    /// The open stretch set off from the rest posture (opened outside a candidate): its drift-corrected rise at the
    /// stop that ends it is where the ankle went in one movement from the floor.
    private var stretchFromRest = false
    /// The open stretch's highest raw rise (cm, from where it began) and when, s.
    private var stretchPeakRise: Float = 0
    private var stretchPeakRiseTime: Double = 0
    /// A stop after one movement from rest is the top when the ankle is still this fraction of the highest the
    /// movement took it, or more. TUNE seeds 0-99, such stops with the rise above the dead band: at a true rep's top
    /// (1128) the ratio has p5/p50 0.81/1.00 (13 below 0.5: a bird dog's ankle swings past its top and settles lower);
    /// at a true rep's landing (6) 0.18-0.41.
    static let heldUpFraction: Float = 0.5
    /// The rise (cm) of the candidate's first stop when the leg got there in one movement from rest; nil once the leg
    /// moved on from it (or before).
    private var riseAfterOneMovement: Float?
    /// Gravity's direction in the sensor frame at that stop: the leg is held up there only while the shank stays near
    /// it (`leftOneMovementStopFraction`).
    private var gravityAtOneMovementStop: Vector3 = .unitZ
    /// Fraction of its peak tilt the shank must turn from the stop it reached in one movement from rest for that stop
    /// to be left behind although the gyroscope says the leg never moved. A straight-leg kick lowered slower than the
    /// stillness threshold (a 10 deg shank tilt undone over 2-3 s, 3-5 deg/s) opens no moving stretch: the rise of the
    /// stop kept the leg "held up" after it had landed and the candidate ran into `maximumRepDuration`, taking the
    /// next rep with it (TUNE 0-199: 4 candidates, 7 reps, the shank 1.0-1.15 of its peak tilt from the stop). Held at
    /// a top until the leg moved on, the shank turned p50/p90/p99/max 0.02/0.07/0.24/0.56 of its peak tilt (3306
    /// holds in true reps; 2 of them 0.5 or more, both moved on with the shank tilted, not landed level).
    static let leftOneMovementStopFraction: Float = 0.5
    /// How far below the rest (cm, positive) the candidate's first movement from rest took the ankle, drift-corrected at
    /// the stop that ended it, when that was more than the rise's dead band and the ankle never rose past the dead band
    /// on the way: the "rest" was a rep's top, held (see `RepRejection.loweredFromTop`); nil otherwise.
    private var descentAfterOneMovement: Float?
    /// How long the leg must stay still after such a descent for it to be one, s. TUNE seeds 0-199, every stop that ended a
    /// candidate's first movement more than the dead band below the rest: mid-lift (the shank stopping for a moment where
    /// its tilt turns back, the ankle moving on) 57 stops, 56 of them lasting p50/max 0.16/0.34 s (one 15.9 s); after a
    /// true rep's lowering 91, p25/p50 1.35/2.67 s (15 under 0.5 s: the next rep set off at once).
    static let loweredStopDuration: Double = 0.5
    /// The open stretch's rise (cm), vertical velocity (m/s) and duration (s) when the leg last stopped turning.
    private var stopRise: Float = 0
    private var stopVelocity: Float = 0
    private var stopDuration: Float = 0
    /// The rise (cm) the landing rule set to zero where the last counted candidate ended (0 after any other end):
    /// the next candidate is told whether its rest may be that rep's top (`Candidate.afterZeroedRise`).
    private var riseZeroedAtLastEnd: Float = 0
    /// A shank that stops turning while the ankle is still at its cruising speed (the integrated vertical velocity
    /// there within `cruisingFraction` of the stretch's peak, between `cruisingSpeedRange`: it never slowed down)
    /// is taken as stopped only after this long, s; the zero-velocity update is then dated back to when it stopped
    /// turning. The slow bird dog's and straight-leg kick's shank stops turning for up to 0.7 s where its tilt
    /// turns back, while the ankle goes on down at 20–50 cm/s: reset there, the velocity lost put the rest of the
    /// descent upward, the leg landed with its rise still "up" and the rep was dropped as not_returned (TUNE: 44).
    static let cruisingStopDuration: Double = 1.0
    static let cruisingFraction: Float = 0.8
    /// Below 5 cm/s a stop is a stop; above 60 cm/s the velocity is drift (a slow leg does not move that fast, and a
    /// fast one turns), and holding it for a second would add tens of centimetres.
    static let cruisingSpeedRange: ClosedRange<Float> = 0.05...0.6

    /// A stop undone by the next one must have come at this fraction of the stretch's peak vertical speed or more: the
    /// ankle had not slowed much. Zero-velocity updates in TUNE candidates: |v| / peak median 0.22 at real stops, 0.94
    /// at false ones (report7); the stops this rule undid on TUNE had 0.43–0.80, the real ones at a hold that it
    /// undid without this bound 0.07–0.17 (classic bird dogs swaying at the top: 2 reps lost).
    static let passingStopFraction: Float = 0.35
    /// The same for a stop the shank held for less than `instantStopDuration` (it stopped turning for an instant, where
    /// its tilt turned back mid-lift): a slow straight-leg kick's or bird dog's ankle may rise on there at 0.29-0.34 of
    /// the stretch's peak (TUNE seed 406 reps 3-4, seed 444 reps 18-19: the update stood, the rest of the lift integrated
    /// downward, the level top 22-24 cm up read 0 or less and the rep ended at its top, its lowering dropped as
    /// `lowered_from_top` or counted as a rep of its own). A real stop at that ratio lasts longer (TUNE seed 482 rep 10:
    /// a hold of 1.4 s, the shank still for 0.5 s; undone, the rep ran on into the next one).
    static let instantStopFraction: Float = 0.25
    /// Longest a stop may last and still be an instant's (`instantStopFraction`), s. TUNE 300-499, the four stops above:
    /// 0.006-0.058 s; the hold at 0.31 of the peak: 0.50 s.
    static let instantStopDuration: Double = 0.1
    /// The last zero-velocity update, kept until the next stop tells whether it was one (nil: none pending).
    private var pendingStop: PendingStop?

    /// A zero-velocity update taken where the shank stopped turning, undone at the next stop if the velocity
    /// integrated since then says the ankle never stopped there (see `decidePendingStop`).
    private struct PendingStop {
        /// When the shank stopped turning, and when the stretch it ended had begun, s.
        var time: Double
        var stretchStart: Double
        /// The settled rise before the update (cm), the stretch's raw rise (cm) and velocity (m/s) at the stop.
        var settledBefore: Float
        var rise: Float
        var velocity: Float
        var peakSpeed: Float
        /// The stretch it ended set off from the rest posture (`stretchFromRest`).
        var fromRest: Bool
        /// That stretch's highest raw rise (cm, from where it began) and when, s (`stretchPeakRise`).
        var peakRise: Float
        var peakRiseTime: Double
    }

    private mutating func closeStretch() {
        stretchOpen = false
        stretchRise = 0
        verticalVelocity = 0
        pendingStop = nil
    }

    /// A stop confirmed by a later one: the shank that stopped turning for a moment where its tilt turned back
    /// (the slow bird dog's and straight-leg kick's knee straightening while the hip goes on extending) left
    /// the ankle moving at 20–30 cm/s; the update there took that speed for drift, the rest of the lift then
    /// integrated downward and the rep ended at its top (TUNE seed 14's slow kicks: split in two). At the next stop the two readings
    /// are compared: with the earlier update, the velocity left there is `v`; without it, `v + v₀` (v₀ the
    /// velocity it removed). A real stop leaves drift only on each side, so the update that leaves the smaller
    /// velocity at the next stop is the one kept: without it, the stretch runs on from where it began, and a stretch
    /// that set off from rest is still one movement from the floor: the stop that ends it may hold the leg up (TUNE seed
    /// 14 rep 10: the kick's level top, 26 cm up, measured 20.8 cm; the turn mid-lift had opened the stretch to it inside
    /// the candidate, so nothing held it up and the landing rule took it for the floor: the rep ended at its top).
    private mutating func decidePendingStop(at t: Double) {
        guard let p = pendingStop else { return }
        pendingStop = nil
        // Only a stop the ankle came to at a speed a moving leg has (`cruisingSpeedRange`'s lower bound, and at least
        // `passingStopFraction` of the stretch's peak): below that, drift (classic bird dogs swaying at the top: 8–9 cm/s
        // between two stops of one hold) decides the comparison, not the leg. Not its upper bound: that one keeps a
        // drifting velocity from being held for a second (`cruisingStopDuration`), while here the next stop's velocity
        // tells which reading was drift. A straight-leg kick's ankle still rises at 60-70 cm/s where its shank stops
        // turning mid-lift (the knee straightening while the hip extends): above 60 cm/s the update stood, the rest of
        // the lift integrated downward and its level top 43 cm up read -6 cm (TUNE seed 16 rep 4: taken for the landing,
        // dropped as sensor_resettled, its lowering counted as a rep of its own). Undone, the next stop was left with
        // 3 cm/s instead of 62. TUNE 0-199: 28 stops of 60-118 cm/s undone; matched reps 3988 -> 3989, extras 15 -> 14,
        // too_fast on reps not performed fast 35 -> 32 (bird dogs' and kicks' tops measured, their lifts no longer
        // short: seeds 54, 78, 88); no upper bound and one of 1.5 m/s gave the same.
        let speed = abs(p.velocity)
        // How long the shank stayed still there: the open stretch began when it turned again.
        let stoppedFor = stretchStart - p.time
        let fraction = stoppedFor < Self.instantStopDuration ? Self.instantStopFraction : Self.passingStopFraction
        guard speed >= Self.cruisingSpeedRange.lowerBound, speed >= fraction * p.peakSpeed,
            abs(verticalVelocity + p.velocity) < abs(verticalVelocity)
        else { return }
        settledRise = p.settledBefore
        // The stretch runs on from where the undone one began: its highest rise is the higher of that stretch's and
        // this one's, from there. Kept at this one's alone, a lift whose stop at the top was undone by the lowering's
        // stop read as one movement down from the floor (`descentAfterOneMovement`) and was dropped as
        // `lowered_from_top` (TUNE seed 43 rep 26: a bird dog up 25-40 cm, held 0.6 s, its 46 cm descent all that
        // was left).
        let peakSinceStop = p.rise + p.velocity * Float(stretchPeakRiseTime - p.time) * 100 + stretchPeakRise
        if p.peakRise >= peakSinceStop {
            stretchPeakRise = p.peakRise
            stretchPeakRiseTime = p.peakRiseTime
        } else {
            stretchPeakRise = peakSinceStop
        }
        stretchRise += p.rise + p.velocity * Float(t - p.time) * 100
        verticalVelocity += p.velocity
        stretchStart = p.stretchStart
        stretchPeakSpeed = max(stretchPeakSpeed, p.peakSpeed)
        stretchFromRest = p.fromRest
    }
    /// Stillness (gyroscope and accelerometer) before the vertical offset is measured, s.
    static let offsetStillDuration: Double = 0.05
    /// Time constant of the vertical offset's average at rest, s.
    static let offsetTimeConstant: Double = 0.2
    /// Stillness away from rest after a movement that was not one way up, s: a sensor put down elsewhere.
    static let parkedDuration: Double = 3
    /// A leg is parked (held in one posture) only while it is still (gyroscope and accelerometer) and its shank stays
    /// within this of the inclination it had when it came to rest, degrees (the quiet level: no movement of the leg is
    /// smaller). The gyroscope alone says "not turning" below `Settings.stillGyroDps`: a straight-leg kick lowered after
    /// a 10 s hold turns its level shank 3 deg/s, 5 deg in all, while the ankle comes down 40 cm, and its candidate was
    /// dropped as `not_returned` in the middle of that lowering, the end of the lift, the hold and the start of the
    /// lowering taken together for 12 s parked (TUNE seed 107 reps 12 and 14, seed 109 rep 31: holds of 9.7-11 s).
    static let heldPostureDegrees: Float = quietLevel
    /// Gravity's direction in the sensor frame where the current hold began, and when, s: a hold begins when the leg
    /// comes to rest, and again each time the shank leaves that inclination by `heldPostureDegrees`.
    private var holdGravity: Vector3 = .unitZ
    private var holdSince: Double = -.infinity
    /// Stillness after moving on from a long hold, away from where the leg started, that makes the hold a new rest, s.
    /// TUNE 0-199: of the 51 candidates that moved on from a hold and came back to rest, the longest stop on the way
    /// down lasted p50 0.10, p90 0.33, max 0.77 s (the shank stops turning where its tilt turns back); the same second
    /// that makes a stop at cruising speed a stop (`cruisingStopDuration`).
    static let movedOnDecisionStill: Double = cruisingStopDuration
    /// Highest hold (excursion, ° or cm) that may be the top of a rep, decided by where the leg comes back to. TUNE
    /// 0-199: the 51 holds the leg came back to rest from were 1.3-24.4; the holds a leg then stopped elsewhere from,
    /// 5-14 and 35-142 (a sensor picked up or a leg moved far, followed by reps from there: lost when decided late).
    /// TUNE 300-499: straight-leg kicks held 4-5 s at 30.3 and 30.5 (seed 342 reps 9-10, the shank tilted 30 deg at
    /// the hold and 8 deg further as the knee bent on the way down: dropped as not_returned at 30). Set between those
    /// and the lowest far hold (35); TUNE 0-199 output unchanged.
    static let maximumHeldTopExcursion: Float = 34
    /// Farthest from rest a leg holds a rep's top, degrees (a quarter turn): a leg that went up one way and lies still
    /// further than this is a sensor put down elsewhere, parked after `Settings.maximumHoldDuration`; nearer, it may
    /// be holding a rep's top, parked only after `Settings.maximumHeldTopDuration`. TUNE 0-199: the one-way holds
    /// dropped as parked at 12 s lay 114-175 deg from rest (sensors moved), the tops of true reps held 9 s or more
    /// at most 87.5 deg (a top held further is parked after 12 s, as before).
    static let largestHeldTopDegrees: Float = 90
    /// Rise below this does not count as excursion, cm.
    static let riseDeadBand: Float = 10

    /// The leg's excursion from rest, degrees: the shank's turn, or the ankle's rise past `riseDeadBand` (cm taken as
    /// degrees) where it rose more than it turned (a straight-leg kick whose shank ends as level as it started).
    static func excursion(rotationDegrees: Float, riseCentimetres: Float) -> Float {
        max(rotationDegrees, riseCentimetres - riseDeadBand)
    }
    /// After a gap in the samples, gravity's direction (sensor frame) at the rest before the gap: the rest
    /// posture is taken again only near it (the leg back on the floor, not held up at the top of a rep), or
    /// after `resumedRestDuration` of stillness anywhere (the sensor was strapped on another way).
    private var restGravityBeforeGap: Vector3?
    /// After a gap in the samples, gravity's direction (sensor frame) at the rest the last accepted rep set off from
    /// (`acceptedStartGravity`), until the rest is taken again.
    private var floorBeforeGap: Vector3?
    /// That floor, when the rest was taken again after the gap further than `resumedRestAngleDegrees` from it: the
    /// next candidate's `Candidate.priorRestGravity`.
    private var priorRestGravity: Vector3?
    /// Stillness that makes any posture the rest after a gap, s (longer than a hold at the top of a rep).
    static let resumedRestDuration: Double = 2.5
    /// Gravity within this of its direction before a gap is the same rest posture, degrees.
    static let resumedRestAngleDegrees: Float = 10
    /// How far the accelerometer's magnitude may read from 1 g, g, on the first sample after a gap for the leg's
    /// inclination there to be trusted (`readsGravity`): the orientation filter starts its inclination over from that
    /// reading. TUNE 0-199: the five lifts lost in a gap and seen at their top read 0.95-1.09 g; with a gap of 0.9 s
    /// put into every fourth rep of TUNE 0-199 (a probe, not the bench), the legs seen again mid-lowering read 1.4-2.6 g
    /// and were taken 13-48 deg from a floor they had nearly reached.
    static let gapAlignmentDeviationG: Float = 0.25
    /// How fast the shank may turn on the first sample after a gap for its inclination there to be trusted, deg/s
    /// (`readsGravity`): a shank turning fast adds the ankle's own acceleration (tangential and centripetal) to
    /// gravity, turning the reading's direction even when its magnitude reads about 1 g. TUNE 0-199: the lifts lost in a gap were seen turning at
    /// 1-79 deg/s (seed 48 rep 20 the fastest); the probe's legs seen mid-lowering at 120-150 deg/s and 0.9-1.05 g
    /// (seeds 86, 93) were not at their top.
    static let gapAlignmentTurnDps: Float = 100
    /// The unseen lift of the candidate about to begin from the rest before a gap (`setOffInGap`), s.
    private var pendingLiftUnseen: Double = 0
    /// At the latest gap the leg lay in the quiet band of its rest, no candidate open (`setOffInGap`).
    private var restedUpToGap = false
    /// At the latest gap, the rep counted last was measured by its shank's tilt (`acceptedRepTilted`).
    private var tiltedRepBeforeGap = false

    init(placement: SensorPlacement) { self.placement = placement }

    var isStill: Bool { stillness.stillSince != nil }

    /// The hip axis (sensor frame, unit) and rest gravity of the last accepted rep of this sensor.
    private(set) var acceptedAxis: Vector3?
    /// Gravity's direction in the sensor frame at the rest the last accepted rep set off from: the floor, as far as
    /// the track knows, that a leg unseen in a gap may come back to (`priorRestGravity`). Not the rest at the gap: that
    /// may be a rep's top (a rep ended at its top, its lowering lost in the gap: TUNE seed 56 rep 2, its lift to that
    /// posture taken for a lowering). Nor after a dropped candidate (`not_returned`): the rep before it may have been
    /// counted from a lowering to a top (a phase-shifted chain), and its start is then a top (TUNE seeds 27, 172: the
    /// next true lift back to it dropped; a rule on `not_returned` too cost 3 matched reps on TUNE 0-199, none gained).
    private var acceptedStartGravity: Vector3?
    /// The floor the rep just counted set off from (`acceptedStartGravity`), until the next candidate begins: that
    /// candidate's `Candidate.countedRepFloor` if it sets off away from it. Only after a rep whose excursion was its
    /// shank's tilt (back kick, kickback, prone raise), where the inclination tells the floor from the top: a bird
    /// dog's or straight-leg kick's shank is about as level at the top as on the floor, and its lowering passes that
    /// inclination mid-way (TUNE seed 30 rep 3, a bird dog: ended there and dropped).
    private var countedRepFloor: Vector3? { countedRepFloorPending ? acceptedStartGravity : nil }
    /// The rep counted last was measured by its shank's tilt and no candidate has begun since (`countedRepFloor`).
    private var countedRepFloorPending = false
    /// The rep counted last was measured by its shank's tilt (`accept()`): the inclination tells this leg's floor from
    /// its top (`setOffInGap`).
    private var acceptedRepTilted = false
    /// This leg's last candidate was counted (`accept()`), and the other leg has counted no rep since
    /// (`otherLegRepCounted()`): the leg may still hold that rep's top, the next candidate's `setOffFromCountedRep`.
    /// A leg is held up only while the other supports the body: after the other leg's rep, this one was on the floor.
    private var lastCandidateCounted = false
    /// The floor the rep just counted set off from (`acceptedStartGravity`), from its end until the leg has settled
    /// (`settleBackWithin`) or the next candidate begins: a leg turning back toward it is that rep's lowering settling
    /// (`settlesBack`).
    private var settlingBackTo: Vector3? { settlingBack ? acceptedStartGravity : nil }
    /// The leg may still be settling the lowering of the rep counted last (`settlingBackTo`).
    private var settlingBack = false
    /// Gravity's direction in the sensor frame at the largest tilt (the top) of the rep counted last: where its
    /// lowering comes from (`settlesBack`, `Candidate.countedRepFloor`).
    private var countedRepTop: Vector3 = .unitZ
    /// The shank's tilt swung twice in the rep counted last (`Candidate.tiltSwungTwice`): a straight-leg kick or bird
    /// dog, whose axis's sign may be the knee's (see `axisChangedFromPreviousRep`).
    private var acceptedTiltSwungTwice = false
    /// The rest has followed the leg settling back toward `settlingBackTo` (once it stops, the settling is over).
    private var followedSettling = false

    /// Remembers the finished candidate (or `counted`, the lift of a rep whose lowering was the finished one: see
    /// `pastStartFloor`) as a rep: its axis is this sensor's hip axis from now on.
    mutating func accept(_ counted: Candidate? = nil) {
        let c = counted ?? candidate
        acceptedAxis = c.axisSum.normalized
        acceptedTiltSwungTwice = c.tiltSwungTwice
        acceptedStartGravity = c.startGravity
        countedRepFloorPending = c.peakRotationDegrees >= c.peakExcursion
        acceptedRepTilted = countedRepFloorPending
        countedRepTop = c.topGravity
        settlingBack = true
        followedSettling = false
        lastCandidateCounted = true
    }

    /// The other leg's candidate was counted as a rep: this leg supported the body meanwhile, on the floor.
    mutating func otherLegRepCounted() {
        lastCandidateCounted = false
    }

    /// The floor a rep set off from and the ankle's rise where it stopped past its start (see `pastStartFloor`).
    struct PastStartFloor: Sendable {
        /// Gravity in the sensor frame at the floor the rep set off from.
        var gravity: Vector3
        /// The ankle's rise where the leg stopped, cm (drift-corrected there: a still moment).
        var riseAtStop: Float
    }

    /// The floor of a rep whose stop past its start the analyzer keeps undecided (`MotionAnalyzer.PastStartStop`): the
    /// leg may be held at the top of that rep, and the candidate from there its lowering. Nil otherwise.
    var pastStartFloor: PastStartFloor?

    /// Whether the candidate under way is the lowering of the rep whose stop past its start is kept (`pastStartFloor`):
    /// the leg lies within `limit` (degrees) of that rep's floor, with the ankle up at the stop or come down from it
    /// (its rise past the dead band either way), and the candidate never took the ankle up
    /// `pastStartLoweringRiseCentimetres`. A rep that truly landed past its start lies on the floor there, and the next
    /// rep from there goes up and comes back down, maybe to the first one's floor (TUNE 200-299, on the floor alone:
    /// merged reps 7 -> 12, extras 17 -> 19; with this, every row as without keeping the stop). TUNE 0-199: three of
    /// the four stops at a rep's top were 15-17 cm up (the ankle truly 20-25), the fourth 9 cm "down" with its lowering
    /// ending 24 cm down (seed 115: a false stop mid-lift put its rise under the floor); the lowerings rose 5-15 cm on
    /// the way (drift before their stops).
    func backAtPastStartFloor(within limit: Float) -> Bool {
        guard let floor = pastStartFloor else { return false }
        let tilt = floor.gravity.angle(to: orientation.inverseRotate(.unitZ)).radiansToDegrees
        let cameDown = floor.riseAtStop > Self.riseDeadBand || riseCentimetres < -Self.riseDeadBand
        return tilt <= limit && cameDown && candidate.peakRiseCentimetres < Self.pastStartLoweringRiseCentimetres
    }

    /// The highest rise (cm) of a lowering from a stop past a rep's start: a movement that took the ankle this far up
    /// or further from there was a rep of its own (a bird dog's or straight-leg kick's ankle goes 40-70 cm up), not that
    /// rep's lowering. Twice the dead band: the TUNE lowerings rose 5-15 cm.
    static let pastStartLoweringRiseCentimetres: Float = 2 * riseDeadBand

    /// True when the finished candidate turned the shank about an axis within `maximumHipAxisElevationDegrees` of
    /// horizontal in the earth frame, as the hip's is.
    var turnedAboutHipAxis: Bool { hipAxisElevationDegrees <= Self.maximumHipAxisElevationDegrees }

    /// The finished candidate's rotation axis' angle from horizontal (earth frame), degrees (90 without one).
    var hipAxisElevationDegrees: Float {
        guard let earth = candidate.earthAxisSum.normalized else { return 90 }
        return _asinf(min(1, abs(earth.z))).radiansToDegrees
    }

    /// Largest elevation of a hip axis, degrees (|z| < 0.87). Not less than 53: a pelvic fault during the small prone
    /// raise tilts it. Not 53 either: a bird dog's shank turns little (it mostly travels, its excursion measured in
    /// cm), and the knee's twist and the pelvis' rotation tilt the axis of what it turns by 53-59° (TUNE 0-199: seeds
    /// 30, 68 and 160, and a straight-leg kick and a back kick strapped 90° on the leg, dropped as
    /// `not_about_hip_axis`). A leg repositioned with its axis that steep is told apart by how it turned
    /// (`MotionAnalyzer.repositionAxisLimit`): at 60, the 5 non-reps between 53 and 60 on TUNE 0-199 are dropped as
    /// `reposition` instead, and no non-rep is counted (TUNE 0-199 matched +5; held-out 200-299 matched +3, extras
    /// unchanged).
    static let maximumHipAxisElevationDegrees: Float = 60

    /// True when the finished candidate's axis (sensor frame) is more than 60° from the previous rep's: the
    /// sensor was strapped on anew (on the other leg) although gravity's direction in it barely changed. The
    /// axis is signed (the extension's, the rep's first motion): the same strap on either leg gives the same
    /// signed axis, so a reversed one (a new strap turned over) counts as changed. But not a reversed one when this
    /// rep's or the previous one's shank swung twice (`Candidate.tiltSwungTwice`: a straight-leg kick or bird dog):
    /// two joints turn that shank, the knee straightening and the hip extending about the same line, and which of them
    /// leads the first motion changes between sets with the knee's lag, so the same leg's axis reverses exactly (its
    /// cosine -1.0) with nothing re-strapped; taken for a new strap, every later rep was given the other leg (TUNE seed
    /// 18 sets 3-4, seed 300 set 2; seeds 52, 73, 109, 159, 176, 345, 482, 483). An axis turned off its line (cosine
    /// under 0.5 either way) still counts. TUNE 0-199 leg attribution 0.950 -> 0.970 (straight-leg kick 0.861 ->
    /// 0.943), TUNE 300-499 0.979 -> 0.989, every count unchanged.
    var axisChangedFromPreviousRep: Bool {
        guard let axis = candidate.axisSum.normalized, let previous = acceptedAxis else { return false }
        let cosine = axis.dot(previous)
        let twoJoints = candidate.tiltSwungTwice || acceptedTiltSwungTwice
        return abs(cosine) < 0.5 || cosine < 0 && !twoJoints
    }

    /// The turn of the shank's inclination (degrees, sensor frame) from the candidate's start to `gravity` when it is a
    /// sensor strapped on anew: past `Settings.remountAngleDegrees` (the test that flips the leg of a single ankle
    /// sensor) after the sensor was handled, its rotation path longer than `handledPathDegrees` and either than
    /// `handledPathFraction` of its excursion (a rep's top is reached in one turn about the hip axis) or lying well
    /// short of the tilt it was turned to (`putDownShortFraction`: a rep is held at its top); nil otherwise.
    func remountTurn(to gravity: Vector3, settings: MotionAnalyzer.Settings) -> Float? {
        let turn = candidate.startGravity.angle(to: gravity).radiansToDegrees
        guard turn > settings.remountAngleDegrees, candidate.pathDegrees > Self.handledPathDegrees,
            candidate.pathDegrees > Self.handledPathFraction * candidate.peakExcursion
                || turn < Self.putDownShortFraction * candidate.peakRotationDegrees
        else { return nil }
        return turn
    }

    /// Rotation path (degrees) beyond which a candidate may be a sensor handled (the `not_a_hinge` test's, with its
    /// planarity under 0.6).
    static let handledPathDegrees: Float = 90
    /// Rotation path over excursion of a sensor handled and strapped on anew, at least. TUNE 0-199, every candidate held
    /// still 1 s with the shank turned past `remountAngleDegrees` from its start: at the top of a true rep (930)
    /// p95/p99/max 1.14/1.31/1.93 (none of them with a path over `handledPathDegrees` and 1.5), after a single ankle
    /// sensor moved to the other leg (68 holds, 61 candidates) min/p5/p50 1.23/1.38/2.16 (54 of the 61 over 1.5).
    static let handledPathFraction: Float = 1.5
    /// Tilt from the start over the candidate's peak tilt (0…1) below which a sensor handled and lying still was put
    /// down short of where it was turned to (strapped on anew), not held at a rep's top, whatever its path: a rep is
    /// held where it turned to. TUNE seed 107: a single ankle sensor turned 160° on its way to the other leg and put
    /// down 90° from the old rest (0.56), its path 1.4 times that peak, was taken for a rep held 8.6 s; it ran into the
    /// next set's first rep, and the rest was taken at that rep's top (5 reps missed, 3 extras: a phase-shifted
    /// chain). TUNE 0-199: no candidate of a true rep was ended by it.
    static let putDownShortFraction: Float = 0.7

    /// How far the sensor's rest inclination at the end of the finished candidate is from the one it started
    /// from, degrees: a rep puts the leg back where it was; a sensor handled and strapped on again does not.
    var landingTiltDegrees: Float {
        candidate.startGravity.angle(to: orientation.inverseRotate(.unitZ)).radiansToDegrees
    }

    /// The longest silence of the sensor that the open candidate goes on through, s: a gap of samples (a radio burst)
    /// in a rep is not a reason to drop it, as long as no more of the candidate goes unseen than is seen (a
    /// physiotherapist who looked away for a second still saw the leg go up and come back; one who saw only its
    /// first instant did not see a rep). Judged when the candidate ends (`seenAndUnseen`), not at the gap: a
    /// gap early in a rep is outweighed by what is seen after it (TUNE seed 150 rep 5: 0.25 s seen, 0.9 s lost, then
    /// 6 s of a slow back kick seen, dropped at the gap). So the longest silence that what can still be seen of the
    /// candidate, up to `Settings.maximumRepDuration`, may outweigh. Without a candidate, `Settings.ankleGapDuration`
    /// (beyond it the orientation filter restarts its inclination).
    ///
    /// A candidate under way when the sensor's line went away (`lineLost(at:)`) goes on through no gap: what the
    /// leg did until the sensor is back was not seen, and the person may have strapped it on again meanwhile.
    func longestKeptSilence(settings: MotionAnalyzer.Settings) -> Double {
        // With a gap g and the rest of the longest rep seen: unseen + g <= seen + (maximum - seen - unseen - g),
        // that is g <= maximum / 2 - unseen.
        func outweighable(unseen: Double) -> Double { settings.maximumRepDuration / 2 - unseen }
        if leavingRest, lineLostTime < lastQuietTime {
            // The lift since the quiet band, and the rest of the longest rep, may outweigh it.
            return max(settings.ankleGapDuration, outweighable(unseen: unseenBeforeOnset))
        }
        guard state != .idle, lineLostTime < candidate.onsetTime, let last = lastTime else {
            return settings.ankleGapDuration
        }
        let seen = last - candidate.onsetTime - candidate.unseenDuration
        let unseen = candidate.unseenDuration
        return max(settings.ankleGapDuration, seen - unseen, outweighable(unseen: unseen))
    }

    /// Idle, the leg past the quiet band and turning at the last sample: a lift that a gap of samples cut into before
    /// it reached `onsetLevel` goes on through it like a candidate (TUNE seed 129 rep 8: 0.3 s of a back kick's lift
    /// seen, 0.8 s lost, then its top and lowering seen from a rest taken again only back on the floor: not seen).
    private var leavingRest: Bool {
        state == .idle && restOrientation != nil && excursion > Self.quietLevel && !wasStill
    }
    /// The silence that such a lift went on through before it began its candidate, s (`Candidate.unseenDuration`).
    private var unseenBeforeOnset: Double = 0

    /// How long the finished candidate was seen and how long its sensor was silent in it (gaps it went on through,
    /// `longestKeptSilence`), s: a rep is one only if it was seen at least as long as it went unseen, or went unseen no
    /// longer than a glance away (`MotionAnalyzer.glanceAwayDuration`). A lift lost in a gap from a known rest
    /// (`Candidate.liftUnseenDuration`) is neither: what is seen of the rep is its top and its way back to that rest.
    var seenAndUnseen: (seen: Double, unseen: Double) {
        (candidate.endTime - candidate.onsetTime - candidate.unseenDuration - candidate.liftUnseenDuration,
            candidate.unseenDuration)
    }

    /// The sensor's line went away at session time `time`, s (unplugged, a read error, its firmware restarted:
    /// not a silence of a line still open): the candidate under way then ends like one whose sensor went silent
    /// for `Settings.ankleGapDuration`, whatever was seen of it before (`longestKeptSilence`).
    mutating func lineLost(at time: Double) {
        lineLostTime = time
    }

    /// Drops the candidate (the analyzer found it is not a rep); the rest posture is taken again when still.
    mutating func abandon() {
        state = .idle
        phase = .rest
        restOrientation = nil
    }

    /// Drops the candidate open, if any, when the other leg's rep was dropped as a change of posture: both legs turn
    /// with the trunk getting down from standing, and only one of them is the open rep. This one, begun with it from
    /// the standing rest, stayed open with its leg lying on the floor of the new posture, never back near that rest
    /// nor parked long enough to end; the leg's first rep from that floor began no candidate until a calibration 2 s
    /// still took the rest again (TUNE seeds 95 and 100: rep 1, 2.6 s after getting down, not seen; seed 30 rep 1
    /// counted 8.5 s late, seed 37 rep 8 split). Nothing counted is lost: a candidate that began while the other leg's
    /// rep was open is never counted once that rep is dropped. Its rest is taken again once the leg is still.
    mutating func abandonOpenCandidate() {
        if state != .idle { abandon() }
    }

    /// Forgets the rest posture (after calibration or a sensor moved): it is taken again when still.
    mutating func resetRest() {
        restOrientation = nil
        settlingBack = false
        countedRepFloorPending = false
        lastCandidateCounted = false
        unseenBeforeOnset = 0
        pendingLiftUnseen = 0
        lastEndedUp = false
        state = .idle
        phase = .rest
        excursion = 0
        rotationDegrees = 0
        riseCentimetres = 0
    }

    /// The samples stopped for a while: the candidate (if any) is over, the leg's rest and rise are taken again
    /// (the orientation filter restarts its inclination after a gap, and its heading with it).
    private mutating func forgetAfterGap() {
        if restOrientation != nil { restGravityBeforeGap = restGravity }
        restedUpToGap = restOrientation != nil && state == .idle && excursion < Self.quietLevel
        floorBeforeGap = acceptedStartGravity
        tiltedRepBeforeGap = acceptedRepTilted
        tiltRamp.forget()
        resetRest()
        stillness.forgetPeriods()
        verticalVelocity = 0
        settledRise = 0
        closeStretch()
        wasStill = false
    }

    /// Whether the first sample after a gap shows the shank's inclination: the orientation filter starts it over from
    /// this accelerometer reading, which is gravity only while the ankle is not accelerating (`gapAlignmentDeviationG`,
    /// `gapAlignmentTurnDps`). A leg seen mid-movement is read tilted tens of degrees wrong, and the filter takes a
    /// second to come back from it.
    private func readsGravity(_ sample: ImuSample) -> Bool {
        abs(sample.accelerometer.length - 1) <= Self.gapAlignmentDeviationG
            && sample.gyroscope.length < Self.gapAlignmentTurnDps
    }

    /// Whether a leg seen again after a gap, its rest not yet taken again, set off on a lift in the gap from the rest
    /// it lay at before it (`floor`, gravity in the sensor frame): that rest was the floor its last counted rep set off
    /// from (`repFloor`, within `resumedRestAngleDegrees`: not a top held long enough to be taken for the rest, nor a
    /// sensor strapped on anew), its shank's inclination is now further than `resumedRestAngleDegrees` from it (not
    /// the same rest posture), and the gap lasted no longer than a lift may (`Settings.maximumConcentricDuration`: a
    /// longer one may hide more than a lift). The caller checks that the leg lay in its rest's quiet band up to the gap
    /// (`restedUpToGap`), that this is the first sample after it and reads gravity (`readsGravity`), and that its last
    /// counted rep was measured by its shank's tilt (`tiltedRepBeforeGap`: back
    /// kick, kickback, prone raise), where the inclination tells the top from the floor; a straight-leg kick's or bird
    /// dog's shank tilts mid-lift and is about as level at the top as on the floor.
    /// Or the shank is still within `resumedRestAngleDegrees` of that rest but turning faster than the stillness
    /// threshold (`turnDps`, deg/s, the first sample's gyroscope less its bias): the lift set off in the gap, or as it
    /// ended, and is seen on its way up. Without that rest the leg had none until it lay still `resumedRestDuration`
    /// away from the floor (or back on it), and the rep went by with no candidate (TUNE seed 412 rep 17, a slow
    /// kickback's lift seen 4.7 deg up at 14 deg/s after a 0.74 s gap; seed 186 rep 3, seen 7 deg up). Its start is dated at the last sample
    /// before the gap, at most a gap early, and its tempo is not judged (`pendingLiftUnseen`). A leg seen lying still
    /// there takes its rest where it lies, as before.
    private func setOffInGap(
        from floor: Vector3, repFloor: Vector3, to gravity: Vector3, turnDps: Float, gapStart: Double, at t: Double,
        settings: MotionAnalyzer.Settings
    ) -> Bool {
        t - gapStart <= settings.maximumConcentricDuration
            && repFloor.angle(to: floor).radiansToDegrees <= Self.resumedRestAngleDegrees
            && (floor.angle(to: gravity).radiansToDegrees > Self.resumedRestAngleDegrees || turnDps > settings.stillGyroDps)
    }

    /// Takes one sample of this ankle with its fused orientation and says what it changed. `backTilted`: the lumbar
    /// sensor shows the back of this leg's open rep tilted from where it lay when the rep set off
    /// (`MotionAnalyzer.noteBackTilt(inRepOf:at:)`; false without the lumbar sensor): a dip of the leg may then be the
    /// pelvis moving, and the rep does not end settled low there.
    mutating func update(
        sample: ImuSample, orientation q: Quaternion, settings: MotionAnalyzer.Settings, confirmExcursion: Float,
        backTilted: Bool, pelvisTurnDps: Float = 0
    ) -> Step {
        let t = sample.time
        let silence = lastTime.map { t - $0 } ?? 0
        let keptSilence = longestKeptSilence(settings: settings)
        let resumed = silence > keptSilence
        if resumed {
            lastTimeBeforeGap = lastTime
            keptSilenceBeforeGap = keptSilence
            forgetAfterGap()
        } else if silence > settings.ankleGapDuration {
            // A candidate kept through the gap: judged on what comes after. Still and not-turning periods start
            // again (the leg may have moved meanwhile).
            if state == .idle { unseenBeforeOnset += silence } else { candidate.unseenDuration += silence }
            stillness.forgetPeriods()
        }
        let dt = Float(lastTime.map { max(0, min(t - $0, 0.1)) } ?? 0)
        lastTime = t
        orientation = q
        _ = stillness.update(
            sample, gyroThresholdDps: settings.stillGyroDps, accelerationThresholdG: settings.stillAccelerationG)
        // Turning as fast as the pelvis turning (within the stillness threshold): carried by it, the hip and knee held.
        let ankleTurnDps = stillness.angularSpeedDps
        carriedByPelvis = ankleTurnDps >= settings.stillGyroDps && abs(ankleTurnDps - pelvisTurnDps) < settings.stillGyroDps
        heldAtHip = ankleTurnDps < settings.stillGyroDps || carriedByPelvis
        // A leg that does not turn is at rest or holding: floor vibration shakes the accelerometer, not the
        // leg's orientation, so the ankle's rest, its zero-velocity updates and the rep's end go by rotation.
        let stillFor = stillness.notTurningDuration(at: t)
        // Gravity's direction in the sensor frame: the shank's inclination, used below for the rest, the stops and the
        // excursion. How long the leg has held one posture (for `parked`): still by the accelerometer too, which sees
        // the ankle set off before a level shank turns.
        let gravity = q.inverseRotate(.unitZ)
        if let since = stillness.stillSince {
            if since > holdSince {
                holdSince = since
                holdGravity = gravity
            } else if holdGravity.angle(to: gravity).radiansToDegrees > Self.heldPostureDegrees {
                holdSince = t
                holdGravity = gravity
            }
        }
        let heldFor = stillness.stillSince == nil ? 0 : t - holdSince
        if stillness.angularSpeedDps < Self.departureSpeedDps {
            restingSince = min(restingSince, t)
        } else {
            restingSince = .infinity
        }
        let still = stillness.notTurningSince != nil

        // Vertical specific force in the earth frame minus gravity: the ankle's vertical acceleration.
        let verticalG = q.rotate(sample.accelerometer).z - 1
        if state == .idle {
            tiltRamp.note(gravity, turning: stillness.notTurningSince == nil, at: t)
            // The offset is measured where the ankle cannot be accelerating: gyroscope and accelerometer quiet
            // for `offsetStillDuration` (not turning alone lets in the first instants of a kick, whose shank has
            // not started turning while the ankle already accelerates at 0.3 g), averaged over a time constant
            // (not a sample count: the same at 25 and 1000 Hz).
            if stillness.stillDuration(at: t) >= Self.offsetStillDuration {
                verticalOffsetG += Float(Double(dt) / (Self.offsetTimeConstant + Double(dt))) * (verticalG - verticalOffsetG)
            }
            offsetHistory.append(time: t, verticalOffsetG)
            if resumed, restOrientation == nil, restedUpToGap, tiltedRepBeforeGap, readsGravity(sample),
                let floor = restGravityBeforeGap, let gapStart = lastTimeBeforeGap, let repFloor = floorBeforeGap,
                setOffInGap(
                    from: floor, repFloor: repFloor, to: gravity, turnDps: (sample.gyroscope - stillness.biasDps).length,
                    gapStart: gapStart, at: t, settings: settings)
            {
                // Lay at rest before the gap and is well away from that rest after it, or near it and turning: the
                // lift went unseen in the gap, or set off in it. The rest is that floor (the sensor frame is the
                // shank's, whatever the filter's restart did to its heading), taken as of the last sample before the
                // gap, so the candidate sets off there and is seen from its top back down (TUNE seed 0 rep 6, a back
                // kick's whole 0.5 s lift lost in a 1.1 s gap, seen at 60 deg and back: no rest, and no candidate,
                // until it lay on the floor again). Judged on the first sample after the gap only, and only when it
                // reads gravity: a leg seen lying on the floor first and
                // lifted later set off after the gap, not in it (its start would be dated up to a gap early), and a
                // leg seen mid-lowering is read far from a floor it has nearly reached (the candidate then runs on
                // into the next rep while the filter comes back).
                takeRest(q * Quaternion(from: floor, to: gravity), at: gapStart)
                pendingLiftUnseen = t - gapStart
                restGravityBeforeGap = nil
                floorBeforeGap = nil
                restedUpToGap = false
            }
            if stillFor >= Self.restSettleDuration {
                settledRise = 0
                closeStretch()
                // The settling is one movement: once the leg has come to rest after it, the next one is its own.
                if followedSettling || stillFor >= Self.settleBackWithin { settlingBack = false }
                if let before = restGravityBeforeGap, stillFor < Self.resumedRestDuration,
                    before.angle(to: gravity).radiansToDegrees > Self.resumedRestAngleDegrees
                {
                    // Back after a gap, still but not where the leg rests: wait.
                } else if restOrientation == nil {
                    takeRest(q, at: t)
                    priorRestGravity = floorBeforeGap.flatMap {
                        $0.angle(to: gravity).radiansToDegrees > Self.resumedRestAngleDegrees ? $0 : nil
                    }
                    restGravityBeforeGap = nil
                    floorBeforeGap = nil
                } else if restFollowsLeg(to: gravity) {
                    if let setOff = creptAway(to: gravity, at: t) {
                        // A lift crept up under the stillness threshold, one way, from where the leg lay: measured from
                        // there, it begins a candidate below (`creptAway(to:at:)`).
                        restOrientation = (q * Quaternion(from: setOff, to: gravity)).normalized
                    } else {
                        restOrientation = q
                        // Past `quietLevel` from the anchor only on a lowering's tail, toward the floor: the anchor
                        // goes with it (`restFollowsLeg(to:)`).
                        if !lastEndedUp && restAnchorGravity.angle(to: gravity).radiansToDegrees > Self.quietLevel {
                            restAnchorGravity = gravity
                        }
                    }
                }
                if t - restingSince >= Self.creepRestDuration { restedSinceRestTaken = true }
            } else if let rest = restOrientation, settlesBack(from: rest.inverseRotate(.unitZ), to: gravity) {
                // The tail of the last rep's lowering: the rest goes with it; the next rep sets off from where it ends.
                takeRest(q, at: t)
                followedSettling = true
            }
        }
        if still && stretchOpen {
            if !wasStill {
                decidePendingStop(at: t)
                stopRise = stretchRise
                stopVelocity = verticalVelocity
                stopDuration = Float(t - stretchStart)
            }
            let speed = abs(stopVelocity)
            let cruising = speed > Self.cruisingFraction * stretchPeakSpeed && Self.cruisingSpeedRange.contains(speed)
            if !cruising || stillFor >= Self.cruisingStopDuration {
                // A moving stretch ended at rest: remove its linear velocity drift, keep its displacement, as of when
                // the leg stopped turning.
                let pending = PendingStop(
                    time: t - stillFor, stretchStart: stretchStart, settledBefore: settledRise, rise: stopRise,
                    velocity: stopVelocity, peakSpeed: stretchPeakSpeed, fromRest: stretchFromRest,
                    peakRise: stretchPeakRise, peakRiseTime: stretchPeakRiseTime)
                let settledBefore = settledRise
                settledRise += stopRise - stopVelocity * stopDuration / 2 * 100
                if case .candidate = state, stretchFromRest {
                    // Still at least half as high as the movement took it (drift removed there too): stopped at its
                    // top, not landed after going up and back down in one movement (a fast rep without a hold).
                    let duration = max(stopDuration, 1e-3)
                    let tau = Float(min(max(stretchPeakRiseTime - stretchStart, 0), Double(duration)))
                    let peak = settledBefore + stretchPeakRise - stopVelocity * tau * tau / (2 * duration) * 100
                    riseAfterOneMovement = settledRise >= Self.heldUpFraction * peak ? settledRise : nil
                    // The candidate's whole rise is this stretch's: its peak excursion is what the drift-corrected rise
                    // and the shank's tilt reached, not the drifting rise integrated on the way. Against the drifted
                    // peak a rep held at its top was "settled low" (or near rest) there and ended, its lowering counted
                    // as a second rep or dropped (TUNE seed 87, 25 Hz: 44 cm integrated on a slow kick whose shank
                    // tilted 10 deg, corrected to 0 at the top; TUNE 0-199: 7 more reps matched, 7 fewer extras).
                    let correctedPeak = max(candidate.peakRotationDegrees, peak - Self.riseDeadBand)
                    if correctedPeak < candidate.peakExcursion { candidate.peakExcursion = correctedPeak }
                    gravityAtOneMovementStop = gravity
                    // Went down, not up: a hip extension lifts the ankle first (kickback, prone raise, kick, bird dog).
                    // Not a candidate whose lift went unseen in a gap: its first movement seen is its lowering.
                    if settledRise < -Self.riseDeadBand && peak < Self.riseDeadBand && candidate.liftUnseenDuration == 0 {
                        descentAfterOneMovement = -settledRise
                    }
                }
                closeStretch()
                pendingStop = pending
            }
        }
        if !still && !stretchOpen {
            // A stop that lasted as long as a cruising one must is a stop whatever follows.
            if let p = pendingStop, t - p.time >= Self.cruisingStopDuration { pendingStop = nil }
            stretchOpen = true
            stretchPeakSpeed = 0
            stretchStart = t
            stretchFromRest = state == .idle
            riseAfterOneMovement = nil
            descentAfterOneMovement = nil
            stretchPeakRise = 0
            stretchPeakRiseTime = t
        }
        if stretchOpen {
            verticalVelocity += (verticalG - verticalOffsetG) * Units.standardGravity * dt
            stretchRise += verticalVelocity * dt * 100
            stretchPeakSpeed = max(stretchPeakSpeed, abs(verticalVelocity))
            if stretchRise > stretchPeakRise {
                stretchPeakRise = stretchRise
                stretchPeakRiseTime = t
            }
        }
        riseCentimetres = settledRise + stretchRise
        wasStill = still
        guard let rest = restOrientation else { return resumed ? .resumedAfterGap : .none }
        // The shank's change of inclination (gravity's direction in the sensor frame), not its whole rotation:
        // hip extension tilts the shank about a horizontal axis, while the heading of a 6-axis filter drifts
        // (real data: 5–7° of heading in a 7 s hold made a lowered leg look 7.7° from rest after a 12° raise).
        rotationDegrees = rest.inverseRotate(.unitZ).angle(to: gravity).radiansToDegrees
        excursion = Self.excursion(rotationDegrees: rotationDegrees, riseCentimetres: riseCentimetres)
        if excursion < Self.quietLevel {
            lastQuietTime = t
            unseenBeforeOnset = 0
        }
        let speed = (sample.gyroscope - stillness.biasDps).length
        if speed < Self.slowSpeedDps {
            lastSlowTime = t
            if slowSince > t { slowSince = t }
        } else {
            slowSince = .infinity
        }
        if excursion > Self.onsetLevel { lastActiveTime = t }
        if stillness.angularSpeedDps < Self.departureSpeedDps { lastRestingTime = t }

        if resumed { return .resumedAfterGap }
        switch state {
        case .idle:
            phase = .rest
            guard excursion > Self.onsetLevel else { return .none }
            state = .candidate(confirmed: false)
            candidate = Candidate()
            candidate.startGravity = restGravity
            candidate.priorRestGravity = priorRestGravity
            priorRestGravity = nil
            candidate.countedRepFloor = countedRepFloor.flatMap { floor in
                floor.angle(to: restGravity).radiansToDegrees > Self.quietLevel ? floor : nil
            }
            countedRepFloorPending = false
            candidate.setOffFromCountedRep = lastCandidateCounted
            lastCandidateCounted = false
            previousStartGravity = restGravity
            settlingBack = false
            lastEndedUp = false
            candidate.beganTime = t
            candidate.unseenDuration = unseenBeforeOnset
            unseenBeforeOnset = 0
            candidate.liftUnseenDuration = pendingLiftUnseen
            pendingLiftUnseen = 0
            riseAfterOneMovement = nil
            descentAfterOneMovement = nil
            // The leg started when it last turned slowly before leaving the quiet band (not before the rest
            // posture was taken: after a dropped candidate the quiet band may be long past).
            candidate.onsetTime = max(min(lastSlowTime, lastQuietTime), restTakenTime, lastCandidateEnd)
            // A lift that crept up under the stillness threshold set off before that, where the shank's inclination began
            // its steady climb to here (`TiltRamp`); not a leg settling after its landing.
            candidate.startTime = candidate.onsetTime
            if let ramp = tiltRamp.start(
                reaching: gravity, notBefore: max(restTakenTime, lastCandidateEnd), onset: candidate.onsetTime),
                ramp.time >= lastCandidateEnd + Self.landingSettleDuration,
                ramp.degreesBeforeOnset >= Self.rampOnsetDegrees
            {
                candidate.startTime = ramp.time
                candidate.setOffGravity = ramp.gravity
            }
            candidate.afterZeroedRise = riseZeroedAtLastEnd > Self.riseDeadBand
            riseZeroedAtLastEnd = 0
            candidate.departureTime = max(min(lastRestingTime, candidate.onsetTime), restTakenTime, lastCandidateEnd)
            useOffset(before: min(candidate.onsetTime, stretchStart) - Self.offsetLead, at: t)
            history.removeAll()
            history.append(time: candidate.startTime, 0)
            accumulate(sample: sample, q: q, dt: dt, t: t)
            phase = .concentric
            return .began
        case .candidate(let confirmed):
            accumulate(sample: sample, q: q, dt: dt, t: t)
            updatePhase()
            // The leg's first movement took the ankle down from where it lay still: that was a rep's top, held (taken
            // for the rest after a hold was dropped as not_returned, or after a change of posture), and this is its
            // lowering. Counted, each rep from then on would run from one rep's lowering to the next one's top (a
            // phase-shifted chain: TUNE 0-199, 69 counted reps in 30 chains). The rest is taken again down here.
            // Only once the leg has stayed down there (`loweredStopDuration`): the shank of a slow kick or bird dog stops
            // turning for a moment mid-lift where its tilt turns back, the ankle still moving (and the knee's first bend
            // may dip it 10-15 cm), which the zero-velocity update there reads as a descent.
            let stoppedThere = stillness.stillDuration(at: t) >= Self.restSettleDuration
                && stillFor >= Self.loweredStopDuration
            // Or the rest was taken after a gap away from the floor the leg rested on before it, and the leg's first
            // stop (its velocity drift removed there: the stretch closed) is back on that floor: the shank's
            // inclination within `resumedRestAngleDegrees` of it and nearer to it than to the rest, the ankle not held
            // up by its drift-corrected rise. The rest was a rep's top, held (the hold and a lowering slower than the
            // stillness threshold outlast `resumedRestDuration`), its lift lost in the gap, and this is its lowering,
            // whatever the rise integrated on the way says (TUNE seed 158 rep 3, a sensor turned 90 deg on the leg: its
            // lowering read as a 70 cm rise, counted to the next rep's top, and every later rep given the other leg).
            if stoppedThere, !stretchOpen, let prior = candidate.priorRestGravity {
                candidate.priorRestGravity = nil
                let fromPrior = prior.angle(to: gravity).radiansToDegrees
                if fromPrior < Self.resumedRestAngleDegrees && fromPrior < rotationDegrees
                    && riseCentimetres < Self.riseDeadBand
                {
                    descentAfterOneMovement = nil
                    candidate.loweredToFloorBeforeGap = true
                    state = .idle
                    phase = .rest
                    restOrientation = nil
                    return .discarded(.loweredFromTop, value: max(0, -riseCentimetres), limit: Self.riseDeadBand)
                }
            }
            if let descent = descentAfterOneMovement, stoppedThere {
                descentAfterOneMovement = nil
                candidate.loweredAfterCountedRep = candidate.lowersCountedRepInOneMovement
                state = .idle
                phase = .rest
                restOrientation = nil
                return .discarded(.loweredFromTop, value: descent, limit: Self.riseDeadBand)
            }
            if !confirmed {
                // Back to rest, or settled still somewhere near it (the foot landing after a rep): still and no
                // further from rest for 0.3 s. A lift slower than the stillness threshold is "still" on its way up
                // while its excursion grows. Settled away from where the rest was taken, that posture is the rest.
                let settled = stillFor > 0.3 && t - candidate.peakTime > 0.3
                if excursion < Self.quietLevel || settled {
                    state = .idle
                    phase = .rest
                    if settled { restOrientation = nil }
                    return .discarded(.tooSmall, value: candidate.peakExcursion, limit: confirmExcursion)
                }
                if t - candidate.beganTime > settings.maximumConcentricDuration {
                    state = .idle
                    phase = .rest
                    restOrientation = nil
                    return .discarded(
                        .notReturned, value: Float(t - candidate.beganTime),
                        limit: Float(settings.maximumConcentricDuration))
                }
                if candidate.peakExcursion >= confirmExcursion {
                    state = .candidate(confirmed: true)
                    if let setOff = candidate.setOffGravity { measureFrom(setOff, gravity: gravity) }
                    return .confirmed
                }
                return .none
            }
            // Landed: still with the shank's inclination back at rest, either from a tilted top (any stop at the top
            // with the shank tilted, not only the first, which may be a pause mid-lift) or after a second swing that
            // followed a stop at the top with the shank level (the kick's and bird dog's top, where only the rise
            // tells the top from the floor). The rise is zero there whatever
            // its integration says: a slow movement down (2–4 s) leaves tens of centimetres of drift, and the
            // shank stops turning for a moment where its tilt turns back, a false zero-velocity update.
            let levelTilt = max(Self.quietLevel, Self.endFraction * candidate.peakRotationDegrees)
            if stillFor >= Self.endStillDuration && rotationDegrees < levelTilt && riseCentimetres != 0 && !backTilted
                && (candidate.largestRotationAtTopStop >= Self.tiltedTopFraction * candidate.peakRotationDegrees
                    || candidate.swungAfterLevelStop)
            {
                candidate.riseZeroedAtEnd = riseCentimetres
                zeroRise()
            }
            // Back at rest: still (so the rise is drift-corrected) and near the rest posture. The rep ended
            // when the leg stopped turning.
            // Or settled for half a second most of the way back (a rest posture a few degrees off the old one,
            // or an orientation step from a glitch): a hold at the top stays near the peak instead.
            let peak = candidate.peakExcursion
            // Not at a stop the ankle reached in one movement from the floor with its rise, drift-corrected there, above
            // the dead band: the leg is held up at its top, whatever the shank's tilt. A slow straight-leg kick or bird
            // dog tilts the shank 30-45 deg mid-lift and holds it level at the top, 15-25 cm up; that rise less the
            // dead band is below a fifth of the tilt peak, and the rep ended at its top, its lowering a second rep
            // (TUNE 0-199: 56 of 103 splits, 52 of them lifts of 1.8 s or more). One stretch from rest is the rise's
            // best-measured case: its velocity drift is removed at the stop, and nothing before it carries over.
            // Held up only by a rise that is itself excursion past the quiet level, as the excursion's rest is: a foot
            // tap or a leg slid out and back, its shank back within a degree of its rest, reads 10.3-11.5 cm on the
            // drift of that one shaken movement; held "up", it lay there open into the next rep's lift, counted from
            // the tap 1.1-2.5 s early (TUNE seed 94 rep 8, seed 185 rep 17: counted as the tap, not the rep).
            let heldUp = still
                && Self.excursion(rotationDegrees: 0, riseCentimetres: riseAfterOneMovement ?? 0) >= Self.quietLevel
            let nearRest = !heldUp && excursion < max(Self.quietLevel, Self.endFraction * peak)
            let fallen = (history.value(atOrBefore: t - Self.settledLowDuration) ?? excursion) - excursion
            let stillComingDown = stillness.angularSpeedDps >= Self.settledTurnDps
                && fallen > Self.settledFallPerSecond * Float(Self.settledLowDuration)
            // Nor while the shank's stop waits to be taken as one (`cruisingStopDuration`): the ankle was at its
            // cruising speed when the shank stopped turning, and by its velocity is still coming down. A straight-leg
            // kick's shank stops turning where its tilt turns back, a third of its peak from rest, with the ankle still
            // 10-20 cm up and coming down at 30 cm/s (TUNE seed 122 rep 15): ended there, the rest was taken
            // mid-lowering and the rest of the lowering was counted with rep 16's lift as a rep.
            let cruisingStopPending = still && stretchOpen
            let settledLow = !heldUp && stillFor >= Self.settledLowDuration
                && excursion < Self.settledLowFraction * peak && !stillComingDown && !cruisingStopPending
            // Or the leg came most of the way back and is rising again without a pause (fast reps back to back,
            // real data: 0.8 s between two slow reps): the rep ended at the lowest point between them.
            if still && !heldUp && excursion < Self.valleyFraction * peak { candidate.stoppedLow = true }
            if candidate.stoppedLow && candidate.valleyExcursion < Self.valleyFraction * peak
                && excursion > candidate.valleyExcursion + Self.reRiseFraction * peak
            {
                candidate.endTime = candidate.valleyTime
                candidate.backAtRestTime = candidate.valleyTime
                candidate.endedAtValley = true
                lastCandidateEnd = candidate.endTime
                state = .idle
                phase = .rest
                return .completed
            }
            if excursion >= Self.settledLowFraction * peak { candidate.lastAwayTime = t }
            // Set off from where the last rep "landed" with its rise, drift-corrected, more than the dead band up (the
            // landing rule zeroed it), and went down more than the dead band in one movement: that landing may have
            // been the rep's top (a straight-leg kick's or bird dog's shank tilts up mid-lift and is level again at
            // the top, 20-40 cm up; a mid-lift turn of the shank taken for a tilted top) and this its lowering. Not
            // ended here before `loweredStopDuration` decides it (lowered_from_top, not counted): ended at once, the
            // lowering was a second rep inside the true one (TUNE 0-199: split 54 -> 34). The zeroed rise cannot
            // decide the landing itself: at the landings of true reps it was above the dead band in 25 % of them
            // (p50/p75/p95 3.3/10.3/34.8 cm of 3144; at the false ones in true tops, 49, p25/p50 26.5/30.5 cm).
            // So too in one movement down from where the rep counted just before ended
            // (`lowersCountedRepInOneMovement`): the rest of that rep's lowering.
            let awaitingLowered = (candidate.afterZeroedRise || candidate.lowersCountedRepInOneMovement)
                && descentAfterOneMovement != nil && stillFor < Self.loweredStopDuration
            // Not settled low while the back lies tilted from where it was when the rep set off (`backTilted`): a
            // back rising and falling in a long hold (the pelvis extends, then flexes) tilts the leg down with it,
            // often most of the way by its excursion, and the leg stops there for a moment before the back comes back
            // up. Ended there, the rest of the hold and the lowering were counted as a second rep (TUNE seeds 118 rep
            // 12, 125 rep 5, 160 rep 8, 180 rep 7, 199 rep 18). The landing rule above waits on it too (a bird dog's
            // shank is level at that dip as on the floor). Near rest is a landing whatever the back: waiting there too
            // (and at the valley between two reps), legs whose backs had not come back lay still into the next lift
            // (dropped as `not_returned` or `sensor_resettled`, or merged): TUNE 0-199 matched 3965, against 3968
            // without.
            // Lying back at the floor of a rep kept past its start, as its lowering (`backAtPastStartFloor`): a bird dog's
            // shank tilts further as the knee bends on the way down and may lie at that floor as far from the stop as
            // at its peak (TUNE seed 64 rep 10: held open there until the other leg's rep gave it up). A leg that has
            // not gone further and come back lies there `movedOnDecisionStill` (a slow lift stops turning on its way).
            let loweredToPastStartFloor = pastStartFloor.map { floor in
                guard !heldUp, backAtPastStartFloor(within: settings.maximumLandingTiltDegrees) else { return false }
                let swungPast = candidate.peakExcursion
                    > floor.gravity.angle(to: candidate.startGravity).radiansToDegrees + 2 * Self.onsetLevel
                return stillFor >= (swungPast ? Self.settledLowDuration : Self.movedOnDecisionStill)
            } ?? false
            if stillFor >= Self.endStillDuration && (nearRest || settledLow && !backTilted || loweredToPastStartFloor)
                && !awaitingLowered
            {
                // When the leg slowed down for good, but not before it came most of the way back: a slow rep (a 14°
                // kickback over 3 s up and 3 s down) turns slower than `slowSpeedDps` from the top on, and was dated
                // to end at its top (TUNE seed 58: 5 reps of 8 s measured as 0.6–0.9 s).
                candidate.endTime = min(t, max(slowSince, candidate.lastAwayTime))
                candidate.backAtRestTime = restingSince <= t ? max(restingSince, candidate.endTime) : t
                lastCandidateEnd = candidate.endTime
                riseZeroedAtLastEnd = candidate.riseZeroedAtEnd
                lastEndedUp = max(riseCentimetres, candidate.riseZeroedAtEnd) > Self.riseDeadBand
                state = .idle
                phase = .rest
                // The leg landed near, not exactly, where it started: where it lies now is the next rep's rest
                // (else the few degrees left over start a candidate at once and the next rep's onset is early).
                restOrientation = nil
                return .completed
            }
            // Set off short of where the rep counted just before set off (its rest taken in that rep's lowering, the
            // rep ended early) and lying still back at that floor, never having gone further from its own rest than
            // the floor is: the rest of that rep's lowering, not a rep. A back kick whose back rises and falls in a
            // long hold (the pelvis extends, then flexes) dips its leg a quarter of the way down mid-hold and rises
            // again: ended there (`settledLow`), the rest of the hold and the lowering began a candidate whose floor
            // lay 10-18 deg from its rest, more than its peak the other way; held open, it took the next rep's lift
            // back to that floor with it, dropped as `not_returned` 3 s later (TUNE seeds 35 and 82 rep 22, 101 rep 3,
            // 49 rep 15). The rest is that floor from here, as before the rep. TUNE 0-199: matched reps 3951 -> 3958,
            // extras 52 -> 50, exact set counts 550 -> 555 of 608.
            // Whichever side of the floor the rest lies, nearer that rep's top or not: a straight-leg kick's shank
            // turns back for a moment on the way down, its tilt there off the line from the top to the floor, and a
            // rep ended at that turn took its rest 4.5 deg from the floor and 3 deg further from the top than the floor
            // (TUNE seed 107 rep 16, 1.4 s early: the rest of its lowering, 8 cm, settled back at the floor 0.6 deg from
            // it, was held open as a candidate and took rep 17 with it, dropped as `not_returned`). A leg that landed
            // past its floor and turns back onto it is no rep either (seeds 113 rep 5, 193 rep 18: the back kick was
            // counted from that settling, 1.2-2.1 s early); a rep lifted from there passes the floor by more than
            // `onsetLevel`. TUNE 0-199: matched reps 4015 -> 4016, every other count unchanged.
            if let floor = candidate.countedRepFloor, stillFor >= Self.settledLowDuration,
                floor.angle(to: gravity).radiansToDegrees < Self.quietLevel,
                candidate.peakExcursion
                    <= floor.angle(to: candidate.startGravity).radiansToDegrees + Self.onsetLevel
            {
                candidate.loweredToCountedRepFloor = true
                state = .idle
                phase = .rest
                takeRest(q, at: t)
                settledRise = 0
                closeStretch()
                return .discarded(.loweredFromTop, value: max(0, -riseCentimetres), limit: Self.riseDeadBand)
            }
            // A sensor strapped on anew (on the other leg between sets): handled (`remountTurn`), then lying still in a
            // posture whose inclination turned past the remount test from the rest it left, as long as a sensor put
            // down elsewhere (`parkedDuration`; after 1 s, people standing still after a walk were taken for it). That
            // posture is the new rest: held open, the candidate ran on to the hold's limit or until the next set's first
            // rep came back to it (`not_returned`), and took that rep with it (TUNE seeds 36, 111). Only at the first such
            // hold: a later one may be the top of that rep (TUNE seed 107: taken for the rest, its lowering was counted
            // and every rep after it given the wrong leg).
            if heldFor > Self.parkedDuration, candidate.heldOrientation == nil,
                let turn = remountTurn(to: gravity, settings: settings)
            {
                state = .idle
                phase = .rest
                takeRest(q, at: t)
                settledRise = 0
                closeStretch()
                return .discarded(.sensorResettled, value: turn, limit: settings.remountAngleDegrees)
            }
            // A leg that went up about one way: its rotation path is not much longer than its excursion there and back.
            let wentStraightUp = candidate.pathDegrees <= 2.5 * candidate.peakExcursion + 15
            // A leg held still away from rest: if it then moves on other than back toward the rest, the hold was
            // a new rest (a single ankle sensor strapped onto the other leg, a leg repositioned), not the top of
            // a rep: the candidate ends there and the held posture is the rest of what follows.
            // Only for a leg held tilted, or one that wandered (walking, a sensor handled): the shank of a
            // straight-leg kick or a bird dog is held as level as it started (its excursion is the ankle's rise)
            // and tilts on the way down, which says nothing about where it rests. Judged on the held posture, not
            // on the peaks: the kick's shank swings 45° on the way up (knee bending, then straightening) and would
            // pass for a tilted leg.
            let heldTilted = rotationDegrees >= riseCentimetres - Self.riseDeadBand
            // Held since the candidate began at the earliest (a lift slower than the stillness threshold is not
            // turning before it, `restFollowsLeg(to:)`).
            let heldInCandidate = min(stillFor, t - candidate.beganTime)
            if (heldTilted || !wentStraightUp) && heldInCandidate > Self.parkedDuration && candidate.heldOrientation == nil {
                candidate.heldOrientation = q
                candidate.heldExcursion = excursion
                candidate.heldRise = riseCentimetres
                candidate.heldSince = t - heldInCandidate
            }
            if let held = candidate.heldOrientation {
                if heldInCandidate > 0 && t - heldInCandidate <= candidate.heldSince + 1e-6 {
                    candidate.heldDuration = heldInCandidate
                }
                // Away from the hold further from rest (a) or back to the hold after a movement (b): not a return.
                let fromHold = held.inverseRotate(.unitZ).angle(to: gravity).radiansToDegrees
                if fromHold > candidate.maxFromHold { candidate.maxFromHold = fromHold }
                // Held at the top of a lift (the ankle up by the rise's dead band or more), a leg whose shank is back
                // at its start inclination (as at a rep's end: within `endFraction` of the peak tilt) is on its way
                // down, whatever the rise integrated since says (TUNE: bird dogs held 7-9 s with the ankle 18-19 cm
                // up and the shank tilted 10-27 deg, back within 0.2-2.2 deg of the start while the rise put them
                // 10-26 cm "further"). Not from a hold the ankle did not rise to, nor with the shank only part of the
                // way back: that hold may be a new rest (after getting down, or a set break), and a rep lifted from it
                // may tilt the shank part of the way back toward the old one (classic suite: 7 deg of 9, 41 of 69).
                let loweredFromTop = candidate.heldRise >= Self.riseDeadBand
                    && rotationDegrees < max(Self.quietLevel, Self.endFraction * candidate.peakRotationDegrees)
                let furtherAway = excursion > candidate.heldExcursion + 2 * Self.onsetLevel && !loweredFromTop
                // (b) needs the leg still far from its old rest: a straight-leg kick's shank is as level at the
                // top as at rest, so its inclination comes back to the hold's on the way down too. Further than a
                // movement's onset (`onsetLevel`) at least: a hold taken within a few degrees of rest (the kick's
                // shank back level mid-hold, its rise zeroed there as at a landing, the ankle still up) is no new
                // rest, and the shank's sway in the hold brings it back to the hold's inclination (TUNE seed 345 rep
                // 9: a straight-leg kick held 7.8 s, the hold 4.2 deg from rest, dropped as not_returned 8.35/3 at
                // the first bend of the knee on the way down, 2.2 deg from rest).
                let backToHold = stillFor >= Self.endStillDuration && candidate.maxFromHold > 2 * Self.onsetLevel
                    && fromHold < max(Self.quietLevel, 0.3 * candidate.maxFromHold)
                    && excursion > max(Self.onsetLevel, 0.5 * candidate.heldExcursion)
                // Moving on from a hold no higher than a rep's top may be the lowering of a rep held there (a bird dog
                // or straight-leg kick held up to 10 s: the knee bends on the way down and tilts the shank further than
                // at the hold): decided by where the leg stops next. Back near where it started, the rep ends as any
                // other (one rep with a long hold); still for `movedOnDecisionStill` anywhere else no further from rest
                // than the hold, the hold was a new rest. A stop further out is not decided there: it may be the top of
                // a rep lifted from the hold (TUNE seed 1: taken as the rest, the reps after it were counted from their
                // tops and numbered one set on); the leg's return to the hold decides it (`backToHold`).
                // From a higher or longer hold than a rep's top (a sensor picked up, the leg moved far: TUNE seed 5, a
                // sensor held 14.7 s) the movement is at once the next candidate's, from the hold.
                let mayBeRepTop = candidate.heldExcursion <= Self.maximumHeldTopExcursion
                    && candidate.heldDuration <= settings.maximumHoldDuration
                if furtherAway && mayBeRepTop && candidate.movedOnFromHold == nil { candidate.movedOnFromHold = t }
                let leftHold = furtherAway && !mayBeRepTop
                let stoppedElsewhere = candidate.movedOnFromHold != nil && stillFor >= Self.movedOnDecisionStill
                    && excursion <= candidate.heldExcursion + 2 * Self.onsetLevel
                if leftHold || stoppedElsewhere || backToHold {
                    state = .idle
                    phase = .rest
                    // Moving on: the hold is the rest it left. Still somewhere (back at the hold or elsewhere): this
                    // posture is the rest.
                    if leftHold {
                        takeRest(held, at: lastSlowTime)
                        // The rise is measured from the rest: from the hold on (else what the candidate's rise had
                        // reached, walking drift included, starts the next candidate at once).
                        settledRise -= candidate.heldRise
                    } else {
                        restOrientation = nil
                    }
                    // In the reason's unit (s): how long the leg stayed away from rest, still, before it moved on.
                    return .discarded(
                        .notReturned, value: Float(candidate.heldDuration), limit: Float(Self.parkedDuration))
                }
            }
            // A sensor handled (turned about changing axes), or far from rest too long: not a rep. A hold at
            // the top of a rep may last `maximumHeldTopDuration` (slow reps with a 10 s hold).
            let handled = candidate.pathDegrees > Self.handledPathDegrees && candidate.planarity < 0.6
            // A leg that went up about one way and stopped may hold its top up to `maximumHeldTopDuration`, or up to
            // `maximumHoldDuration` if held further from rest than a leg holds a rep's top (`largestHeldTopDegrees`: a
            // sensor taken off and put down elsewhere); a sensor that turned a long way about (taken off, strapped on
            // elsewhere) and lies still is parked after 3 s.
            let heldBeyondRepTop = candidate.heldOrientation != nil
                && candidate.heldExcursion > Self.largestHeldTopDegrees
            let holdLimit = !wentStraightUp ? Self.parkedDuration
                : heldBeyondRepTop ? settings.maximumHoldDuration : settings.maximumHeldTopDuration
            let parked = heldFor > holdLimit && excursion > 0.5 * candidate.peakExcursion
            let elapsed = t - candidate.onsetTime
            if handled || parked || elapsed > settings.maximumRepDuration {
                state = .idle
                phase = .rest
                restOrientation = nil
                if handled { return .discarded(.notAHinge, value: candidate.planarity, limit: 0.6) }
                if parked { return .discarded(.notReturned, value: Float(heldFor), limit: Float(holdLimit)) }
                return .discarded(.notReturned, value: Float(elapsed), limit: Float(settings.maximumRepDuration))
            }
            return .none
        }
    }

    /// Measures the rep just confirmed from `setOff`, gravity in the sensor frame where the leg set off creeping
    /// (`Candidate.setOffGravity`), instead of from where the rest posture had crept up with it; `gravity` is the shank's
    /// inclination now. A lift slower than the gyroscope's stillness threshold is "not turning" for its first second or
    /// more and the rest follows it meanwhile (`restFollowsLeg(to:)`), so the rep was measured from part of the way up:
    /// its peak came out short by that much and the leg put back where it set off lay that far past the rest, beyond the
    /// end levels (`settledLowFraction` of the short peak), and the rep ran on into the next one's lift (TUNE seed 57 rep
    /// 23, a back kick lifted 14.7 deg over 3.9 s turning 1-5 deg/s: the rest followed it 6.7 deg up, the peak read 8.7
    /// and the landing 6.1 deg from that rest, merged with the next reps for the rest of the set; seed 151 rep 22, seed 3
    /// rep 6). The rest the rep set off from (`previousStartGravity`) is that posture too. Only once confirmed: the
    /// excursion gained here would confirm a movement sooner (a leg turning as the body gets down into position), and the
    /// back's moves during it would be said as `lumbar_moved` for a candidate then dropped.
    /// Only when the rest lies more than `quietLevel` from `setOff`: that close, the rest followed the leg lying still by
    /// its own rule (`restFollowsLeg(to:)`) and the onset level has that margin. Re-measured there, the degree or so
    /// gained raised the back's limit for confirming (`MotionAnalyzer.confirmLumbarLimit`) on a leg turning at
    /// 25 deg/s as the body got down on all fours, and its back's move was said as `lumbar_moved` for a posture change
    /// (TUNE seed 43 at 329.9 s: the ramp's first 0.15 s under the threshold, 1.2 deg). Of 781 re-measurings on TUNE
    /// 0-199, 696 were within `quietLevel`.
    /// TUNE 0-199, with the lowering's tail followed one way (`restFollowsLeg(to:)`), before -> after: matched reps
    /// 3993 -> 4005, extras 15 -> 10, exact set counts 582 -> 585 of 608, merged 6 -> 2, too_fast on others 32 -> 32.
    private mutating func measureFrom(_ setOff: Vector3, gravity: Vector3) {
        guard let rest = restOrientation,
            setOff.angle(to: rest.inverseRotate(.unitZ)).radiansToDegrees > Self.quietLevel
        else { return }
        restOrientation = (rest * Quaternion(from: setOff, to: rest.inverseRotate(.unitZ))).normalized
        candidate.startGravity = setOff
        previousStartGravity = setOff
        rotationDegrees = setOff.angle(to: gravity).radiansToDegrees
        excursion = Self.excursion(rotationDegrees: rotationDegrees, riseCentimetres: riseCentimetres)
        if excursion > candidate.peakExcursion {
            candidate.peakExcursion = excursion
        }
    }

    /// Takes the sensor's orientation `q` as the leg's rest posture from session time `t`, s, on: where the rest
    /// follows the leg from (`restAnchorGravity`), when it was taken (no candidate sets off before), and the leg not
    /// yet lain resting since (`restedSinceRestTaken`). Every place a rest is taken sets all of them together: a rest
    /// taken on a put-down sensor kept the anchor of the rest before, so it followed the leg by the old posture's
    /// rule, and one taken back at a counted rep's floor took the lowering's tail for a leg long rested.
    private mutating func takeRest(_ q: Quaternion, at t: Double) {
        restOrientation = q
        restAnchorGravity = q.inverseRotate(.unitZ)
        restTakenTime = t
        restedSinceRestTaken = false
    }

    /// The rest posture follows the leg lying still (the filter's heading and inclination settling, the leg sinking
    /// into the mat) only while the shank stays within `quietLevel` of where the rest was taken: no movement of the
    /// leg is smaller. A lift slower than the gyroscope's stillness threshold (a 12° prone raise over 4 s, 3°/s) is
    /// "not turning" all the way up; followed, the rest crept up with it, the lift went unseen and the rep was
    /// counted from its lowering to the next rep's top, two reps in one (TUNE 0-199: merged reps).
    /// It also follows a leg creeping back toward the rest the last candidate set off from: the tail of a lowering (a
    /// fast back kick's leg settles its last 5-6° over 1.5 s after the rep ended 5° short; TUNE seed 6). Only until the
    /// leg has lain resting (`creepRestDuration`): its lowering is over, and a movement from there is the next lift.
    /// Followed, a lift slower than the stillness threshold crept the rest up toward a start that was itself taken part
    /// of the way up, each rep's rest a few degrees up its lift: the landing then lay past the end levels and the rep
    /// was counted on into the next one's top (TUNE seed 120 reps 11-12, standing kickbacks: 4-5 deg of a 16 deg lift
    /// followed, landed 5 deg from that rest; seed 180 reps 1-6: a 3.6 s straight-leg kick followed up to 25 cm).
    /// After that, the rest still follows the shank's inclination while the gyroscope says the leg is not turning: the
    /// orientation filter settling, not the leg (TUNE seed 13: a support leg's inclination drifted 7 deg at 0.1 deg/s).
    /// TUNE 0-199: matched reps 3907 -> 3926, extras 74 -> 63 (merged 19 -> 10, split 12 -> 7).
    /// And it follows the leg anywhere after a rep that ended with its ankle still up (`lastEndedUp`): that end may be
    /// the rep's top, held, and the leg's slow movement from there (the knee bending at the top, under the threshold)
    /// the start of its lowering, which must set off from the rest to be told a lowering (`loweredFromTop`; TUNE seed
    /// 109 rep 32: anchored, its lowering began 1 s early, from the top, and was counted as a rep).
    /// The tail is followed only while it comes nearer that start than the rest has got (toward the floor, never away
    /// from it), and the anchor goes with it (the caller moves `restAnchorGravity`): a leg lowered to the floor creeps
    /// toward it one way, and a lift that passes near it on its way up is the next rep from there. Judged against the
    /// anchor instead, the rest went on up the next rep's lift as long as the leg stayed nearer the old start than where
    /// the rest was first taken (TUNE seed 57 rep 23, a back kick landed 3.4 deg from its start and lifted next at 1-5
    /// deg/s past it: followed 6.3 deg up, the rep ran into the next ones for the rest of the set); and with the anchor
    /// left where the tail began, a lift passing within `quietLevel` of it was followed as resting noise (seed 3 rep 5,
    /// never seen). TUNE 0-199 (with `measureFrom(_:gravity:)`): see that function.
    private func restFollowsLeg(to gravity: Vector3) -> Bool {
        if lastEndedUp { return true }
        guard restAnchorGravity.angle(to: gravity).radiansToDegrees > Self.quietLevel else { return true }
        guard let previous = previousStartGravity,
            !restedSinceRestTaken || stillness.angularSpeedDps < Self.departureSpeedDps
        else { return false }
        return previous.angle(to: gravity) < previous.angle(to: restGravity)
    }

    /// Where the leg set off (gravity in the sensor frame) when the rest would follow it (`restFollowsLeg(to:)`) further
    /// than `quietLevel` from its anchor while its shank's inclination has changed steadily, one way, by `onsetLevel` or
    /// more since it lay resting (`TiltRamp`), away from where the last candidate set off: a lift slower than the
    /// stillness threshold, which the rest would otherwise follow all the way up (after a rep that ended with its
    /// ankle up it follows the leg anywhere: TUNE seed 197 rep 5, a bird dog's shank tilted 10 deg over 3 s at
    /// 3-4 deg/s, never seen). Not within `landingSettleDuration` of the last candidate's end (the leg settling after
    /// its landing); a posture drifting slower than `TiltRamp.flatDegrees` per `TiltRamp.flatDuration` makes no ramp.
    /// Nil otherwise. TUNE 0-199: matched reps 4015 -> 4017 (seed 197 reps 5 and 8, rep 8 seen from 1.4 s into its lift
    /// and dropped as posture_change before), extras 8 -> 8, non-reps counted 0 -> 0, exact set counts 593 -> 595 of
    /// 608; nothing else changed.
    private func creptAway(to gravity: Vector3, at t: Double) -> Vector3? {
        guard restAnchorGravity.angle(to: gravity).radiansToDegrees > Self.quietLevel,
            let ramp = tiltRamp.start(reaching: gravity, notBefore: max(restTakenTime, lastCandidateEnd), onset: t),
            ramp.time >= lastCandidateEnd + Self.landingSettleDuration,
            ramp.gravity.angle(to: gravity).radiansToDegrees > Self.onsetLevel
        else { return nil }
        if let previous = previousStartGravity, previous.angle(to: gravity) <= previous.angle(to: ramp.gravity) {
            return nil
        }
        return ramp.gravity
    }

    /// The rest follows a leg turning back toward where the rep just counted set off (`settlingBackTo`) right after it
    /// landed short of there: the knee settling the last of that rep's lowering, not the next rep's lift. People land
    /// a few degrees short and the leg settles over the next 0.5-3 s, faster than the gyroscope's stillness threshold
    /// when 5-15 deg settle in a second or two (5-11 deg/s on TUNE back kicks): that began a candidate, the next rep's
    /// lift went on from it and the rep was counted 1.5-5 s early (TUNE seed 153 reps 6, 8, 9; 0-199: 12 such reps).
    /// Only a landing short of the start (nearer the rep's top than the start is, `countedRepTop`): a leg that landed
    /// past it turns back toward it on the next rep's lift. Only once the leg has gone `quietLevel` from the rest (the
    /// direction of a smaller turn is noise), most of it (`settleBackFraction`) straight toward the start.
    private func settlesBack(from rest: Vector3, to gravity: Vector3) -> Bool {
        guard let start = settlingBackTo, rest.angle(to: countedRepTop) < start.angle(to: countedRepTop)
        else { return false }
        let moved = rest.angle(to: gravity).radiansToDegrees
        guard moved >= Self.quietLevel else { return false }
        let closer = (start.angle(to: rest) - start.angle(to: gravity)).radiansToDegrees
        return closer >= Self.settleBackFraction * moved
    }
    /// Fraction of its turn from the rest that a settling leg comes nearer the rep's start by (1: straight toward it).
    static let settleBackFraction: Float = 0.7
    /// A leg that has not turned for this long after its landing has settled, s: a later movement is its own (a
    /// straight-leg kick's knee first dips the ankle and turns the shank back toward the start: TUNE seed 1 rep 15,
    /// 3.4 s after the landing, was swallowed). The settling follows the landing at once: TUNE back kicks lay still
    /// 0.4-0.8 s before it.
    static let settleBackWithin: Double = 1.0

    /// Takes the vertical offset the ankle had at `time` (before it set off) and corrects the moving stretch under
    /// way for the difference: exact for a constant offset error, which integrates to ½·Δ·g·T² over the stretch.
    private mutating func useOffset(before time: Double, at t: Double) {
        guard let before = offsetHistory.value(atOrBefore: time) else { return }
        let delta = verticalOffsetG - before
        verticalOffsetG = before
        guard stretchOpen else { return }
        if wasStill {
            stopVelocity += delta * Units.standardGravity * stopDuration
            stopRise += delta * Units.standardGravity * stopDuration * stopDuration / 2 * 100
        }
        let duration = Float(t - stretchStart)
        verticalVelocity += delta * Units.standardGravity * duration
        stretchRise += delta * Units.standardGravity * duration * duration / 2 * 100
        riseCentimetres = settledRise + stretchRise
    }

    /// The ankle is on the floor: its rise is zero from here (drift and all), and so is its excursion's rise part.
    /// The stop reached in one movement from rest no longer holds the leg up once the shank has turned away from it
    /// (`leftOneMovementStopFraction`): it was lowered, too slowly for the gyroscope. Not when the shank is still where
    /// it stopped: a slow kick's shank is level at its top as at rest, and only that stop's rise tells it is up.
    private mutating func zeroRise() {
        settledRise = 0
        closeStretch()
        riseCentimetres = 0
        excursion = rotationDegrees
        let turnedFromStop = gravityAtOneMovementStop.angle(to: orientation.inverseRotate(.unitZ)).radiansToDegrees
        if turnedFromStop >= Self.leftOneMovementStopFraction * candidate.peakRotationDegrees {
            riseAfterOneMovement = nil
        }
    }

    /// A stop at the top with the shank tilted at least this fraction of its peak tilt is a tilted top (the prone
    /// raise's, the kickback's): the next stop with the shank level is the landing.
    static let tiltedTopFraction: Float = 0.5
    /// Fraction of the peak tilt the shank must reach again after a level stop at the top to be on its way down.
    static let swingFraction: Float = 0.3

    private mutating func accumulate(sample: ImuSample, q: Quaternion, dt: Float, t: Double) {
        let atTop = excursion > max(Self.onsetLevel, 0.5 * candidate.peakExcursion)
        // A stop is where the leg stopped turning during the candidate: not turning since before it began is a lift
        // slower than the stillness threshold (`restFollowsLeg(to:)`), which reaches its top only later.
        let stoppedSince = stillness.notTurningSince.flatMap { $0 >= candidate.beganTime ? $0 : nil }
        if stoppedSince != nil && atTop {
            if candidate.rotationAtFirstStop == nil {
                candidate.rotationAtFirstStop = rotationDegrees
                candidate.firstStopTime = t
            }
            candidate.largestRotationAtTopStop = max(candidate.largestRotationAtTopStop, rotationDegrees)
            candidate.stoppedAtTop = true
        } else if candidate.stoppedAtTop {
            candidate.stoppedAtTop = false
            candidate.lastStopEndTime = t
        }
        if let since = stoppedSince {
            if candidate.stopStart == nil && excursion > Self.onsetLevel { candidate.stopStart = since }
        } else if let start = candidate.stopStart {
            candidate.stopStart = nil
            if candidate.stops.count < Self.maximumRecordedStops {
                candidate.stops.append(Stop(start: start, end: t, excursion: excursion))
            }
        }
        noteCarriedByPelvis(at: t, atTop: atTop)
        if let first = candidate.rotationAtFirstStop, candidate.lastStopEndTime != nil,
            first < max(Self.quietLevel, Self.endFraction * candidate.peakRotationDegrees),
            rotationDegrees > max(Self.onsetLevel, Self.swingFraction * candidate.peakRotationDegrees)
        {
            candidate.swungAfterLevelStop = true
        }
        if rotationDegrees < 8 {
            let linear = q.rotate(sample.accelerometer) - Vector3(0, 0, 1 + verticalOffsetG)
            candidate.departureVerticalG += abs(linear.z) * dt
            candidate.departureHorizontalG += Vector3(linear.x, linear.y, 0).length * dt
        }
        let omega = sample.gyroscope - stillness.biasDps
        // The path and axis count only while the leg turns: a hold of several seconds would otherwise add the
        // gyroscope's noise and left-over bias (real data: 5–7° in a 5 s hold) to a 12° rep's path. A lift slower than
        // the stillness threshold turns all the same (else a rep turned wholly under it has no path, no axis: not a hinge).
        if stoppedSince == nil {
            let increment = omega * dt
            let aligned = increment.dot(candidate.axisSum) >= 0 ? increment : -increment
            candidate.axisSum += aligned
            candidate.earthAxisSum += q.rotate(aligned)
            candidate.pathDegrees += increment.length
        }
        candidate.peakSpeedDps = max(candidate.peakSpeedDps, omega.length)
        // A new peak also restarts the valley: the lowest point is looked for after the highest.
        let newPeak = excursion > candidate.peakExcursion
        if newPeak {
            candidate.peakExcursion = excursion
            candidate.peakTime = t
        }
        if newPeak || excursion < candidate.valleyExcursion {
            candidate.valleyExcursion = excursion
            candidate.valleyTime = t
            candidate.valleyGravity = q.inverseRotate(.unitZ)
            candidate.valleyRise = riseCentimetres
        }
        if rotationDegrees > candidate.peakRotationDegrees {
            candidate.peakRotationDegrees = rotationDegrees
            candidate.topGravity = q.inverseRotate(.unitZ)
            candidate.dipSincePeakRotation = rotationDegrees
        } else {
            candidate.dipSincePeakRotation = min(candidate.dipSincePeakRotation, rotationDegrees)
            if candidate.dipSincePeakRotation < 0.5 * candidate.peakRotationDegrees
                && rotationDegrees > 0.7 * candidate.peakRotationDegrees
            {
                candidate.tiltSwungTwice = true
            }
        }
        if riseCentimetres > candidate.peakRiseCentimetres {
            candidate.peakRiseCentimetres = riseCentimetres
            candidate.rotationAtPeakRise = rotationDegrees
        }
        history.append(time: t, excursion)
    }

    private mutating func updatePhase() {
        let peak = candidate.peakExcursion
        // While lifting the excursion is its own running peak; below 90 % of it the leg is on its way down.
        if excursion < 0.9 * peak {
            phase = .eccentric
        } else if stillness.angularSpeedDps < 20 && state == .candidate(confirmed: true) {
            phase = .hold
        } else if phase == .hold || phase == .eccentric {
            phase = .eccentric
        } else {
            phase = .concentric
        }
    }

    /// Follows the stretches the leg was held at the hip and knee while the pelvis turned it. The leg hangs from the
    /// pelvis: with the hip and knee held, the shank turns with the pelvis, at its angular speed (one rigid body), and
    /// the ankle goes up or down with it. A back rising and falling through a hold (the lumbar fault) swings the leg's
    /// inclination and the ankle's height by as much as the pelvis turns (TUNE seed 31 rep 10, a bird dog held 8.9 s:
    /// the shank's tilt from 17.7 down to 6.1 and up to 29.6 deg while the hip held), so the stops of the shank alone
    /// and the excursion's levels put the top and the lowering where the pelvis carried the leg. Away from rest
    /// (excursion over `onsetLevel`), a shank turning no faster than the pelvis plus the stillness threshold is held
    /// at the hip; the stretch counts only if the pelvis turned over the threshold in it (else the stops say it all).
    private mutating func noteCarriedByPelvis(at t: Double, atTop: Bool) {
        if heldAtHip && excursion > Self.onsetLevel {
            if candidate.carriedStart == nil {
                candidate.carriedStart = t
                candidate.carriedSeen = false
                candidate.carriedWhilePelvisTurned = false
            }
            if carriedByPelvis {
                candidate.carriedSeen = true
            } else if atTop {
                // Stopped again after the pelvis carried it: held through. The stretch lasts up to here at least.
                candidate.carriedStillEnd = t
                candidate.carriedStillExcursion = excursion
                if candidate.carriedSeen { candidate.carriedWhilePelvisTurned = true }
            }
        } else if let start = candidate.carriedStart {
            candidate.carriedStart = nil
            let end = candidate.carriedStillEnd
            if candidate.carriedWhilePelvisTurned, end - start > (candidate.carriedHold?.duration ?? 0) {
                candidate.carriedHold = Stop(start: start, end: end, excursion: candidate.carriedStillExcursion)
            }
        }
    }

    /// The eccentric phase starts where the leg last set off from a stop at least this fraction as high as its highest
    /// stop (excursions where it set off), or from a longer one (`loweringPauseDuration`): a shank that stops turning
    /// for a moment in the lowering, where its tilt turns back as the knee bends, did not hold the leg at the top until
    /// then (TUNE seed 12 rep 1, a bird dog held 6.2 s: a 0.15 s stop two thirds of the way down measured as the end of
    /// a 7.7 s hold once the ankle's rise was measured without drift). A hold that sags is still one (real data: a 12°
    /// raise held 4 s, settling 2°: 0.83). TUNE 0-199 phase error p90 hold 1.80 -> 1.69 s, lower 1.77 -> 1.69 s.
    static let topStopFraction: Float = 0.75
    /// A lower stop that lasted this long held the leg (a hold that sagged), s: the longest stop on the way down of a
    /// rep that moved on from a hold lasted p50 0.10, p90 0.33 s (`movedOnDecisionStill`); 0.75 alone, without this,
    /// measured sagging holds short and said too_fast on 24 more reps on TUNE 0-199.
    static let loweringPauseDuration: Double = 0.5

    /// Concentric, hold and eccentric durations of the finished candidate, s. The concentric phase ends at the
    /// later of the leg's first stop at the top and the excursion's first reach of 90 % of its peak; the eccentric
    /// one starts when it last set off from a stop at the top (`topStopFraction`; after that end), else when the
    /// excursion last left 90 %, and ends when the leg came back to rest (`Candidate.backAtRestTime`).
    /// A slow lift (a 3 s concentric at 5–7°/s) is slower than the stillness threshold on its way up, so a stop
    /// alone would end it at a third of the way (TUNE: measured 0.5 s of a 3.5 s lift, the rest a "hold"); the
    /// 90 % alone would end a straight-leg kick's lift at its mid-way tilt peak, before it stopped at the top.
    /// After a hold (the leg last set off from at least half the peak: not a pause on the way up), 90 % of the
    /// excursion held, when lower than the peak's: a straight-leg kick's or bird dog's shank may tilt further while
    /// the knee bends on the way down, and 90 % of that peak came only at the end of the hold (TUNE: 7–10 s holds
    /// measured as 11–14 s lifts and no hold: too_fast).
    func phaseDurations() -> (concentric: Double, hold: Double, eccentric: Double) {
        var level = 0.9 * candidate.peakExcursion
        let highestStop = candidate.stops.lazy.map(\.excursion).max() ?? 0
        let topSetOff = candidate.stops.last {
            $0.excursion >= Self.topStopFraction * highestStop || $0.duration >= Self.loweringPauseDuration
        }?.end
            ?? candidate.lastStopEndTime
        if let stop = candidate.firstStopTime, let setOff = topSetOff, setOff >= stop,
            let held = history.value(atOrBefore: setOff), held >= 0.5 * candidate.peakExcursion
        {
            level = min(level, 0.9 * held)
        }
        var first = candidate.peakTime
        var last = candidate.peakTime
        var found = false
        for i in 0..<history.count where history.value(at: i) >= level {
            if !found {
                first = history.time(at: i)
                found = true
            }
            last = history.time(at: i)
        }
        if let stop = candidate.firstStopTime, let setOff = topSetOff, setOff >= stop {
            first = max(first, stop)
            // A hold that sags below 90 % (real data: a 12° raise held 4 s, settling 2°) still ends at the set-off.
            last = setOff >= first ? setOff : last
        }
        // The hold is where the leg stayed still at the top: the longest stop it set off from, among those at least
        // half as high as the highest, when longer than the stretch the levels above give. The levels depend on the
        // excursion's peak, and a straight-leg kick's or bird dog's is the rise integrated while moving, tens of
        // centimetres of drift that the stop at the top corrects: at the top of the lift (the hold then below half
        // of it, not "at the top") or in the lowering (its 90 % then reached only there, the shank's turn back while
        // the knee bends taken for the last set-off). TUNE: holds of 2.5-9 s measured as 0.03-0.8 s, too_fast.
        // The hold begins once the excursion is within 90 % of where the leg was held (`heldLevel(of:)`): the end of a
        // lift slower than the stillness threshold is a "stop" too (TUNE: a 3.5 s prone raise stopped 0.3 s after its
        // onset).
        if let hold = candidate.stops.lazy.filter({ $0.excursion >= 0.5 * highestStop }).max(by: { $0.duration < $1.duration }),
            hold.duration > last - first
        {
            var heldFrom = hold.start
            let level = heldLevel(of: hold)
            for i in 0..<history.count where history.time(at: i) >= hold.start {
                guard history.time(at: i) < hold.end else { break }
                if history.value(at: i) >= 0.9 * level {
                    heldFrom = history.time(at: i)
                    break
                }
            }
            if hold.end - heldFrom > last - first {
                first = heldFrom
                last = hold.end
            }
        }
        if candidate.movedOnFromHold != nil {
            // A rep that came back from a long hold it moved on from: the hold is the one measured, whatever the
            // excursion did on the way down (the knee bending tilts the shank past its tilt at the hold, and the levels
            // above put the top there: TUNE seed 18, 7.5-8.3 s holds measured as 0.1 s, too_fast).
            first = candidate.heldSince
            last = candidate.heldSince + candidate.heldDuration
        }
        if let carried = candidate.carriedHold, carried.end > last, first >= carried.start, first < carried.end {
            // Held at the hip while the pelvis turned the leg (`noteCarriedByPelvis(at:)`): the hold lasts as long.
            last = carried.end
        }
        let start = candidate.startTime
        let end = candidate.backAtRestTime
        first = min(max(first, start), end)
        last = min(max(last, first), end)
        return (first - start, last - first, end - last)
    }

    /// Where a stop held the leg (° or cm): the median excursion over its later half, not the excursion where the leg
    /// set off from it. A bird dog's or straight-leg kick's shank tilts as the knee bends on the way down, before the
    /// gyroscope passes the stillness threshold, so the set-off can be above the hold, and 90 % of it was reached only
    /// at the end of the hold (TUNE seed 31 rep 5: held 7.8 s at 10.0-10.2, set off at 11.5; measured as a 9.2 s lift
    /// and a 0.8 s hold, too_fast). The later half, not all of the stop: the end of a lift slower than the threshold is
    /// part of the stop, and the level is where that lift ended, not its middle.
    private func heldLevel(of stop: Stop) -> Float {
        var values: [Float] = []
        let from = stop.start + stop.duration / 2
        for i in 0..<history.count where history.time(at: i) >= from {
            guard history.time(at: i) <= stop.end else { break }
            values.append(history.value(at: i))
        }
        guard !values.isEmpty else { return stop.excursion }
        values.sort()
        return values[values.count / 2]
    }
}



extension AnkleTrack {
    /// One line of the track's state (diagnosis).
    var traceLine: String {
        func f(_ v: Float) -> String { FixedDecimal.format(Double(v), decimals: 1) }
        let st: String
        switch state {
        case .idle: st = "idle"
        case .candidate(let c): st = c ? "CONF" : "cand"
        }
        return "\(st) rot \(f(rotationDegrees)) rise \(f(riseCentimetres)) exc \(f(excursion)) peak \(f(candidate.peakExcursion)) "
            + "turn \(f(stillness.angularSpeedDps)) \(stillness.notTurningSince != nil ? "NT" : "--")"
            + "\(stillness.stillSince != nil ? "S" : "-") acc \(FixedDecimal.format(Double(stillness.accelerationDeviationG), decimals: 3))"
    }
}

