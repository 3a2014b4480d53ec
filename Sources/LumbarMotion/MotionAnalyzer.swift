import LumbarCore

/// Motion analysis of one session: calibration, reps from whichever ankle moves, the lumbar alert,
/// and per-rep metrics and faults. Pure: samples (with their fused orientations) in, events out.
///
/// Feed every sample of every sensor in time order, each with its orientation from that sensor's
/// `OrientationFilter` (sensor → earth, Z up). Events go into a caller-owned buffer; nothing is
/// allocated per sample (a `rep_completed` event allocates its faults list once per rep).
/// ```swift
/// var analyzer = MotionAnalyzer(settings: .default)
/// var events = EventBuffer()
/// analyzer.update(placement: .lumbar, sample: sample, orientation: filter.orientation, into: &events)
/// for event in events.events { print(event.jsonLine) }
/// events.removeAll()
/// let live = analyzer.snapshot   // for a dashboard
/// ```
///
/// The steps, per sample: stillness of the sensor → calibration (all sensors still for
/// `calibrationStillDuration`, or again in a new posture / on request) → the ankle's excursion and rep
/// candidate → on the lumbar sensor, the deviation from the rep-start orientation and the alert →
/// at the rep's end, validation (duration, excursion, single-axis leg rotation, pelvis not walking,
/// other leg at rest), metrics, faults, exercise recognition.
public struct MotionAnalyzer: Sendable {
    public let settings: Settings

    private var lumbar = LumbarTrack()
    private var left = AnkleTrack(placement: .leftAnkle)
    private var right = AnkleTrack(placement: .rightAnkle)

    private var isCalibrated = false
    private var calibrationRequested = false
    private var neutral: Quaternion = .identity
    /// The standing calibration: the lumbar sensor's anatomical axes from the upright still period.
    private var upright = UprightCalibration()
    private var latestTime: Double = 0

    private var recognisedExercise: Exercise?
    /// Reps recognised as each exercise (index `Exercise.voteIndex`) since the last new posture.
    private var votes = [Int](repeating: 0, count: Exercise.allCases.count)
    private var profile: ExerciseProfile
    /// The body's left in the ankles' earth frame (learned from accepted reps), and how many reps taught it.
    private var ankleMediolateral: Vector3 = .unitY
    private var mediolateralReps = 0

    private var repCount = 0
    private var setNumber = 0
    private var newSetPending = true
    /// Pauses between the current set's reps: their sum (s) and count.
    private var setPauseSum: Double = 0
    private var setPauseCount = 0
    /// Durations of the current set's reps: their sum (s) and count.
    private var setDurationSum: Double = 0
    private var setDurationCount = 0
    private var lastRepEnd: Double = -.infinity
    /// Since the last counted rep: the end of the last leg movement of the exercise that was not counted (see
    /// `noteExerciseNotCounted`), s, and the longest stretch free of such movements before it, s.
    private var uncountedExerciseEnd: Double = -.infinity
    private var longestRestBeforeUncounted: Double = 0
    /// The lumbar orientation when the last rep was counted: a calibration in a new posture is a set break only
    /// when the person left the posture of that rep (see `calibrate`).
    private var lastRepLumbar: Quaternion?
    private var lastLeg: Leg = .unknown
    private var displayLeg: Leg = .unknown
    /// Single-ankle sessions: the rest gravity of the last accepted rep, and whether the sensor is on the
    /// other leg than its placement says.
    private var lastRepRestGravity: Vector3?
    private var legSwapped = false

    /// Counted reps with a `lumbar_moved`, by the evidence that named its direction (index: the case's position in
    /// `DirectionEvidence.allCases`): how often each applies.
    public private(set) var directionEvidenceCounts = [Int](repeating: 0, count: DirectionEvidence.allCases.count)

    /// The last leg movement that was not counted as a rep: when it ended (s) and why.
    public private(set) var lastRejection: (time: Double, reason: RepRejection)?

    /// How long before the leg's detected onset the lumbar reference is taken, s.
    static let referenceLookback: Double = 0.3

    /// A lumbar rotation beyond this during a rep candidate is a change of posture, degrees.
    static let postureChangeDegrees: Float = 30

    /// The least a rep turns the shank, degrees: the onset level (`AnkleTrack.onsetLevel`). A candidate whose excursion
    /// was all the ankle's rise, the shank turning less than that, is the rise drifting, not a hip extension: even the
    /// straight-leg kick and the bird dog, whose shank ends as level as it started, tilt it on the way as the knee
    /// straightens. TUNE 0-199 and 300-499: the counted true reps turned the shank 6.4 deg or more (bird dogs; UCI
    /// subject 1: 11 deg or more); a leg resting 0.9 s between two straight-leg kicks held 8.5 s integrated a 47 cm
    /// "rise" with the shank turning 1.9 deg and was counted as a rep (TUNE seed 370, 88.87-89.86 s).
    static let minimumShankTurnDegrees: Float = AnkleTrack.onsetLevel

    /// The silence of the ankle's samples in a rep, s, that never drops it, however little of it was seen: a
    /// physiotherapist who looked away this long still saw the leg set off and come back. Past it, a rep is counted
    /// only if seen at least as long as it went unseen (`AnkleTrack.seenAndUnseen`). A fast rep lasts 1-1.7 s, so a
    /// radio burst of about a second can hide most of it (TUNE 0-199 seeds 29 rep 10, 121 rep 2 and 180 rep 20:
    /// 0.61-1.22 s lost of 1.1-1.7 s reps, dropped as `ankle_lost`; LumbarSim's bursts last 0.05-1.2 s, and the
    /// silence measured runs a sample period or two past a burst).
    static let glanceAwayDuration: Double = 1.25

    /// The rep under way (confirmed), if any.
    private var active: ActiveRep?

    private struct ActiveRep: Sendable {
        var ankle: SensorPlacement
        var leg: Leg
        var set: Int
        /// False until the leg's excursion is large enough to be a rep (rep_started).
        var confirmed: Bool
        var alert: LumbarAlert
        var frame: AnatomicalFrame
        /// Gravity in the ankle sensor's frame at the rep's rest, and whether the leg is the other one than
        /// the placement says (single ankle sensor moved between legs).
        var restGravity: Vector3
        var swapped: Bool
        var activitySumAtStart: Double
        var activityCountAtStart: Int
        /// The other ankle's largest change of excursion since this rep's candidate began (° or cm): how far the
        /// other leg moved during the rep, not how far it lies from a rest taken before a change of posture (the
        /// other leg of a person who just got down from standing lies 90° from its standing rest until its own
        /// track takes the new one).
        var otherLegPeakExcursion: Float = 0
        /// The other ankle's excursion when this rep's candidate began (° or cm), or when its track last took its rest
        /// again since (see `noteOtherLeg`).
        var otherLegExcursionAtStart: Float
        /// When the other ankle's track took the rest its excursion is measured from, s.
        var otherLegRestTakenTime: Double
        /// This rep's leg had not turned since `supportStillBeforeDeparture` before the other leg set off on its latest
        /// candidate (see `handOver(to:into:)`). Noted when that candidate began: the supporting leg may shift once the
        /// other one is up (a bird dog's knee taking the weight).
        var stillWhenOtherLegSetOff = false
        /// The candidate started from where this ankle rests (see `leftAtRest`).
        var startedAtRest: Bool
        /// The evidence that named the direction of the rep's first `lumbar_moved` (nil before one).
        var directionEvidence: DirectionEvidence?
        /// A `lumbar_moved` kept unsaid while the trunk turns fast late in the candidate (maybe standing up:
        /// `MotionAnalyzer.gettingUpRate`), nil otherwise.
        var risingMove: RisingMove?
        /// Started before its back came within the lumbar limit of `confirm` (`alertWaitsOnHipExtension`): counted only
        /// if it does before the leg's movement ends, as before (else a change of posture, as an unstarted candidate).
        var startedAheadOfLumbar = false
        /// The back lies tilted from where it lay when the rep set off (`noteBackTilt(inRepOf:at:)`).
        var backTilted = false
    }

    /// A `lumbar_moved` kept unsaid while the trunk turned fast late in a candidate (`ActiveRep.risingMove`).
    private struct RisingMove: Sendable {
        var direction: LumbarDirection
        /// The leg turned slower than `AnkleTrack.slowSpeedDps` when it was kept: the trunk turned on its own, and
        /// the alert waits for the back to come back or the rep to count, not only for the turn to slow (see
        /// `updateLumbarAlert`).
        var legStill: Bool
    }

    /// Whether each ankle's last movement ended where the leg rests: after a rep, or a movement not counted that
    /// came back near where it started. After one that stopped elsewhere (`sensor_resettled` past its start,
    /// `not_returned`: held away, `ankle_lost`), a still leg may be holding at the top of a rep cut short (a bird
    /// dog's shank is about level there), and the next candidate may start there. A new posture resets both.
    private var leftAtRest = true
    private var rightAtRest = true

    /// A rep whose leg stopped past where it set off, not yet decided (see `PastStartStop`); nil otherwise.
    private var pastStartStop: PastStartStop?

    /// A rep candidate that ended still with the shank tilted past where it set off (further than the landing
    /// allowance, the wrong way for a leg put back short: `sensor_resettled`), kept undecided. A bird dog's or
    /// straight-leg kick's knee straightens at the top and its shank stops 9-14° past its starting tilt, the ankle
    /// 20-25 cm up: the candidate ends at that hold, and its lowering is a candidate of its own from there (TUNE seeds
    /// 115 rep 2, 117 reps 19 and 21, 64 rep 10: each dropped twice as `sensor_resettled`). Where the leg stops cannot
    /// tell a rep's top from a rep landed past its start; where it stops next does. Lowered from there back to the floor
    /// this rep set off from (`AnkleTrack.backAtPastStartFloor`), the two are one rep, counted from the lift to that
    /// landing (`completeFromPastStartStop`), `rep_completed` said at the landing. Anything else (another movement,
    /// another leg's rep, a new posture, no movement within a hold's limit) drops it as `sensor_resettled`, said then,
    /// with the times it had; what follows goes on as after that rejection. Keeping the candidate open through such a
    /// stop instead (an earlier attempt) merged the next rep into reps that truly came to rest past their start
    /// (held-out merged reps 9 -> 14). TUNE 0-199: 6 such stops, the 4 reps above counted (matched reps 3977 -> 3981,
    /// exact set counts 569 -> 572 of 608), the other 2 dropped as before. A lift ended at its valley as the leg rose
    /// again, landed near its start there but not where the leg had got to when it was decided, is kept the same way
    /// (`risenAgainFromTop`).
    private struct PastStartStop: Sendable {
        var rep: ActiveRep
        /// The candidate as it ended there: the rep's lift.
        var candidate: AnkleTrack.Candidate
        /// The landing allowance of that candidate (degrees): the leg must come back this near its start.
        var landingLimit: Float
        var reason: RepRejection
        var value: Float
        var limit: Float
    }

    /// Alert events of the candidate under way before it was confirmed, emitted after its rep_started; emptied
    /// with each new candidate. Capacity reserved once (no allocation per sample or per candidate).
    private var heldAlerts: [LumbarEvent]
    private static let maximumHeldAlerts = 8

    public init(settings: Settings = .default) {
        self.settings = settings
        heldAlerts = []
        heldAlerts.reserveCapacity(Self.maximumHeldAlerts)
        if let e = settings.exercise {
            profile = settings.profile(for: e)
        } else {
            profile = .unknownExercise
        }
    }

    /// The exercise in use: forced by the settings, else recognised from the first rep; nil before.
    public var exercise: Exercise? { settings.exercise ?? recognisedExercise }

    /// Asks for a new calibration at the next still moment (at once if everything is still long enough).
    public mutating func requestCalibration() { calibrationRequested = true }

    /// Sensor `placement`'s line went away at session time `time`, s, for `reason` (the daemon's `sensor_lost`,
    /// and a recording's, in replay). A line that hung up, failed or stopped ends the rep its ankle was in once
    /// the ankle has been silent `Settings.ankleGapDuration` (`ankle_lost`): the rep was not seen to its end, and
    /// a sensor plugged in again may sit on the leg another way. A silence on a line still open (`timeout`) is a
    /// gap like any other, which a rep seen longer than it goes on through (`AnkleTrack.longestKeptSilence`).
    public mutating func sensorLost(_ placement: SensorPlacement, reason: SensorLossReason, at time: Double) {
        guard reason != .timeout else { return }
        switch placement {
        case .leftAnkle: left.lineLost(at: time)
        case .rightAnkle: right.lineLost(at: time)
        case .lumbar, .unassigned: return
        }
    }

    /// Feeds one sample of one sensor with its fused orientation.
    ///
    /// - Parameters:
    ///   - placement: where the sensor is worn; `unassigned` samples are ignored.
    ///   - sample: the raw sample, time in seconds on the session clock, g and deg/s.
    ///   - orientation: the sensor's orientation (sensor → earth, Z up) after this sample.
    ///   - events: receives the events this sample produced (appended; never cleared here).
    public mutating func update(
        placement: SensorPlacement, sample: ImuSample, orientation: Quaternion, into events: inout EventBuffer
    ) {
        guard sample.time.isFinite, orientation.isFinite, sample.accelerometer.isFinite, sample.gyroscope.isFinite
        else { return }
        latestTime = max(latestTime, sample.time)
        switch placement {
        case .lumbar:
            lumbar.update(sample: sample, orientation: orientation, settings: settings)
            updateLumbarAlert(time: sample.time, into: &events)
        case .leftAnkle, .rightAnkle:
            let settings = settings
            let confirmExcursion = 0.8 * profile.minimumExcursion
            let backTilted = noteBackTilt(inRepOf: placement, at: sample.time)
            let pelvisTurnDps = lumbar.stillness.angularSpeedDps
            let (step, leg) = withTrack(ofAnkle: placement) { track in
                let step = track.update(
                    sample: sample, orientation: orientation, settings: settings,
                    confirmExcursion: confirmExcursion, backTilted: backTilted,
                    pelvisTurnDps: pelvisTurnDps)
                return (step, (excursion: track.excursion, restTakenTime: track.restTakenTime,
                               measured: track.restOrientation != nil))
            }
            if let open = active?.ankle, open != placement {
                noteOtherLeg(leg.excursion, restTakenAt: leg.restTakenTime, measured: leg.measured)
            }
            handle(step, of: placement, into: &events)
        case .unassigned:
            return
        }
        endRepOfSilentAnkle(at: sample.time, into: &events)
        // A leg kept past its start that has not set off again within a hold's limit was not held at a rep's top.
        if let stop = pastStartStop, state(ofAnkle: stop.rep.ankle) == .idle,
            sample.time - stop.candidate.endTime > settings.maximumHoldDuration
        {
            dropPastStartStop(into: &events)
        }
        checkCalibration(time: sample.time, into: &events)
    }

    /// Whether the back of the rep open on the ankle at `p` lies tilted, at `t`, s: from `backTiltedDegrees` of the
    /// lumbar sensor's inclination (heading free: a 6-axis filter's heading drifts over a hold) away from both where it
    /// lay when the rep set off and its posture at the last calibration (`neutral`), until back within
    /// `backUntiltedDegrees` of either. The leg hangs from the pelvis: while the back is tilted, a dip of the leg may
    /// be the pelvis moving, not the leg coming down, and the rep does not end settled low there (`AnkleTrack.update`).
    /// Not from the rep's start alone: a candidate that set off from the top of a rep whose back was tilted then (a rep
    /// counted from one rep's lowering to the next one's top) has its back "tilted" from that start at every landing
    /// after it, back at the posture's neutral (TUNE seed 107 rep 23: never ended, dropped as `not_returned`). False
    /// without the lumbar sensor's samples in the last second (absent or lost: the leg alone decides, as before). Kept
    /// on the open rep (`ActiveRep.backTilted`).
    private mutating func noteBackTilt(inRepOf p: SensorPlacement, at t: Double) -> Bool {
        guard active?.ankle == p, let reference = active?.alert.reference, isPresent(lumbar.lastTime, at: t)
        else { return false }
        let up = lumbar.orientation.inverseRotate(.unitZ)
        let tilt = min(reference.inverseRotate(.unitZ).angle(to: up), neutral.inverseRotate(.unitZ).angle(to: up))
            .radiansToDegrees
        let limit = active?.backTilted == true ? Self.backUntiltedDegrees : Self.backTiltedDegrees
        active?.backTilted = tilt >= limit
        return tilt >= limit
    }

    /// The back's tilt from the rep's start (degrees, lumbar inclination) from which a dip of the leg is not taken for
    /// the rep's end (`noteBackTilt(inRepOf:at:)`): the lumbar alert's threshold (the default
    /// `ExerciseProfile.lumbarThresholdDegrees`), a back moved as far as a fault moves it. TUNE 0-199: the
    /// rising-and-falling faults behind the dips are 7-16°, and the back lies flexed most of that at the dip; with 5°
    /// and `backUntiltedDegrees`, matched reps 3967 -> 3971, extras 33 -> 26, no true rep counted before lost.
    static let backTiltedDegrees: Float = 5
    /// The tilt (degrees) below which the back has come back: the pelvis comes back up over the last of the hold, the
    /// leg with it, and an end taken as soon as the tilt passed under `backTiltedDegrees` was taken with the leg part
    /// of the way back up (TUNE seed 118 rep 12: its shank 12° from its start, dropped as `sensor_resettled`). Half
    /// the threshold, under the alert's `lumbarHysteresisDegrees` (3.5): only one value tried.
    static let backUntiltedDegrees: Float = 2.5

    /// Keeps the other ankle's largest change of excursion during the open rep (in place: runs per ankle sample).
    /// `restTakenAt`: when that ankle's track took the rest its `excursion` is measured from, s; `measured`: it has
    /// one. The excursion jumps when the track takes its rest again, the leg lying still: not a movement of the leg.
    /// A leg that turned with the body getting down from standing and lay still there, held open as a candidate until
    /// `maximumHoldDuration`, took its rest 90° from the old one in the middle of the other leg's rep, which was then
    /// dropped as `both_legs_moved` (TUNE seeds 92, 130, 147, 170: the set's first or second rep, 89-91°).
    private mutating func noteOtherLeg(_ excursion: Float, restTakenAt restTime: Double, measured: Bool) {
        guard measured, let start = active?.otherLegExcursionAtStart else { return }
        if restTime != active?.otherLegRestTakenTime {
            active?.otherLegRestTakenTime = restTime
            active?.otherLegExcursionAtStart = excursion
            return
        }
        let moved = abs(excursion - start)
        if moved > active?.otherLegPeakExcursion ?? .infinity { active?.otherLegPeakExcursion = moved }
    }

    /// Abandons the open rep when its ankle has delivered nothing for longer than its track goes on through
    /// (`AnkleTrack.longestKeptSilence`: unplugged, or a radio gap longer than what can still be seen of the rep):
    /// noticed on the other sensors' samples, so the lumbar alert of that rep stops too. Not counted: too much of it
    /// was never seen. The ankle's own track starts over when its samples come back.
    private mutating func endRepOfSilentAnkle(at t: Double, into events: inout EventBuffer) {
        // Per sample while a rep is open: the rep's ankle read without copying the rep or the track.
        guard let p = active?.ankle, let last = lastTime(ofAnkle: p), t - last > settings.ankleGapDuration else { return }
        let limit = longestKeptSilence(ofAnkle: p)
        guard t - last > limit, let rep = active else { return }
        abandonAfterAnkleGap(rep, lastAnkleSample: last, limit: limit, at: t, into: &events)
    }

    /// Drops `rep` (its ankle went silent for longer than `limit`, s). A confirmed rep still counts as exercise for
    /// the set: the pause that separates sets is measured from the ankle's last sample.
    private mutating func abandonAfterAnkleGap(
        _ rep: ActiveRep, lastAnkleSample last: Double, limit: Double, at t: Double, into events: inout EventBuffer
    ) {
        active = nil
        reject(rep, reason: .ankleLost, value: Float(t - last), limit: Float(limit), at: t, into: &events)
        if rep.confirmed { lastRepEnd = max(lastRepEnd, last) }
    }

    /// Says that the movement of `rep` was not counted (`rep_rejected`), with the value that decided it.
    /// `atRest`: the leg ended where it rests (see `leftAtRest`); a leg held away or unseen never does.
    private mutating func reject(
        _ rep: ActiveRep, reason: RepRejection, value: Float, limit: Float, at t: Double, atRest: Bool = true,
        into events: inout EventBuffer
    ) {
        // A rep of this leg kept undecided past its start ends as not counted before this movement is said.
        if pastStartStop?.rep.ankle == rep.ankle { dropPastStartStop(into: &events) }
        lastRejection = (t, reason)
        noteNotCounted(rep, reason: reason, at: t, atRest: atRest)
        events.append(
            .repRejected(
                time: t,
                rejection: RejectedMovement(
                    leg: rep.leg, startTime: ankle(rep.ankle).candidate.startTime, endTime: t, reason: reason,
                    value: value, limit: limit)))
    }

    /// What a movement of `rep` not counted, ended at `t`, s, leaves behind (see `reject`): it is the exercise for
    /// the set's pauses, and the leg's end at rest or not.
    private mutating func noteNotCounted(_ rep: ActiveRep, reason: RepRejection, at t: Double, atRest: Bool) {
        let track = ankle(rep.ankle)
        // A single ankle sensor strapped on anew where it lies now (`sensorRemounted`: moved to the other leg, which
        // DOMAIN.md says people do between sets) was handled, not exercised with: its moving is not noted as exercise.
        // Noted, it cut the rest into two pauses shorter than a set break (TUNE 0-199: every "missed break between
        // sets" on d67d502, seeds 21, 46, 107 and 132, rests of 14.8-20 s with the sensor moved in them).
        if !sensorRemounted(restGravity: track.orientation.inverseRotate(.unitZ), at: t) {
            noteExerciseNotCounted(
                reason: reason, from: track.candidate.startTime, to: t,
                lowersCountedRep: track.candidate.lowersCountedRep)
        }
        noteMovementEnd(of: rep.ankle, atRest: atRest && reason != .notReturned && reason != .ankleLost)
        heldAlerts.removeAll(keepingCapacity: true)
    }

    /// Keeps `rep`, whose candidate just ended still past where it set off (or at its valley, `risenAgainFromTop`),
    /// undecided (`PastStartStop`): everything a rejection does but saying it, so that what follows goes on as after
    /// one (`atRest` as `reject`'s). `riseAtStop`: the ankle's rise where the leg stopped, cm.
    private mutating func keepPastStartStop(
        _ rep: ActiveRep, track: AnkleTrack, landingLimit: Float, reason: RepRejection, value: Float, limit: Float,
        riseAtStop: Float, atRest: Bool
    ) {
        noteNotCounted(rep, reason: reason, at: track.candidate.endTime, atRest: atRest)
        pastStartStop = PastStartStop(
            rep: rep, candidate: track.candidate, landingLimit: landingLimit, reason: reason, value: value, limit: limit)
        withTrack(ofAnkle: rep.ankle) {
            $0.pastStartFloor = AnkleTrack.PastStartFloor(
                gravity: track.candidate.startGravity, riseAtStop: riseAtStop)
        }
    }

    /// Drops the rep kept undecided past its start (if any): `rep_rejected` as it would have been said where it stopped,
    /// said now (its start and end times are the candidate's).
    private mutating func dropPastStartStop(into events: inout EventBuffer) {
        guard let stop = pastStartStop else { return }
        pastStartStop = nil
        withTrack(ofAnkle: stop.rep.ankle) { $0.pastStartFloor = nil }
        lastRejection = (stop.candidate.endTime, stop.reason)
        events.append(
            .repRejected(
                time: latestTime,
                rejection: RejectedMovement(
                    leg: stop.rep.leg, startTime: stop.candidate.startTime, endTime: stop.candidate.endTime,
                    reason: stop.reason, value: stop.value, limit: stop.limit)))
    }

    /// Whether the kept stop past its start of the ankle at `p` is decided by its candidate that ended now: back at that
    /// rep's floor (`PastStartStop.landingLimit`) as its lowering (`AnkleTrack.backAtPastStartFloor`), within a rep's
    /// longest duration.
    private func backAtPastStartFloor(_ p: SensorPlacement) -> Bool {
        guard let stop = pastStartStop, stop.rep.ankle == p else { return false }
        let track = ankle(p)
        return track.backAtPastStartFloor(within: stop.landingLimit)
            && track.candidate.endTime - stop.candidate.startTime <= settings.maximumRepDuration
    }

    /// Counts the rep kept past its start (`PastStartStop`) whose leg came back to its floor with `lowering` (the
    /// candidate that just ended there): one rep from its lift's onset to that landing. Its lift is the kept candidate,
    /// up to where the leg stopped; the hold, from there to where the lowering set off; the lowering, that candidate.
    /// The lowering is checked as a movement of its own that a rep's could not be (the trunk turning, walking, the other
    /// leg moving, a sensor handled, unseen): then the kept rep is dropped and the lowering judged as before. Not on its
    /// back's turn against its leg's for rep_started (`confirm`): its back is judged from where it lay when the rep set
    /// off, and one that rose in the hold comes back as the leg comes down (TUNE seed 64 rep 10).
    private mutating func completeFromPastStartStop(
        _ stop: PastStartStop, lowering: ActiveRep, track: AnkleTrack, into events: inout EventBuffer
    ) {
        let c2 = track.candidate
        let lumbarActivity = lumbarActivity(since: stop.rep)
        let (seen, unseen) = track.seenAndUnseen
        let bothLegsLimit = Self.bothLegsLimit(peakExcursion: stop.candidate.peakExcursion)
        guard unseen <= seen,
            c2.planarity >= settings.minimumPlanarity, lumbarActivity <= settings.maximumLumbarActivityG,
            lowering.alert.maximumDeviationDegrees < Self.postureChangeDegrees,
            lowering.otherLegPeakExcursion <= bothLegsLimit
        else {
            dropPastStartStop(into: &events)
            complete(lowering, track: track, into: &events)
            return
        }
        pastStartStop = nil
        withTrack(ofAnkle: stop.rep.ankle) {
            $0.pastStartFloor = nil
            $0.accept(stop.candidate)
        }
        var rep = stop.rep
        // The alert of the rep is the larger of the two movements' (each judged from where its leg set off), said if
        // either was.
        var alert = lowering.alert.maximumDeviationDegrees > rep.alert.maximumDeviationDegrees ? lowering.alert : rep.alert
        if lowering.alert.fired { alert.takeOver(lowering.alert, firedSince: -.infinity) }
        if rep.alert.fired { alert.takeOver(rep.alert, firedSince: -.infinity) }
        rep.alert = alert
        rep.risingMove = lowering.risingMove
        rep.directionEvidence = rep.directionEvidence ?? lowering.directionEvidence
        var c = stop.candidate
        c.endTime = c2.endTime
        c.backAtRestTime = c2.backAtRestTime
        c.peakSpeedDps = max(c.peakSpeedDps, c2.peakSpeedDps)
        let top = stop.candidate.endTime
        let phases = (concentric: top - c.startTime, hold: max(0, c2.startTime - top),
                      eccentric: c.backAtRestTime - max(top, c2.startTime))
        count(rep, candidate: c, phases: phases, into: &events)
    }

    /// A leg movement that began as a rep and was dropped because it could not be measured (the ankle came to rest
    /// inclined differently, its samples stopped, or it was not seen to return within about the time the set's reps
    /// take) is still the person exercising, not resting: a set break is measured on the longest stretch without such
    /// movements (`restBefore`). A rep missed inside a set otherwise makes the two pauses around it and the rep itself
    /// look like a rest between sets. Movements that say the person left the exercise (the trunk turned, both legs
    /// moved, the knee repositioned, a movement about another axis, a tap or a fidget) do not count, nor does a leg
    /// away longer than the set's reps take (a rest in another position). Measured on TUNE 0-199 (MotionBench `--tune
    /// --tune-seeds 0-199 --misses`): of the 43 pauses with a true rep missed between two counted ones of a set, 37
    /// held an uncounted leg movement, most of them of these three reasons; extra breaks "after a pause" 35 -> 25,
    /// missed breaks between sets 6 -> 6 (371 rests). A leg lowered from the top of the rep just counted
    /// (`lowered_from_top` after a landing whose rise was zeroed: the first part of a split rep counted, its lowering
    /// not) is that rep's end, and so is one back to the floor before a gap (the rep's lift lost in the gap: TUNE seed
    /// 158, an extra break in the set otherwise); other lowerings are not (a leg moved between sets: counted as
    /// exercise, TUNE 0-199 missed breaks between sets 5 -> 9).
    private mutating func noteExerciseNotCounted(
        reason: RepRejection, from start: Double, to end: Double, lowersCountedRep: Bool
    ) {
        guard lastRepEnd.isFinite, setDurationCount > 0 else { return }
        switch reason {
        case .sensorResettled, .ankleLost: break
        case .loweredFromTop where lowersCountedRep: break
        case .notReturned where end - start <= setDurationSum / Double(setDurationCount): break
        default: return
        }
        longestRestBeforeUncounted = max(longestRestBeforeUncounted, start - max(lastRepEnd, uncountedExerciseEnd))
        uncountedExerciseEnd = max(uncountedExerciseEnd, end)
    }

    /// The longest stretch since the last counted rep without a leg movement of the exercise, up to `t`, s.
    private func restBefore(_ t: Double) -> Double {
        max(longestRestBeforeUncounted, t - max(lastRepEnd, uncountedExerciseEnd))
    }

    /// Whether the trunk is still in the posture of the last counted rep (lumbar within `recalibrationAngleDegrees`
    /// of its orientation then); false before any rep or without a lumbar sample in the last second.
    private func inLastRepPosture(at t: Double) -> Bool {
        guard isPresent(lumbar.lastTime, at: t), let last = lastRepLumbar else { return false }
        return last.angle(to: lumbar.orientation).radiansToDegrees <= settings.recalibrationAngleDegrees
    }

    private mutating func noteMovementEnd(of p: SensorPlacement, atRest: Bool) {
        if p == .leftAnkle { leftAtRest = atRest } else { rightAtRest = atRest }
    }

    // MARK: - Calibration

    /// True when the sensor delivered a sample within the last second.
    private func isPresent(_ last: Double?, at t: Double) -> Bool {
        guard let last else { return false }
        return t - last < 1.0
    }

    private mutating func checkCalibration(time t: Double, into events: inout EventBuffer) {
        guard active == nil else { return }
        let need = isCalibrated ? settings.calibrationStillDuration : settings.firstCalibrationStillDuration
        var anyPresent = false
        if isPresent(lumbar.lastTime, at: t) {
            anyPresent = true
            if lumbar.stillness.stillDuration(at: t) < need { return }
        }
        if isPresent(left.lastTime, at: t) {
            anyPresent = true
            if left.stillness.stillDuration(at: t) < need { return }
        }
        if isPresent(right.lastTime, at: t) {
            anyPresent = true
            if right.stillness.stillDuration(at: t) < need { return }
        }
        guard anyPresent else { return }
        let newPosture =
            isCalibrated && isPresent(lumbar.lastTime, at: t)
            && neutral.angle(to: lumbar.orientation).radiansToDegrees > settings.recalibrationAngleDegrees
        guard !isCalibrated || calibrationRequested || newPosture else { return }
        calibrate(time: t, newPosture: newPosture, into: &events)
    }

    private mutating func calibrate(time t: Double, newPosture: Bool, into events: inout EventBuffer) {
        dropPastStartStop(into: &events)
        // Still in the posture of the last rep: the posture was taken before it (a person who leans onto a support
        // after the upright moment and starts at once is first still 2 s between reps 1 and 2; TUNE: whole
        // sessions numbered one set off), so the set goes on.
        let inLastRepPosture = inLastRepPosture(at: t)
        if isCalibrated && newPosture {
            votes = [Int](repeating: 0, count: Exercise.allCases.count)
        }
        isCalibrated = true
        calibrationRequested = false
        leftAtRest = true
        rightAtRest = true
        // No rep is under way (`active` is nil): a leg still away from its old rest in the new posture (it
        // turned with the body getting down) rests there now.
        if left.state != .idle { left.resetRest() }
        if right.state != .idle { right.resetRest() }
        neutral = lumbar.orientation
        if isPresent(lumbar.lastTime, at: t) {
            upright.calibrated(
                UprightCalibration.StillPosture(
                    lumbarUp: lumbar.orientation.inverseRotate(.unitZ),
                    leftUp: isPresent(left.lastTime, at: t) ? left.orientation.inverseRotate(.unitZ) : nil,
                    rightUp: isPresent(right.lastTime, at: t) ? right.orientation.inverseRotate(.unitZ) : nil))
        }
        if !inLastRepPosture { newSetPending = true }
        let e = exercise
        events.append(
            .calibrated(time: t, posture: e?.startPosture.rawValue ?? "unknown", exercise: e?.rawValue ?? "auto"))
    }

    // MARK: - Anatomical frame

    /// The anatomical frame of a rep whose lumbar reference orientation is `reference`.
    ///
    /// The axes: the strap's medio-lateral axis when the settings give it; else the standing calibration's
    /// (the upright still period before the posture: heading free); else the lumbar's breathing axis (sensor
    /// frame, rotated to earth with the reference), signed to agree with the hip axis learned from the ankle;
    /// else the ankle's hip axis itself. See `AnatomicalFrame` for how each choice degrades.
    private func frame(reference: Quaternion) -> AnatomicalFrame {
        let posture = exercise?.startPosture ?? .quadruped
        if let axis = settings.lumbarMediolateralAxis {
            return AnatomicalFrame(mediolateral: reference.rotate(axis), posture: posture, signKnown: true)
        }
        if let axes = upright.axes(up: reference.inverseRotate(.unitZ)) {
            return AnatomicalFrame(
                left: reference.rotate(axes.left), dorsal: reference.rotate(axes.dorsal),
                cranial: reference.rotate(axes.cranial), source: .upright(DirectionEvidence(axes.route)))
        }
        let postureKnown = fallbackPostureKnown
        if let axis = lumbar.breathing.axis {
            let m = reference.rotate(axis)
            return AnatomicalFrame(
                mediolateral: m.dot(ankleMediolateral) >= 0 ? m : -m, posture: posture, signKnown: false,
                postureKnown: postureKnown)
        }
        return AnatomicalFrame(
            mediolateral: ankleMediolateral, posture: posture, signKnown: false, postureKnown: postureKnown)
    }

    /// Whether a fallback frame (no upright moment) knows which anatomical axis is earth's vertical: the exercise
    /// is given, or the reps since the posture was taken voted by a clear majority (`postureMajority` of at
    /// least `postureVotes`) for a posture lying or on all fours. Never standing: the kickback leans 8–45° onto
    /// its support, and earth's vertical then mixes axial rotation with lateral flexion. On TUNE, 4 of the 6
    /// directions named wrong were a quadruped session recognised (for a while) as the standing kickback.
    private var fallbackPostureKnown: Bool {
        if let e = settings.exercise { return e.startPosture != .standing }
        var total = 0
        var lying = 0
        for e in Exercise.allCases {
            total += votes[e.voteIndex]
            if e.startPosture != .standing { lying += votes[e.voteIndex] }
        }
        return total >= Self.postureVotes && Float(lying) >= Self.postureMajority * Float(total)
    }

    /// Reps needed before a recognised posture names a direction without an upright moment.
    static let postureVotes = 3
    /// Share of those reps that must agree on a posture lying or on all fours.
    static let postureMajority: Float = 0.8

    // MARK: - Reps

    private func ankle(_ p: SensorPlacement) -> AnkleTrack { p == .leftAnkle ? left : right }
    /// The ankle that is not `p`: a rep moves one leg, the other supports it.
    private func otherAnkle(_ p: SensorPlacement) -> SensorPlacement { p == .leftAnkle ? .rightAnkle : .leftAnkle }

    /// The last sample time and the state of the ankle at `p`, read in place: `ankle(p)` copies the whole track
    /// (its ring buffers are inline), and these run on every sample while a rep is open.
    private func lastTime(ofAnkle p: SensorPlacement) -> Double? { p == .leftAnkle ? left.lastTime : right.lastTime }
    private func state(ofAnkle p: SensorPlacement) -> AnkleTrack.State { p == .leftAnkle ? left.state : right.state }
    private func longestKeptSilence(ofAnkle p: SensorPlacement) -> Double {
        p == .leftAnkle ? left.longestKeptSilence(settings: settings) : right.longestKeptSilence(settings: settings)
    }
    private func excursion(ofAnkle p: SensorPlacement) -> Float { p == .leftAnkle ? left.excursion : right.excursion }
    private func departureTime(ofAnkle p: SensorPlacement) -> Double {
        p == .leftAnkle ? left.candidate.departureTime : right.candidate.departureTime
    }
    private func peakExcursion(ofAnkle p: SensorPlacement) -> Float {
        p == .leftAnkle ? left.candidate.peakExcursion : right.candidate.peakExcursion
    }

    /// Whether the leg at `still` had stopped turning at least `supportStillBeforeDeparture` before the leg at
    /// `moving` set off on its candidate: a rep moves one leg while the other rests as its base of support.
    private func leg(_ still: SensorPlacement, stillBeforeDepartureOf moving: SensorPlacement) -> Bool {
        let since = (still == .leftAnkle ? left.stillness.notTurningSince : right.stillness.notTurningSince) ?? .infinity
        return since <= departureTime(ofAnkle: moving) - Self.supportStillBeforeDeparture
    }

    /// True when samples of both ankles came within the last second: then each placement is trusted.
    private func bothAnklesPresent(at t: Double) -> Bool {
        isPresent(left.lastTime, at: t) && isPresent(right.lastTime, at: t)
    }

    /// The leg of a rep of the ankle sensor at `p`, and whether it is swapped relative to `p`.
    ///
    /// One ankle sensor moved to the other leg between sets is strapped on anew: gravity's direction in
    /// its frame at rest changes by a random rotation (typically 90° or more), while between reps of one
    /// leg it stays within a few degrees (the start posture is the same). Such a change flips the leg.
    private func leg(of p: SensorPlacement, restGravity g: Vector3, at t: Double) -> (Leg, Bool) {
        var swapped = legSwapped
        if sensorRemounted(restGravity: g, at: t) { swapped.toggle() }
        if bothAnklesPresent(at: t) { swapped = false }
        let placed: Leg = p == .leftAnkle ? .left : .right
        return (swapped ? (placed == .left ? .right : .left) : placed, swapped)
    }

    /// Whether the single ankle sensor was strapped on anew since the last counted rep: gravity's direction at the
    /// rest a rep sets off from (`restGravity`, sensor frame) turned more than `Settings.remountAngleDegrees` from
    /// the last rep's. False with both ankles present or before any rep.
    private func sensorRemounted(restGravity g: Vector3, at t: Double) -> Bool {
        guard !bothAnklesPresent(at: t), let previous = lastRepRestGravity else { return false }
        return previous.angle(to: g).radiansToDegrees > settings.remountAngleDegrees
    }

    private mutating func handle(_ step: AnkleTrack.Step, of p: SensorPlacement, into events: inout EventBuffer) {
        // The other leg setting off on a rep: the leg kept past its start was not held at a rep's top.
        if let stop = pastStartStop, stop.rep.ankle != p, step == .confirmed || step == .began && active == nil {
            dropPastStartStop(into: &events)
        }
        if let open = active?.ankle, open != p {
            if step == .began {
                let still = leg(open, stillBeforeDepartureOf: p)
                active?.stillWhenOtherLegSetOff = still
            }
            if state(ofAnkle: p) == .candidate(confirmed: true) { handOver(from: open, to: p, into: &events) }
        }
        switch step {
        case .none:
            // Alerts of a started rep held while the person might have been walking, or both legs turned: said once
            // that is ruled out (`alertsWait`).
            if !heldAlerts.isEmpty, active?.ankle == p, active?.confirmed == true, let rep = active,
                !alertsWait(rep, at: latestTime)
            {
                emitHeldAlerts(into: &events)
                return
            }
            // A rep started ahead of its back (see `confirm`): noted once the back is within the limit.
            if active?.startedAheadOfLumbar == true, active?.ankle == p, state(ofAnkle: p) == .candidate(confirmed: true) {
                let limit = Self.confirmLumbarLimit(excursion: excursion(ofAnkle: p))
                if let d = active?.alert.deviationDegrees, d <= limit { active?.startedAheadOfLumbar = false }
            }
            // A confirmed candidate whose rep_started waits for the lumbar (see `confirm`).
            // Per ankle sample: read without copying the open rep or the track.
            guard active?.ankle == p, active?.confirmed == false, state(ofAnkle: p) == .candidate(confirmed: true),
                let rep = active
            else { return }
            confirm(rep, into: &events)
        case .began:
            // Watch the lumbar from the leg's first move, so that the alert does not wait for the rep to be
            // confirmed (a pelvic fault can hold the leg's excursion back); rep_started waits.
            guard isCalibrated, active == nil else { return }
            startRep(of: p)
        case .confirmed:
            guard isCalibrated else { return }
            if active == nil { startRep(of: p) }
            guard let rep = active, rep.ankle == p, !rep.confirmed else { return }
            confirm(rep, into: &events)
        case .completed:
            guard let rep = active, rep.ankle == p else { return }
            active = nil
            if backAtPastStartFloor(p), let stop = pastStartStop {
                completeFromPastStartStop(stop, lowering: rep, track: ankle(p), into: &events)
                return
            }
            if !rep.confirmed || rep.startedAheadOfLumbar, backCameBack(rep, track: ankle(p)) {
                var rep = rep
                if !rep.confirmed { rep = sayStarted(rep, sayingHeldAlerts: true, into: &events) }
                rep.startedAheadOfLumbar = false
                complete(rep, track: ankle(p), into: &events)
                return
            }
            guard rep.confirmed && !rep.startedAheadOfLumbar else {
                // The trunk turned with the leg all along (getting down, lying down): never a rep_started, or one
                // said ahead of the back for its alert (`alertWaitsOnHipExtension`).
                let track = ankle(p)
                reject(
                    rep, reason: .postureChange, value: rep.alert.maximumDeviationDegrees,
                    limit: Self.confirmLumbarLimit(excursion: track.candidate.peakExcursion),
                    at: track.candidate.endTime, into: &events)
                return
            }
            complete(rep, track: ankle(p), into: &events)
        case .discarded(let reason, let value, let limit):
            guard let rep = active, rep.ankle == p else { return }
            active = nil
            reject(rep, reason: reason, value: value, limit: limit, at: latestTime, into: &events)
        case .resumedAfterGap:
            // Only when no other sensor's samples noticed the gap first (`endRepOfSilentAnkle`).
            let track = ankle(p)
            guard let rep = active, rep.ankle == p, let last = track.lastTimeBeforeGap else { return }
            abandonAfterAnkleGap(
                rep, lastAnkleSample: last, limit: track.keptSilenceBeforeGap, at: latestTime, into: &events)
        }
    }

    /// Gives the open rep of the leg at `held` up for the candidate of the ankle at `p` when that leg has lain still
    /// since before `p`'s leg set off and `p`'s leg has moved far enough to make it `both_legs_moved` (the reason it is
    /// given). These exercises move one leg at a time, the other resting as the base of support: a leg that stays
    /// still while the other sets off on a rep is not holding the top of one, it has settled where it lies (the last
    /// degrees of a slow lowering, after its rep ended a moment early). Held open, that candidate was `not_returned`
    /// only after `maximumHoldDuration` and the other leg's rep under it was never seen (TUNE seed 175 rep 4, seed 96
    /// reps 4-5). Nothing counted before is lost: with its leg lying still, that candidate could only end rejected
    /// (`both_legs_moved` once it landed, or `not_returned`). Walking does not do this: the shank in stance turns
    /// (`otherLegStill`). Runs per sample of `p` while the other leg's rep is open: reads in place.
    private mutating func handOver(from held: SensorPlacement, to p: SensorPlacement, into events: inout EventBuffer) {
        guard active?.stillWhenOtherLegSetOff == true, let moved = active?.otherLegPeakExcursion else { return }
        let peak = peakExcursion(ofAnkle: held)
        let bothLegsLimit = Self.bothLegsLimit(peakExcursion: peak)
        guard moved > bothLegsLimit, let rep = active else { return }
        active = nil
        reject(rep, reason: .bothLegsMoved, value: moved, limit: bothLegsLimit, at: latestTime, into: &events)
        withTrack(ofAnkle: rep.ankle) { $0.abandon() }
        startRep(of: p)
        // A `lumbar_moved` said since this leg set off was this rep's (said with the number it will get).
        let departure = departureTime(ofAnkle: p)
        active?.alert.takeOver(rep.alert, firedSince: departure)
        if active?.alert.fired == true, active?.directionEvidence == nil { active?.directionEvidence = rep.directionEvidence }
    }

    /// Emits rep_started for `rep` unless the lumbar turned about as much as the leg so far: getting down on
    /// all fours or lying down turns the trunk with the legs (as much: 90° each), while in a rep the leg turns
    /// more than the lumbar (a prone raise with an 11° pelvic fault: about 0.55 of it). Such a candidate waits
    /// (and is dropped as a posture change past 30°).
    private mutating func confirm(_ rep: ActiveRep, into events: inout EventBuffer) {
        let track = ankle(rep.ankle)
        let lumbarWithinLimit = rep.alert.deviationDegrees <= Self.confirmLumbarLimit(excursion: track.excursion)
        guard lumbarWithinLimit || alertWaitsOnHipExtension(rep, track: track) else { return }
        var rep = rep
        rep.startedAheadOfLumbar = !lumbarWithinLimit
        active = sayStarted(rep, sayingHeldAlerts: !alertsWait(rep, at: latestTime), into: &events)
    }

    /// Starts the count of the candidate `rep`, when it is confirmed (`confirm`) or, for one whose back turned with its
    /// leg, at its end (`backCameBack`): its set (from its candidate's start), `rep_started` dated at that start, its
    /// leg shown, and the `lumbar_moved` held back for it said if `sayingHeldAlerts` (not while the pelvis walks). - Returns: the rep
    /// started (the caller decides whether it stays open).
    private mutating func sayStarted(
        _ rep: ActiveRep, sayingHeldAlerts: Bool, into events: inout EventBuffer
    ) -> ActiveRep {
        var rep = rep
        let c = ankle(rep.ankle).candidate
        rep.set = setNumber(forRepStartingAt: c.startTime)
        rep.confirmed = true
        displayLeg = rep.leg
        events.append(.repStarted(time: c.startTime, rep: repCount + 1, set: rep.set, leg: rep.leg))
        if sayingHeldAlerts { emitHeldAlerts(into: &events) }
        return rep
    }

    /// Whether the candidate `rep`, finished with its back having turned about as much as its leg (never started, or
    /// started for its alert only), was a rep with a faulty back rather than a change of posture: its leg went out
    /// and came back as a hip extension (`alertWaitsOnHipExtension` without a held alert), and its back came back
    /// too, to within the limit of `confirm`. Getting down, lying down or turning over leaves the trunk where it went.
    /// Such a rep is started and counted at its end, its held `lumbar_moved` said then (TUNE seeds 95 rep 14 and 178
    /// rep 2: a back moving 8.6° and 14.5° over a leg's 8 cm and 9°, dropped as `posture_change` before; TUNE 0-199
    /// matched +2, no rep counted outside a true one; held-out 200-299 unchanged).
    private func backCameBack(_ rep: ActiveRep, track: AnkleTrack) -> Bool {
        movedAsHipExtension(rep, track: track)
            && rep.alert.deviationDegrees <= Self.confirmLumbarLimit(excursion: track.candidate.peakExcursion)
    }

    /// Whether the candidate `rep`, not yet started because its back turned about as much as its leg, has a
    /// `lumbar_moved` waiting and has shown it is a hip extension: the leg's excursion reached the exercise's
    /// minimum (`ExerciseProfile.minimumExcursion`, what a rep needs) about an axis near horizontal as a hip's, one
    /// leg only (the other still since before it set off: `otherLegStill`), the trunk not turning like a person
    /// getting down (`gettingUpRate`) nor past a change of posture. Then the rep starts and the alert is said: a bird
    /// dog or straight-leg kick whose pelvis rotates with the lift (12-15°, the leg at 0.75 of that or less) waited
    /// for the back to come back, and its alert was heard 0.1-11 s after it was decided (TUNE 0-199: 28 of 1309
    /// alerted reps). Walking and getting down also turn the trunk with a leg, but move both legs (`oneLegMoving`);
    /// with one ankle sensor, evidence of the posture and the pelvis stands in for the other leg (taking the
    /// shortcut there without it put 6 alerts of walks and of getting down outside any rep on TUNE 0-199). Such a rep
    /// is dropped as a change of posture if its back never comes within the limit while the leg is up
    /// (`startedAheadOfLumbar`), unless it had come back by the rep's end (`backCameBack`).
    private func alertWaitsOnHipExtension(_ rep: ActiveRep, track: AnkleTrack) -> Bool {
        !heldAlerts.isEmpty && movedAsHipExtension(rep, track: track)
    }

    /// Whether the candidate `rep`'s leg moved as a hip extension though its back turned about as much: the leg's
    /// excursion reached the exercise's minimum about an axis near horizontal as a hip's, one leg only, the trunk not
    /// turning like a person getting down nor past a change of posture (see `alertWaitsOnHipExtension`).
    private func movedAsHipExtension(_ rep: ActiveRep, track: AnkleTrack) -> Bool {
        let extended = track.candidate.peakExcursion >= profile.minimumExcursion && track.turnedAboutHipAxis
        return extended && oneLegMoving(rep) && rep.alert.deviationRate < Self.gettingUpRate
            && rep.alert.maximumDeviationDegrees < Self.postureChangeDegrees
    }

    /// Whether the candidate `rep` moves one leg, as a rep does, not both (walking, getting down or up, repositioning):
    /// the other leg still since before this one set off (`otherLegStill`). With one ankle sensor the other leg is not
    /// seen: then the leg turns the way this ankle's last counted rep did (a hip extension, not the hip flexion of a
    /// knee slid forward), the trunk, before the leg set off, lay as it did at that rep (lumbar "up" within
    /// `Settings.recalibrationAngleDegrees`: the person is still in the exercise's posture) and the pelvis is not
    /// walking (`pelvisWalking`). Getting down or up and walking between sets start from another posture or shake
    /// the pelvis: on TUNE 0-199, of the one-ankle candidates whose alert waited for the back to come back (0.2-8 s),
    /// the two outside any rep started 91° from the last rep's trunk and before any rep; 22 of the 24 in true reps
    /// within 0-9° of it (the other two: a session's first rep, which waits as before). Only in a session whose other
    /// ankle was never seen: a second ankle silent for a burst of lost samples is a gap, not a single-sensor session.
    private func oneLegMoving(_ rep: ActiveRep) -> Bool {
        if let still = otherLegStill(rep, at: latestTime) { return still }
        let otherAnkleSeen = lastTime(ofAnkle: otherAnkle(rep.ankle)) != nil
        let track = ankle(rep.ankle)
        guard !otherAnkleSeen, let last = lastRepLumbar, let previous = track.acceptedAxis,
            let axis = track.candidate.axisSum.normalized, axis.dot(previous) > 0
        else { return false }
        let up = rep.alert.alertReference.inverseRotate(.unitZ)
        return last.inverseRotate(.unitZ).angle(to: up).radiansToDegrees <= settings.recalibrationAngleDegrees
            && !pelvisWalking(sinceSum: rep.activitySumAtStart, count: rep.activityCountAtStart)
    }

    /// Whether the alerts of the started rep `rep` wait (for the rep to count, or for this to be ruled out): the person
    /// may be walking (`walking`), or both legs turn together (`bothLegsMoving`).
    private func alertsWait(_ rep: ActiveRep, at t: Double) -> Bool {
        walking(rep, at: t) || bothLegsMoving(rep)
    }

    /// Whether the other leg is turning with this one, on a candidate of its own as large as
    /// `otherLegFraction` of this one's so far (peak excursions, degrees or cm), rather than lying still as a rep's
    /// base of support: getting up from all fours to walk turns both shanks together, the trunk with them. One leg's
    /// candidate was confirmed 5° into that turn and its `lumbar_moved` said with it, before the trunk's 30° dropped
    /// it as a `posture_change`: an alert outside any rep (TUNE 0-199: seeds 104 at 94.61 s and 175 at 60.18 s, both
    /// shanks at 25°/s, the other leg's candidate 4.6° and 5.2° against 5.0° and 5.5°). Not by `otherLegPeakExcursion`,
    /// which read 0.8° at seed 104's. A rep's leg outgrows a shift of its supporting leg, and its alerts are said then
    /// (`handle`). Not when this rep's leg lay still as the other set off (`stillWhenOtherLegSetOff`): the other leg's
    /// is the rep, and the alert its (`handOver`; TUNE seed 175 rep 5).
    private func bothLegsMoving(_ rep: ActiveRep) -> Bool {
        guard !rep.stillWhenOtherLegSetOff, otherLegStill(rep, at: latestTime) == false,
            state(ofAnkle: otherAnkle(rep.ankle)) != .idle
        else { return false }
        let peak = peakExcursion(ofAnkle: rep.ankle)
        return peakExcursion(ofAnkle: otherAnkle(rep.ankle)) > Self.otherLegFraction * peak
    }

    /// Whether the person may be walking during the candidate `rep` (its alerts then wait for the rep to count):
    /// the pelvis accelerates like walking's steps since the candidate began (`pelvisWalking`) and the other leg
    /// is not standing still. Walking moves both legs in turn (each shank turns through its stance too), a
    /// standing kickback one: its supporting leg has not turned since before the kicking leg set off. A fast
    /// kickback shakes the pelvis past the walking level (TUNE 0-199: 9 kickbacks' alerts heard 0.6-7 s after they
    /// were decided, at the rep's end).
    /// Without the other ankle's samples walking cannot be told apart: the pelvis alone decides.
    private func walking(_ rep: ActiveRep, at t: Double) -> Bool {
        pelvisWalking(sinceSum: rep.activitySumAtStart, count: rep.activityCountAtStart)
            && otherLegStill(rep, at: t) != true
    }

    /// Whether the other leg has not turned since before the leg of `rep` set off (`supportStillBeforeDeparture`):
    /// a rep moves one leg, while walking, getting down or up and repositioning move both. Nil without the other
    /// ankle's samples in the last second (one ankle sensor).
    private func otherLegStill(_ rep: ActiveRep, at t: Double) -> Bool? {
        let other = otherAnkle(rep.ankle)
        guard isPresent(lastTime(ofAnkle: other), at: t) else { return nil }
        return leg(other, stillBeforeDepartureOf: rep.ankle)
    }

    /// How long before the kicking leg set off the other (supporting) leg must have stopped turning for a
    /// candidate not to be walking, s: a walking stride is about 1 s, and at each step's push-off the other shank
    /// is turning through its stance.
    static let supportStillBeforeDeparture: Double = 0.3

    /// The axis tilt above which the finished candidate is a leg repositioned, not a rep (nil: not one), degrees.
    ///
    /// A leg repositioned (the knee slid forward and out and back) turns the shank about an axis tilted by the
    /// abduction, the foot swinging sideways, while the back stays quiet; a hip extension turns it about the hip's
    /// medio-lateral axis, near horizontal. Turned the other way than this ankle's reps (hip flexion, not extension),
    /// a tilt past `repositionAxisElevationDegrees` is enough (TUNE: 10 % of true reps turn "the other way" first, a
    /// straight-leg kick's knee leading; a pelvic fault tilts a rep's axis; together the cues fit 42 of 53 repositions
    /// counted as reps and none of 991 true reps, the 6 reversed, tilted ones moved the back 8.8–13°). Turned the same
    /// way (a bird dog's or straight-leg kick's knee sliding forward, the knee bending as the hip flexes, turns the
    /// shank as its reps do), only a tilt past `sidewaysAxisElevationDegrees`. A leg that was not held at its top
    /// (`repositionLongestHold`) slid out and straight back: then the smaller tilts
    /// `unheldReversedAxisElevationDegrees` and `unheldSidewaysAxisElevationDegrees` are enough.
    private func repositionAxisLimit(_ track: AnkleTrack, lumbarDegrees: Float) -> Float? {
        guard lumbarDegrees < profile.lumbarThresholdDegrees else { return nil }
        let elevation = track.hipAxisElevationDegrees
        if elevation > Self.sidewaysAxisElevationDegrees { return Self.sidewaysAxisElevationDegrees }
        var reversed = false
        if let axis = track.candidate.axisSum.normalized, let previous = track.acceptedAxis {
            reversed = axis.dot(previous) < 0
        }
        if reversed, elevation > Self.repositionAxisElevationDegrees { return Self.repositionAxisElevationDegrees }
        let unheldLimit = reversed ? Self.unheldReversedAxisElevationDegrees : Self.unheldSidewaysAxisElevationDegrees
        guard elevation > unheldLimit, track.phaseDurations().hold < Self.repositionLongestHold else { return nil }
        return unheldLimit
    }

    /// Smallest tilt of a reversed candidate's axis from horizontal that makes it a reposition, degrees (TUNE:
    /// repositions 4–53°, median 24°; true reps median 0.8°, 95 % under 10°).
    static let repositionAxisElevationDegrees: Float = 8

    /// Smallest tilt of any candidate's axis from horizontal that makes it a reposition, with the back quiet, degrees.
    /// Real reps are the ruler: UCI subject 1's 30 prone raises turn about axes tilted 1–21° (its low-amplitude block
    /// 17–21°, the leg abducting as it rises), so a tilt rule at 8° dropped 18 of them. Repositions counted as reps on
    /// TUNE 0–199 (bird dog and straight-leg kick, 24 measured): 19–61°, median 32°. 25° keeps 4° above every real
    /// rep; no true TUNE rep with a quiet back turns past it.
    static let sidewaysAxisElevationDegrees: Float = 25

    /// The longest hold at the top of a leg repositioned, s: the knee slides out and straight back, without stopping
    /// (TUNE 0-199: the 190 repositions' measured holds 0.02-0.41 s), while UCI subject 1's raises about tilted axes
    /// (17-21°) hold 3.3-4.7 s. Kicks are not held either: the tilts below keep them.
    static let repositionLongestHold: Double = 1

    /// Smallest tilt of a candidate's axis from horizontal, turned the same way as the leg's reps and not held at its
    /// top, that makes it a reposition with the back quiet, degrees. UCI subject 1's fast raises (held 0.1-1.2 s) tilt
    /// up to 10.2°; the bird dogs' and straight-leg kicks' repositions counted as reps under the 25° rule tilted
    /// 13.4-22.8° (TUNE seeds 16, 106, 115, 123, 124, 164), and a sensor picked up and put back 23° (seed 22).
    static let unheldSidewaysAxisElevationDegrees: Float = 12

    /// Smallest tilt of a reversed candidate's axis from horizontal that makes it a reposition when not held at its
    /// top, with the back quiet, degrees: a standing kickback's knee slid forward (hip flexion) tilted 7.6-7.8° and
    /// was counted (TUNE seeds 58, 75); the 132 reversed true reps with a quiet back tilt 2.7° at most, 1.5° those
    /// not held (one prone raise held 12 s: 5.6°).
    static let unheldReversedAxisElevationDegrees: Float = 5

    /// The other leg moving more than this fraction of the rep's excursion makes it `both_legs_moved`.
    static let otherLegFraction: Float = 0.7

    /// How far the other leg may move (its peak excursion, degrees) during a rep whose leg reached `peakExcursion`
    /// before the two are `both_legs_moved`: walking and repositioning move both legs about as much; the other leg
    /// shifting a little during a long hold (real data: UCI subject 1 settles the other leg 3-8° while holding a 12°
    /// raise) does not.
    static func bothLegsLimit(peakExcursion: Float) -> Float {
        max(AnkleTrack.onsetLevel, otherLegFraction * peakExcursion)
    }

    /// A candidate's lumbar deviation up to which rep_started never waits, degrees (breathing, sway).
    static let confirmLumbarFloorDegrees: Float = 2
    /// Largest lumbar deviation per degree (or cm) of leg excursion for rep_started.
    static let confirmLumbarRatio: Float = 0.75

    /// The lumbar deviation up to which a candidate of this leg excursion (degrees or cm) starts as a rep, degrees.
    static func confirmLumbarLimit(excursion: Float) -> Float {
        max(confirmLumbarFloorDegrees, confirmLumbarRatio * excursion)
    }

    /// A rep candidate of the ankle at `p`, referenced to the lumbar orientation at the leg's onset.
    private mutating func startRep(of p: SensorPlacement) {
        heldAlerts.removeAll(keepingCapacity: true)
        active = newRep(of: p)
    }

    private func newRep(of p: SensorPlacement) -> ActiveRep {
        let track = ankle(p)
        let c = track.candidate
        let (leg, swapped) = leg(of: p, restGravity: track.restGravity, at: latestTime)
        // The leg's onset is found late when it barely moves (a pelvic fault can cancel most of a prone
        // raise): take the lumbar reference a little earlier, but not inside the previous rep. The alert is judged
        // from before the leg set off (`AnkleTrack.Candidate.departureTime`), earlier still on a slow lift.
        let referenceTime = max(c.onsetTime - Self.referenceLookback, lastRepEnd)
        let reference = lumbar.history.value(atOrBefore: referenceTime) ?? lumbar.orientation
        let alertReferenceTime = max(c.departureTime - Self.referenceLookback, lastRepEnd)
        var alert = LumbarAlert(
            reference: reference, alertReference: lumbar.history.value(atOrBefore: alertReferenceTime) ?? reference)
        alert.recall(lumbar.history, after: alertReferenceTime, threshold: profile.lumbarThresholdDegrees)
        return ActiveRep(
            ankle: p, leg: leg, set: setNumber, confirmed: false, alert: alert,
            frame: frame(reference: reference), restGravity: track.restGravity, swapped: swapped,
            activitySumAtStart: lumbar.activitySumG, activityCountAtStart: lumbar.activityCount,
            otherLegExcursionAtStart: excursion(ofAnkle: otherAnkle(p)),
            otherLegRestTakenTime: ankle(otherAnkle(p)).restTakenTime,
            startedAtRest: p == .leftAnkle ? leftAtRest : rightAtRest)
    }

    /// The set of a rep starting at `t`: a new one after a new posture taken since the last rep (re-calibration
    /// away from that rep's lumbar orientation) or a rest, i.e. a pause free of the exercise (`restBefore`)
    /// longer than `Settings.setBreakDuration` and than `Settings.setBreakRhythm` times the mean pause between
    /// this set's reps so far, and either longer than `Settings.setRestDuration` or, once the set has a rhythm
    /// (two reps), longer than its reps take: people who pause 3 s between 12 s reps with holds may pause 8 s
    /// once (a set is what the person did), while 8 s after 2 s kicks is a rest. Never because the leg changed (the bird dog alternates legs within a set; a single
    /// ankle sensor moved to the other leg needs a rest anyway: its moving is no exercise, see `reject`).
    private func setNumber(forRepStartingAt t: Double) -> Int {
        let pause = restBefore(t)
        let rhythm = setPauseCount > 0 ? settings.setBreakRhythm * setPauseSum / Double(setPauseCount) : 0
        let meanDuration = setDurationCount > 0 ? setDurationSum / Double(setDurationCount) : 0
        let rest = pause > max(settings.setBreakDuration, rhythm)
            && (pause > settings.setRestDuration || setPauseCount > 0 && pause > meanDuration)
        let newSet = newSetPending || setNumber == 0 || rest
        return newSet ? setNumber + 1 : setNumber
    }

    /// Runs `body` on the track of the ankle at `p` in place.
    private mutating func withTrack<Result>(
        ofAnkle p: SensorPlacement, _ body: (inout AnkleTrack) -> Result
    ) -> Result {
        p == .leftAnkle ? body(&left) : body(&right)
    }

    /// Runs the open rep's lumbar alert on the newest lumbar orientation. Mutates `active` in place: this runs
    /// for every lumbar sample, and copying the whole `ActiveRep` out and back cost ~10% of replay time.
    private mutating func updateLumbarAlert(time t: Double, into events: inout EventBuffer) {
        guard let state = active.map({ (maximum: $0.alert.maximumDeviationDegrees, ankle: $0.ankle, frame: $0.frame,
                                         confirmed: $0.confirmed, leg: $0.leg) })
        else { return }
        // The trunk turning this far is a change of posture (standing up, walking), not a rep.
        if state.maximum > Self.postureChangeDegrees, let rep = active {
            active = nil
            reject(
                rep, reason: .postureChange, value: state.maximum, limit: Self.postureChangeDegrees, at: t,
                into: &events)
            withTrack(ofAnkle: state.ankle) { $0.abandon() }
            // Both legs turn with the trunk getting down from standing, and only one of them is the open rep: the
            // other's candidate goes too (`abandonOpenCandidate()`).
            withTrack(ofAnkle: otherAnkle(state.ankle)) { $0.abandonOpenCandidate() }
            return
        }
        let orientation = lumbar.orientation
        let profile = self.profile
        let step =
            active?.alert.update(time: t, orientation: orientation, frame: state.frame, leg: state.leg, profile: profile)
            ?? .none
        // An alert kept while the trunk turned fast, late in a long candidate: said once it stops turning (a
        // settle means it stopped), unless the turn became a change of posture first (dropped with the candidate).
        // A pelvis dragged by the leg turns while the leg does; a trunk that turned while the leg stood still turned on
        // its own, and standing up from a lean slows too, upright, short of the 30° when the lean was shorter (a
        // standing kickback leans 8-45°): its alert is said once the back comes back (it settles) or the rep counts
        // (`complete`). TUNE 0-199: 7 of the 11 alerts outside any rep were such, said 14-29° into standing up to walk
        // after a sensor was moved on the leg, each with the leg turning under 8°/s since about 1 s before the turn;
        // the true reps' late fast faults (a candidate begun early) came with the leg turning.
        if let rising = active?.risingMove, let alert = active?.alert {
            let slowed = alert.deviationRate < Self.gettingUpRate && !rising.legStill
            if slowed || step != .none {
                active?.risingMove = nil
                say(.lumbarMoved(time: t, rep: repCount + 1, deviationDegrees: alert.deviationDegrees, direction: rising.direction),
                    confirmed: state.confirmed, into: &events)
            }
        }
        switch step {
        case .none:
            return
        case .moved(let deviation, let direction, let evidence):
            if active?.directionEvidence == nil { active?.directionEvidence = evidence }
            if t - ankle(state.ankle).candidate.onsetTime >= Self.lateCandidateSeconds,
                let rate = active?.alert.deviationRate, rate >= Self.gettingUpRate
            {
                let legStill = ankle(state.ankle).slowSince <= t
                active?.risingMove = RisingMove(direction: direction, legStill: legStill)
                return
            }
            say(.lumbarMoved(time: t, rep: repCount + 1, deviationDegrees: deviation, direction: direction),
                confirmed: state.confirmed, into: &events)
        case .settled(let deviation):
            say(.lumbarSettled(time: t, rep: repCount + 1, deviationDegrees: deviation), confirmed: state.confirmed, into: &events)
        }
    }

    /// Says an alert of the candidate under way now, or holds it back: before rep_started (see
    /// `alertWaitsOnHipExtension`), or while the person may be walking or both legs turn (`alertsWait`).
    ///
    /// The pelvis accelerating like walking's steps since the candidate began (half the level that rejects a
    /// rep as `pelvis_moving`): standing up and walking between sets turns the trunk past 5° before the
    /// candidate is dropped. On TUNE, 57 of the 69 `lumbar_moved` outside any rep were walking (mean lumbar
    /// activity 0.056–0.081 g at the alert; in true reps 0.009 median, 0.023 at the 95th percentile).
    private mutating func say(
        _ event: LumbarEvent, confirmed: Bool, into events: inout EventBuffer
    ) {
        if confirmed, let rep = active, !alertsWait(rep, at: latestTime) {
            emitHeldAlerts(into: &events)
            events.append(event)
        } else if heldAlerts.count < Self.maximumHeldAlerts {
            // Not a rep yet (maybe getting into position, maybe walking): said at rep_started (or, walking, at
            // rep_completed if it counts), dropped with the candidate.
            heldAlerts.append(event)
        }
    }

    /// How long after the leg's onset a candidate is "late" for a first alert, s: the concentric phase is over
    /// (people lift in 0.3-4 s; on TUNE 95 % of the true reps' alerts come within 3.9 s of the onset). The
    /// `lumbar_moved` outside any rep on TUNE (17 of 20) and in the classic suite (24 of 24) came 3.6-18.6 s
    /// into a candidate begun by a sensor moved on the leg or picked up, as the person started to stand up.
    static let lateCandidateSeconds: Double = 3.5

    /// The lumbar deviation's rate (low-passed over 50 ms) of a trunk turning to stand up, degrees/s: on TUNE
    /// 17.8-36.6 at the alerts said before a change of posture dropped their candidate; a late alert in a true
    /// rep rises at 0-21 (14 of 556 alerts at 12 or more and 3.5 s late, kept until the trunk slows down).
    static let gettingUpRate: Float = 12

    /// Mean lumbar activity since a candidate began above which its alerts wait for the rep to count, g.
    static let walkingAlertActivityG: Float = 0.04

    /// Whether the lumbar's mean activity since the running sums stood at `sinceSum`/`count` is walking-like.
    private func pelvisWalking(sinceSum: Double, count: Int) -> Bool {
        meanLumbarActivity(sinceSum: sinceSum, count: count).map { $0 > Self.walkingAlertActivityG } ?? false
    }

    /// The lumbar's mean activity (|‖a‖ − 1 g|, g) since its running sums stood at `sinceSum`/`count`; nil without a
    /// lumbar sample since.
    private func meanLumbarActivity(sinceSum: Double, count: Int) -> Float? {
        let samples = lumbar.activityCount - count
        return samples > 0 ? Float((lumbar.activitySumG - sinceSum) / Double(samples)) : nil
    }

    /// The lumbar's mean activity since `rep` set off, g (0 without a lumbar sample since).
    private func lumbarActivity(since rep: ActiveRep) -> Float {
        meanLumbarActivity(sinceSum: rep.activitySumAtStart, count: rep.activityCountAtStart) ?? 0
    }

    /// Says the alerts held back for the rep under way (see `updateLumbarAlert`).
    private mutating func emitHeldAlerts(into events: inout EventBuffer) {
        for e in heldAlerts { events.append(e) }
        heldAlerts.removeAll(keepingCapacity: true)
    }

    /// Validates the finished candidate and, if it is a rep, emits `rep_completed`.
    private mutating func complete(_ rep: ActiveRep, track: AnkleTrack, into events: inout EventBuffer) {
        // A rep kept past its start is decided by now (see `handle`): anything else ends it not counted.
        dropPastStartStop(into: &events)
        let c = track.candidate
        let duration = c.endTime - c.startTime
        let lumbarActivity = lumbarActivity(since: rep)
        let bothLegsLimit = Self.bothLegsLimit(peakExcursion: c.peakExcursion)
        // People put the leg back near, not exactly, where it started: within `landingTiltLimit` (any way), or,
        // from a rest (`startedAtRest`, not where a movement cut short stopped), short of the start on the rep's
        // own path: a turn about its axis (at most `maximumLandingTiltDegrees` about any other) of up to
        // `landingTiltFraction` of the leg's excursion (a 90° back kick put back 12 % short lands 11° off). Else
        // a sensor strapped on anew, or a candidate that began away from rest.
        let landing = LandingTilt(start: c.startGravity, end: track.orientation.inverseRotate(.unitZ), axis: c.axisSum)
        let landingTiltLimit = max(
            settings.maximumLandingTiltDegrees,
            min(settings.landingTiltFraction * c.peakRotationDegrees, settings.largestLandingTiltDegrees))
        let landingTiltDegrees = track.landingTiltDegrees
        let shortLandingLimit = settings.landingTiltFraction * c.peakExcursion
        var rejection: (RepRejection, value: Float, limit: Float)?
        let (seen, unseen) = track.seenAndUnseen
        if unseen > seen && unseen > Self.glanceAwayDuration {
            // More of it went unseen in the ankle's gaps than was seen, and longer than a glance away: not a rep
            // anyone saw.
            rejection = (.ankleLost, Float(unseen), Float(max(0, seen)))
        } else if duration < settings.minimumRepDuration {
            rejection = (.tooShort, Float(duration), Float(settings.minimumRepDuration))
        } else if c.peakExcursion < profile.minimumExcursion {
            rejection = (.tooSmall, c.peakExcursion, profile.minimumExcursion)
        } else if c.peakRotationDegrees < Self.minimumShankTurnDegrees {
            rejection = (.tooSmall, c.peakRotationDegrees, Self.minimumShankTurnDegrees)
        } else if c.planarity < settings.minimumPlanarity {
            rejection = (.notAHinge, c.planarity, settings.minimumPlanarity)
        } else if !track.turnedAboutHipAxis {
            rejection = (.notAboutHipAxis, track.hipAxisElevationDegrees, AnkleTrack.maximumHipAxisElevationDegrees)
        } else if let limit = repositionAxisLimit(track, lumbarDegrees: rep.alert.maximumDeviationDegrees) {
            rejection = (.reposition, track.hipAxisElevationDegrees, limit)
        } else if lumbarActivity > settings.maximumLumbarActivityG {
            rejection = (.pelvisMoving, lumbarActivity, settings.maximumLumbarActivityG)
        } else if rep.alert.maximumDeviationDegrees >= Self.postureChangeDegrees {
            rejection = (.postureChange, rep.alert.maximumDeviationDegrees, Self.postureChangeDegrees)
        } else if rep.otherLegPeakExcursion > bothLegsLimit {
            rejection = (.bothLegsMoved, rep.otherLegPeakExcursion, bothLegsLimit)
        } else {
            rejection = landingRejection(
                landing, tiltDegrees: landingTiltDegrees, limit: landingTiltLimit, shortLimit: shortLandingLimit,
                startedAtRest: rep.startedAtRest)
        }
        if let (reason, value, limit) = rejection {
            // Landed past where it started: the candidate began away from rest, and the leg may be there still.
            let pastStart = reason == .sensorResettled && landing.alongDegrees < -landingTiltLimit
            // Or ended at its valley, the leg rising again, and landed there, judged where the leg is by now: maybe the
            // stop at the top of a rep whose shank is level there (`risenAgainFromTop`).
            let risenAgain = reason == .sensorResettled
                && risenAgainFromTop(c, limit: landingTiltLimit, startedAtRest: rep.startedAtRest)
            if (pastStart || risenAgain) && rep.confirmed && !rep.startedAheadOfLumbar {
                // Maybe held at the top of a rep: decided by where the leg stops next.
                keepPastStartStop(
                    rep, track: track, landingLimit: landingTiltLimit, reason: reason, value: value, limit: limit,
                    riseAtStop: risenAgain ? c.valleyRise : track.riseCentimetres, atRest: !pastStart)
                return
            }
            reject(rep, reason: reason, value: value, limit: limit, at: c.endTime, atRest: !pastStart, into: &events)
            return
        }
        var rep = rep
        if !bothAnklesPresent(at: latestTime), rep.swapped == legSwapped, track.axisChangedFromPreviousRep {
            // Re-strapped on the other leg with gravity by chance in about the same sensor direction.
            rep.swapped.toggle()
            rep.leg = rep.leg == .left ? .right : .left
        }
        withTrack(ofAnkle: rep.ankle) { $0.accept() }
        count(rep, candidate: c, phases: track.phaseDurations(), into: &events)
    }

    /// Why a candidate that set off from `landing.start` and came to rest at its end, `tiltDegrees` from it, is not a
    /// rep by where it landed (`sensor_resettled`, with the value and limit that decided it); nil if it landed near
    /// enough its start: within `limit` (degrees, any way), or, from a rest (`startedAtRest`), short of its start on
    /// the rep's own path (within `shortLimit` along its axis, `maximumLandingTiltDegrees` across).
    private func landingRejection(
        _ landing: LandingTilt, tiltDegrees: Float, limit: Float, shortLimit: Float, startedAtRest: Bool
    ) -> (RepRejection, value: Float, limit: Float)? {
        guard tiltDegrees > limit else { return nil }
        if !startedAtRest || landing.alongDegrees <= 0 {
            return (.sensorResettled, tiltDegrees, limit)
        } else if landing.acrossDegrees > settings.maximumLandingTiltDegrees {
            return (.sensorResettled, landing.acrossDegrees, settings.maximumLandingTiltDegrees)
        } else if landing.alongDegrees > shortLimit {
            return (.sensorResettled, landing.alongDegrees, shortLimit)
        }
        return nil
    }

    /// Whether the candidate `c`, ended at its valley as the leg rose again (`AnkleTrack.Candidate.endedAtValley`),
    /// landed near its start there (`landingRejection` with the leg's inclination at the valley, `limit` degrees),
    /// though not where the leg is by the time it is decided. A bird dog's or straight-leg kick's shank tilts up
    /// mid-lift and is level again at the top, the ankle 25-35 cm up; a lowering that tilts it again before the ankle
    /// comes down ends the lift there, and by then the shank is 22-33 deg from the floor (TUNE seed 30 rep 22, seed 158
    /// rep 14, seed 71 rep 16: dropped as `sensor_resettled`, the lowering counted as a rep of its own). Decided then
    /// as a stop past the start is (`PastStartStop`): lowered from there back to the floor, one rep.
    private func risenAgainFromTop(_ c: AnkleTrack.Candidate, limit: Float, startedAtRest: Bool) -> Bool {
        guard c.endedAtValley else { return false }
        let landing = LandingTilt(start: c.startGravity, end: c.valleyGravity, axis: c.axisSum)
        let tilt = c.startGravity.angle(to: c.valleyGravity).radiansToDegrees
        return landingRejection(
            landing, tiltDegrees: tilt, limit: limit, shortLimit: settings.landingTiltFraction * c.peakExcursion,
            startedAtRest: startedAtRest) == nil
    }

    /// Counts `rep`, the movement measured by `c` (onset, peak and end times, excursions) with phase durations
    /// `phases`, s: the exercise's votes, the set's pauses and tempo, the faults, and `rep_completed`.
    private mutating func count(
        _ rep: ActiveRep, candidate c: AnkleTrack.Candidate,
        phases: (concentric: Double, hold: Double, eccentric: Double), into events: inout EventBuffer
    ) {
        let duration = c.endTime - c.startTime
        let lumbarSamples = lumbar.activityCount - rep.activityCountAtStart
        // This leg supported the other's rep, on the floor (`AnkleTrack.otherLegRepCounted`).
        withTrack(ofAnkle: otherAnkle(rep.ankle)) { $0.otherLegRepCounted() }
        noteMovementEnd(of: rep.ankle, atRest: true)
        upright.repDone(lumbarUp: rep.alert.reference.inverseRotate(.unitZ))

        if settings.exercise == nil {
            let vote = ExerciseRecognizer.recognise(
                peakRotationDegrees: c.peakRotationDegrees, peakRiseCentimetres: c.peakRiseCentimetres,
                rotationAtTopDegrees: c.rotationAtFirstStop ?? c.rotationAtPeakRise, tiltSwungTwice: c.tiltSwungTwice,
                duration: duration,
                departureVerticalFraction: c.departureVerticalFraction,
                legsAlternate: repCount > 0 && rep.leg != lastLeg && rep.set == setNumber)
            // The majority of the reps since the posture was taken decides (one odd rep does not).
            votes[vote.voteIndex] += 1
            var best = Exercise.allCases[0]
            for e in Exercise.allCases where votes[e.voteIndex] > votes[best.voteIndex] { best = e }
            recognisedExercise = best
            profile = settings.profile(for: best)
        }
        learnMediolateralAxis(from: c)

        repCount += 1
        if rep.set != setNumber {
            setNumber = rep.set
            setPauseSum = 0
            setPauseCount = 0
            setDurationSum = 0
            setDurationCount = 0
        } else if lastRepEnd.isFinite {
            setPauseSum += max(0, restBefore(c.startTime))
            setPauseCount += 1
        }
        setDurationSum += duration
        setDurationCount += 1
        newSetPending = false
        lastRepEnd = c.endTime
        uncountedExerciseEnd = -.infinity
        longestRestBeforeUncounted = 0
        lastRepLumbar = lumbar.orientation
        lastLeg = rep.leg
        lastRepRestGravity = rep.restGravity
        legSwapped = rep.swapped

        let alert = rep.alert
        emitHeldAlerts(into: &events)
        if let direction = rep.risingMove?.direction {
            events.append(
                .lumbarMoved(time: c.endTime, rep: repCount, deviationDegrees: alert.deviationDegrees, direction: direction))
        }
        if alert.fired, let evidence = rep.directionEvidence {
            directionEvidenceCounts[DirectionEvidence.allCases.firstIndex(of: evidence) ?? 0] += 1
        }
        var faults: [RepFault] = []
        let threshold = profile.lumbarThresholdDegrees
        // A back that was not measured is never a clean back: no lumbar sample in the rep, none near its end
        // (stalled, unplugged), or a gap in them during it.
        let lumbarMeasured =
            lumbarSamples > 0 && (lumbar.lastTime.map { latestTime - $0 <= settings.ankleGapDuration } ?? false)
            && lumbar.lastGapEndTime <= c.onsetTime
        if !lumbarMeasured {
            faults.append(.lumbarUnknown)
        } else if alert.maximumDeviationDegrees >= threshold {
            faults = rep.frame.lumbarFaults(
                peak: alert.peakComponents, extensionRange: alert.extensionRange, componentLimit: 0.6 * threshold)
        }
        let tempo = settings.prescribedTempo(set: rep.set) ?? profile.tempo
        // A rep whose lift went unseen in a gap of samples (`Candidate.liftUnseenDuration`) is not judged on its tempo:
        // how long its lift took, and when its hold began, are not known.
        if c.liftUnseenDuration == 0, tempo.isTooFast(concentric: phases.concentric, hold: phases.hold) {
            faults.append(.tooFast)
        }
        if let limit = profile.legLimitDegrees, c.peakRotationDegrees > limit { faults.append(.legTooHigh) }
        faults.sort { RepFault.allCases.firstIndex(of: $0)! < RepFault.allCases.firstIndex(of: $1)! }

        let record = RepRecord(
            rep: repCount, set: rep.set, leg: rep.leg, startTime: c.startTime, peakTime: c.peakTime,
            endTime: c.backAtRestTime, concentricDuration: phases.concentric, holdDuration: phases.hold,
            eccentricDuration: phases.eccentric, legROMDegrees: c.peakRotationDegrees,
            peakLegAngularVelocityDps: c.peakSpeedDps,
            lumbarMaxDeviationDegrees: lumbarMeasured ? alert.maximumDeviationDegrees : .nan,
            lumbarExtensionDegrees: lumbarMeasured ? alert.peakComponents.extension_ : .nan,
            lumbarLateralDegrees: lumbarMeasured ? alert.peakComponents.lateral : .nan,
            lumbarRotationDegrees: lumbarMeasured ? alert.peakComponents.rotation : .nan,
            lumbarMoved: lumbarMeasured && alert.fired, faults: faults)
        events.append(.repCompleted(time: c.backAtRestTime, record: record))
    }

    /// Averages the hip's extension axis (ankle earth frame, horizontal) over the accepted reps.
    private mutating func learnMediolateralAxis(from c: AnkleTrack.Candidate) {
        // The candidate's sum is aligned with its first motion, the concentric (extension) one.
        let h = Vector3(c.earthAxisSum.x, c.earthAxisSum.y, 0)
        guard let axis = h.normalized else { return }
        if mediolateralReps == 0 {
            ankleMediolateral = axis
        } else {
            let aligned = axis.dot(ankleMediolateral) >= 0 ? axis : -axis
            let w = 1 / Float(min(mediolateralReps + 1, 10))
            ankleMediolateral = (ankleMediolateral * (1 - w) + aligned * w).normalized ?? ankleMediolateral
        }
        mediolateralReps += 1
    }

    // MARK: - Live view

    /// The live state for a dashboard.
    public var snapshot: MotionSnapshot {
        let t = latestTime
        let calibration: MotionSnapshot.Calibration
        if isCalibrated {
            calibration = .calibrated
        } else {
            var still = isPresent(lumbar.lastTime, at: t) ? lumbar.stillness.stillDuration(at: t) : .infinity
            for a in [left, right] where isPresent(a.lastTime, at: t) {
                still = min(still, a.stillness.stillDuration(at: t))
            }
            calibration = .waiting(
                stillSeconds: still.isFinite ? still : 0, requiredSeconds: settings.firstCalibrationStillDuration)
        }
        var deviation: Float
        var components: LumbarComponents
        if let rep = active {
            deviation = rep.alert.deviationDegrees
            components = rep.alert.components
        } else {
            let r = (lumbar.orientation * neutral.conjugate).rotationVector * Units.degreesPerRadian
            deviation = isCalibrated ? r.length : 0
            components = isCalibrated ? frame(reference: neutral).components(of: r) : .zero
        }
        if !isPresent(lumbar.lastTime, at: t) {
            // No lumbar sample for a second (none yet, lost, stalled): the back is not measured, and a live
            // view must not show it as still. NaN is `null` in the dashboard's JSON and a gap in the report.
            deviation = .nan
            components = LumbarComponents(extension: .nan, lateral: .nan, rotation: .nan)
        }
        let movingAnkle: AnkleTrack
        if let rep = active {
            movingAnkle = ankle(rep.ankle)
        } else {
            movingAnkle = left.lastActiveTime >= right.lastActiveTime ? left : right
        }
        return MotionSnapshot(
            time: t, calibration: calibration, lumbarDeviationDegrees: deviation, lumbarComponents: components,
            lumbarAlert: active?.alert.isAlerting ?? false, legAngleDegrees: movingAnkle.rotationDegrees,
            legRiseCentimetres: movingAnkle.riseCentimetres,
            leg: displayLeg, repCount: repCount, set: setNumber, phase: active == nil ? .rest : movingAnkle.phase,
            exercise: exercise, posture: exercise?.startPosture)
    }
}

extension Exercise {
    /// Position in `allCases`, for per-exercise counters.
    fileprivate var voteIndex: Int { Exercise.allCases.firstIndex(of: self) ?? 0 }
}

extension MotionAnalyzer {
    /// One line of an ankle track's state (diagnosis: `MotionBench --trace-ankle`): candidate state, inclination
    /// change (°), rise (cm), excursion and the candidate's peak, smoothed angular speed (°/s), NT not turning,
    /// S still, smoothed |‖a‖ − 1 g|.
    public func ankleTrace(_ placement: SensorPlacement) -> String {
        (placement == .leftAnkle ? left : right).traceLine
    }
}
