import LumbarCore

/// Everything that defines one simulated session: the exercise, its sets and reps (with the faults
/// to act out), the sensors, the nuisances and the seed. Same script, same seed → the same bytes.
///
/// ```swift
/// var script = SessionScript.demo(.backKick, seed: 7)
/// script.sets[0].reps[2].fault = LumbarFaultScript(.extension_, degrees: 12)
/// let session = Simulator.run(script)
/// ```
///
/// Times are seconds of true session time (t = 0 is the start of the simulation; every sensor's first
/// sample lies within its first sample period).
public struct SessionScript: Sendable {
    /// The exercise acted out in every set.
    public var exercise: Exercise
    /// Seed of every random choice (mountings when not given, per-rep variability, noise, losses).
    public var seed: UInt64
    /// How the session begins before the start posture: standing still after strapping the sensors on, then
    /// getting down into position, as real sessions do. nil: the session starts in the start posture (a
    /// recording started late). Default `.typical`.
    public var prelude: Prelude? = .typical
    /// Still start posture before the first rep, s (calibration needs about 2–3 s).
    public var startStillSeconds: Double = 3
    /// Still period after the last rep, s.
    public var endStillSeconds: Double = 2
    /// The sets, in order.
    public var sets: [SetScript]
    /// The sensors worn. A single ankle sensor is moved (picked up, carried, re-strapped with a new
    /// mounting) to the other ankle between sets whenever the next set's first rep uses the other leg.
    public var sensors: [SensorScript]
    /// What else happens during the session.
    public var nuisances: Nuisances = .none
    /// Breathing and postural sway of the lumbar segment.
    public var lumbarNaturalMotion: LumbarNaturalMotion = .typical
    /// Segment lengths and heights of the body model.
    public var body: BodyDimensions = .typical
    /// How much each rep deviates from its nominal ROM and tempo: 0 = exactly nominal, 1 = about ±8 % ROM and
    /// ±10 % tempo.
    public var variability: Double = 1

    public init(exercise: Exercise, seed: UInt64, sets: [SetScript], sensors: [SensorScript]) {
        self.exercise = exercise
        self.seed = seed
        self.sets = sets
        self.sensors = sensors
    }
}

/// The start of a session before the exercise's start posture: the person stands still (the sensors were just
/// strapped on), then gets into position (kneels down on all fours, lies down, or leans onto the support).
public struct Prelude: Sendable, Hashable {
    /// Standing still, upright, s.
    public var uprightSeconds: Double
    /// Getting from upright into the start posture, s; nil: 2.5 s to all fours, 3.5 s lying down, 1.2 s leaning
    /// onto a support.
    public var transitionSeconds: Double?

    public init(uprightSeconds: Double = 3, transitionSeconds: Double? = nil) {
        self.uprightSeconds = uprightSeconds
        self.transitionSeconds = transitionSeconds
    }

    /// 3 s standing upright, then the posture's usual transition.
    public static let typical = Prelude()
}

/// One set: reps done one after the other, preceded by a rest (for every set after the first).
public struct SetScript: Sendable {
    /// The reps of the set.
    public var reps: [RepScript]
    /// Rest before this set (ignored for the first set, which follows the start posture), s. At least 6 s
    /// are used whatever this says, so that a still re-calibration period precedes every set.
    public var restBeforeSeconds: Double = 8
    /// The tempo the coach prescribed for the set (its reps vary about it); nil when none was (a set done fast
    /// against the exercise's usual tempo). The analysis is told it, as a coach's `--tempo` would.
    public var prescribedTempo: RepTempo?

    public init(reps: [RepScript], restBeforeSeconds: Double = 8) {
        self.reps = reps
        self.restBeforeSeconds = restBeforeSeconds
    }

    /// `count` reps with `leg`, all with the same fault (nil: clean) and tempo.
    public static func uniform(
        _ count: Int, leg: Leg, fault: LumbarFaultScript? = nil, tempo: RepTempo? = nil
    ) -> SetScript {
        SetScript(reps: Array(repeating: RepScript(leg: leg, fault: fault, tempo: tempo), count: count))
    }
}

/// One rep: which leg, what the lower back does, how fast, how far.
public struct RepScript: Sendable {
    /// The moving leg (`.unknown` is treated as `.right`).
    public var leg: Leg
    /// The lumbar compensation acted out in this rep; nil for a clean rep (deviation under 2.5°).
    public var fault: LumbarFaultScript?
    /// Phase durations; nil uses the exercise's default tempo.
    public var tempo: RepTempo?
    /// Hip range of motion of this rep, degrees; nil draws one from the exercise's typical range.
    public var hipROMDegrees: Double?
    /// The knee's path; nil uses the exercise's.
    public var kneePath: KneePath?
    /// Fraction of the excursion left when the eccentric phase ends (0: the leg comes back exactly); the rest
    /// fades out over `settleSeconds` of the following rest.
    public var returnFraction: Double = 0
    /// How long the residual excursion takes to fade, s (taken from the rest after the rep).
    public var settleSeconds: Double = 1
    /// The person did this rep faster than the prescribed tempo (the truth of `too_fast`).
    public var performedFast = false

    public init(leg: Leg, fault: LumbarFaultScript? = nil, tempo: RepTempo? = nil, hipROMDegrees: Double? = nil) {
        self.leg = leg
        self.fault = fault
        self.tempo = tempo
        self.hipROMDegrees = hipROMDegrees
    }
}

/// The knee's flexion during a rep: where it goes at the top, and its phase relation to the hip. It starts
/// from the posture's own knee angle (on all fours 90°, lying and standing 0°).
public struct KneePath: Sendable, Hashable {
    /// Knee flexion at the top of the rep, degrees.
    public var topDegrees: Double
    /// Fraction of the concentric phase by which the knee's movement lags the hip's (the foot rises first);
    /// negative: the knee leads (extends early, the shank swings up before the thigh). Within −0.6…0.6.
    public var lag: Double

    public init(topDegrees: Double, lag: Double) {
        self.topDegrees = topDegrees
        self.lag = min(0.6, max(-0.6, lag))
    }
}

/// A lumbar compensation and its peak size.
public struct LumbarFaultScript: Sendable, Hashable {
    public var kind: SimulatedLumbarFault
    /// Peak rotation of the lumbar segment away from its rep-start orientation caused by the fault, degrees
    /// (the deviation seen also includes breathing and sway, under about 1°).
    public var degrees: Double

    public init(_ kind: SimulatedLumbarFault, degrees: Double) {
        self.kind = kind
        self.degrees = degrees
    }
}

/// How the lumbar segment compensates during a faulty rep (DOMAIN.md, "The faults we detect").
public enum SimulatedLumbarFault: String, Sendable, Hashable, CaseIterable {
    /// Arching: the pelvis tilts anteriorly (rotation about the medio-lateral axis), growing with leg height,
    /// peaking at the top of the rep.
    case extension_ = "extension"
    /// Rounding: the opposite rotation about the medio-lateral axis.
    case flexion
    /// Axial rotation: the pelvis rolls toward the lifted leg (its side moves dorsally), growing toward the peak.
    case rotation
    /// Lateral flexion toward the lifted leg's side, growing toward the peak.
    case lateral
    /// Rising and falling: extension over the first half of the rep, flexion over the second, peak size each way.
    case risingAndFalling = "rising_and_falling"

    /// The direction of `lumbar_moved` a correct analysis reports for this compensation when `leg` lifts: the
    /// first excursion's (rising and falling: extension); rotation and lateral flexion go toward the lifted leg.
    public func expectedDirection(leg: Leg) -> LumbarDirection {
        switch self {
        case .extension_, .risingAndFalling: .extension_
        case .flexion: .flexion
        case .rotation: leg == .left ? .rotationLeft : .rotationRight
        case .lateral: leg == .left ? .lateralLeft : .lateralRight
        }
    }

    /// The `RepFault` a correct analysis reports for this compensation (rising and falling reports extension,
    /// its first and larger-or-equal excursion).
    public var expectedRepFault: RepFault {
        switch self {
        case .extension_, .risingAndFalling: .lumbarExtension
        case .flexion: .lumbarFlexion
        case .rotation: .lumbarRotation
        case .lateral: .lumbarLateral
        }
    }
}

/// Durations of a rep's phases, s.
public struct RepTempo: Sendable, Hashable {
    /// Lifting phase, s.
    public var concentric: Double
    /// Hold at the top, s (may be 0).
    public var hold: Double
    /// Lowering phase, s.
    public var eccentric: Double
    /// Still rest after the rep before the next one starts, s.
    public var restAfter: Double

    public init(concentric: Double, hold: Double, eccentric: Double, restAfter: Double) {
        self.concentric = concentric
        self.hold = hold
        self.eccentric = eccentric
        self.restAfter = restAfter
    }
}

/// Things that happen besides reps, placed at seeded random moments that never overlap a rep
/// (vibration bursts excepted: they may).
public struct Nuisances: Sendable, Hashable {
    /// Foot taps per set (the foot of the moving leg lifts a few degrees and taps the floor), placed in
    /// lengthened rests between reps.
    public var footTapsPerSet: Int = 0
    /// Weight shifts per set (the pelvis slides ~3 cm sideways and rolls ~3°, then back; the shanks pivot a
    /// few degrees), placed in lengthened rests between reps.
    public var weightShiftsPerSet: Int = 0
    /// Bursts of floor vibration (20–35 Hz, 0.1–0.4 g) anywhere in the session, on every sensor.
    public var vibrationBursts: Int = 0
    /// Between sets the person stands up, walks a loop of about 9 m and gets back into the start posture.
    public var walkBetweenSets: Bool = false
    /// Times a sensor is picked up, turned in the hand and strapped back (slightly differently) between sets.
    public var sensorPickUps: Int = 0
    /// Leg repositionings per set (the knee slides forward and outward by a few degrees and back, 0.8–2 s),
    /// placed in lengthened rests between reps: a leg movement that is not a rep.
    public var repositionsPerSet: Int = 0

    public init(
        footTapsPerSet: Int = 0, weightShiftsPerSet: Int = 0, vibrationBursts: Int = 0,
        walkBetweenSets: Bool = false, sensorPickUps: Int = 0, repositionsPerSet: Int = 0
    ) {
        self.footTapsPerSet = footTapsPerSet
        self.weightShiftsPerSet = weightShiftsPerSet
        self.vibrationBursts = vibrationBursts
        self.walkBetweenSets = walkBetweenSets
        self.sensorPickUps = sensorPickUps
        self.repositionsPerSet = repositionsPerSet
    }

    /// Nothing but reps.
    public static let none = Nuisances()
    /// Some of everything: 1 foot tap and 1 weight shift per set, 2 vibration bursts, a walk between sets and
    /// one sensor pick-up.
    public static let all = Nuisances(
        footTapsPerSet: 1, weightShiftsPerSet: 1, vibrationBursts: 2, walkBetweenSets: true, sensorPickUps: 1)
}

/// Breathing and postural sway of the lumbar segment (present all the time, also during reps).
public struct LumbarNaturalMotion: Sendable, Hashable {
    /// Breathing: amplitude of the flexion/extension rotation, degrees (peak-to-peak is twice this).
    public var breathingAmplitudeDegrees: Double
    /// Breathing rate range, breaths per minute (drawn per session).
    public var breathsPerMinute: ClosedRange<Double>
    /// Postural sway: amplitude per anatomical axis, degrees (sum of three slow sinusoids, 0.03–0.25 Hz).
    public var swayAmplitudeDegrees: Double
    /// The small lumbar motion of a clean rep, in step with the leg, degrees (drawn per rep in this range).
    public var cleanRepMotionDegrees: ClosedRange<Double>

    public init(
        breathingAmplitudeDegrees: Double, breathsPerMinute: ClosedRange<Double>, swayAmplitudeDegrees: Double,
        cleanRepMotionDegrees: ClosedRange<Double>
    ) {
        self.breathingAmplitudeDegrees = breathingAmplitudeDegrees
        self.breathsPerMinute = breathsPerMinute
        self.swayAmplitudeDegrees = swayAmplitudeDegrees
        self.cleanRepMotionDegrees = cleanRepMotionDegrees
    }

    /// About 1.2° of breathing peak-to-peak, sway of ±0.3° per axis, clean reps moving 0.2–0.8°:
    /// a clean rep stays under 2.5° from its start, the whole session within ~2–3°.
    public static let typical = LumbarNaturalMotion(
        breathingAmplitudeDegrees: 0.6, breathsPerMinute: 12...18, swayAmplitudeDegrees: 0.3,
        cleanRepMotionDegrees: 0.2...0.8)
    /// A perfectly still lower back (only faults move it).
    public static let none = LumbarNaturalMotion(
        breathingAmplitudeDegrees: 0, breathsPerMinute: 15...15, swayAmplitudeDegrees: 0, cleanRepMotionDegrees: 0...0)
}

/// Segment lengths and posture heights of the body model, metres.
public struct BodyDimensions: Sendable, Hashable {
    /// Hip joint centre to knee joint centre, m.
    public var thighLength: Double = 0.45
    /// Knee joint centre to the ankle sensor (lateral distal shank, above the malleolus), m.
    public var kneeToAnkleSensor: Double = 0.36
    /// Lateral offset of the ankle sensor from the shank axis, m.
    public var ankleSensorLateralOffset: Double = 0.04
    /// Half the distance between the hip joint centres, m.
    public var hipHalfWidth: Double = 0.09
    /// Caudal distance from the pelvis origin (L5–S1) to the hip joint centres, m.
    public var hipCaudalOffset: Double = 0.08
    /// Dorsal distance from the pelvis origin to the lumbar sensor on the skin, m.
    public var lumbarSensorDorsalOffset: Double = 0.09
    /// Pelvis origin height on all fours (thigh vertical, knee on a mat), m.
    public var quadrupedPelvisHeight: Double = 0.50
    /// Pelvis origin height lying face down, m.
    public var pronePelvisHeight: Double = 0.12
    /// Pelvis origin height standing, m.
    public var standingPelvisHeight: Double = 1.0
    /// Forward lean of the trunk in the standing kickback's start posture (hands on a support), degrees.
    public var standingLeanDegrees: Double = 20

    public init() {}

    public static let typical = BodyDimensions()
}
