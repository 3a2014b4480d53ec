import LumbarCore

extension MotionAnalyzer {
    /// How the analyzer segments, calibrates and alerts. Times are seconds of the session clock.
    ///
    /// | name | unit | default | what it does |
    /// |---|---|---|---|
    /// | `exercise` | — | nil | nil: recognise the exercise from the first rep's leg motion; else force it (`--exercise`) |
    /// | `profiles` | — | `ExerciseProfile.standard` | per-exercise alert and fault thresholds |
    /// | `calibrationStillDuration` | s | 2.0 | every sensor still this long = a new still posture |
    /// | `firstCalibrationStillDuration` | s | 1.0 | the session's first still posture needs only this long (real people start within ~1 s: UCI subject 1 lifts the leg 1.2 s in) |
    /// | `stillGyroDps` | deg/s | 6 | angular speed (smoothed, bias removed) below which a sensor is still |
    /// | `stillAccelerationG` | g | 0.05 | \|\|a\| − 1 g\| below which a sensor is still |
    /// | `recalibrationAngleDegrees` | ° | 10 | a still lumbar this far from its neutral is a new posture |
    /// | `setBreakDuration` | s | 6.5 | a pause shorter than this between reps never starts a new set (longer than the gap a missed rep leaves, about 5 s: a set does not split at a rep the ankle could not see) |
    /// | `setBreakRhythm` | × | 3 | nor does a pause shorter than this many times the mean pause between the set's reps so far: a rest between sets is several times the pauses inside it (UCI subject 1 pauses under 1 s within a block and 28–34 s between blocks) |
    /// | `setRestDuration` | s | 11 | a pause shorter than this is a set break only after the set's second rep and when longer than its reps take (their mean duration): the pauses inside a set of slow reps with holds are not set breaks. TUNE 0–59, pauses between counted reps: within a set up to 7.8 s (p95 5.9 s; a rep whose end is found early leaves a longer one), between sets from 14.0 s (p5 16.7 s); 11 s lies between. The classic suite rests 8–34 s after 2–4 s reps |
    /// | `minimumRepDuration` | s | 0.5 | shorter leg excursions are taps, not reps |
    /// | `maximumRepDuration` | s | 24 | longer excursions are not reps (sensor picked up, repositioning): a 4 s concentric, a 10 s hold and a 4 s eccentric phase fit with margin |
    /// | `maximumHoldDuration` | s | 12 | a leg held still away from rest longer than this was repositioned, not held (holds at the top last up to 10 s) |
    /// | `maximumHeldTopDuration` | s | 15 | a leg that went up one way and holds within a quarter turn of its rest (`AnkleTrack.largestHeldTopDegrees`) is parked only after this long: a top prescribed up to 10 s is held up to 12 s (each rep's hold varies ±20 %), and the still end of a slow lift and start of its lowering add about a second. TUNE 0–199: true reps held still up to 12.0 s (seed 164 rep 17, an 11.0 s hold), no margin to the 12 s `maximumHoldDuration` they were parked after before; well short of `maximumRepDuration` |
    /// | `maximumConcentricDuration` | s | 5 | a candidate that has not reached the rep excursion after this long is not a rep (concentric phases last up to 4 s) |
    /// | `maximumLumbarActivityG` | g | 0.08 | mean lumbar \|\|a\| − 1 g\| in a rep above this = walking, not a rep |
    /// | `minimumPlanarity` | 0…1 | 0.55 | a rep turns the shank about one axis (the hip's); below = handled sensor (real fast reps wobble: UCI subject 1's fast block 0.70–0.78) |
    /// | `maximumLandingTiltDegrees` | ° | 4 | the ankle's rest inclination after a rep within this of before, or within `landingTiltFraction` of the leg's ROM if more (else: sensor re-strapped, not a rep; 6 let a picked-up sensor tilted about the vertical pass as a rep) |
    /// | `largestLandingTiltDegrees` | ° | 8 | the landing allowance never exceeds this, but for a leg short of its start on the rep's path (a sensor strapped onto the other leg lands 20° or more off, about any axis) |
    /// | `landingTiltFraction` | 0…1 | 0.5 | people put the leg back near, not exactly, where it started: half of a 12° prone raise's range is 6° (real data: UCI subject 1 lands 3–5° off a 12° raise); a leg that started at rest and landed short of its start on the rep's own path (turned back about the rep's axis, under `maximumLandingTiltDegrees` about any other) may land up to this fraction of its excursion off, beyond `largestLandingTiltDegrees` (a 90° back kick put back 12 % short lands 11° off) |
    /// | `remountAngleDegrees` | ° | 35 | a single ankle sensor whose rest gravity direction (sensor frame) changed this much between reps was moved to the other leg |
    /// | `ankleGapDuration` | s | 0.5 | an ankle silent longer than this ends its open rep (abandoned, not counted: `RepRejection.ankleLost`) unless what can still be seen of the rep may outweigh it (`AnkleTrack.longestKeptSilence`: a radio burst in a rep is not a reason to drop it; the rep counts only if seen at least as long as it went unseen or unseen no longer than `MotionAnalyzer.glanceAwayDuration`, 1.25 s, judged at its end); its rest posture is taken again when it comes back. 0.5 s is the orientation filter's `maximumGap`, beyond which its inclination restarts |
    /// | `setTempos` | — | [] | a programme's prescribed tempo per set (index n − 1 for set n; nil or past the end: the profile's `tempo`); a coach may prescribe 3-0-3 for one set and 1-5-1 for the next, and `too_fast` judges each rep against its own set's |
    /// | `lumbarMediolateralAxis` | sensor axis | nil | the lumbar sensor's axis pointing to the body's left, if the strap fixes it; nil = from the standing calibration (`UprightCalibration`), else breathing (axis) and the ankle's rotation (sign) |
    public struct Settings: Sendable, Hashable {
        public var exercise: Exercise?
        public var profiles: [Exercise: ExerciseProfile]
        public var calibrationStillDuration: Double
        public var firstCalibrationStillDuration: Double
        public var stillGyroDps: Float
        public var stillAccelerationG: Float
        public var recalibrationAngleDegrees: Float
        public var setBreakDuration: Double
        public var setBreakRhythm: Double
        public var setRestDuration: Double
        public var minimumRepDuration: Double
        public var maximumRepDuration: Double
        public var maximumHoldDuration: Double
        public var maximumHeldTopDuration: Double
        public var maximumConcentricDuration: Double
        public var maximumLumbarActivityG: Float
        public var minimumPlanarity: Float
        public var remountAngleDegrees: Float
        public var maximumLandingTiltDegrees: Float
        public var landingTiltFraction: Float
        public var largestLandingTiltDegrees: Float
        public var ankleGapDuration: Double
        public var lumbarMediolateralAxis: Vector3?
        /// The prescribed tempo of each set (index n − 1 for set n); nil, or a set past the end: the profile's.
        public var setTempos: [Tempo?] = []

        public init(
            exercise: Exercise? = nil,
            profiles: [Exercise: ExerciseProfile] = Dictionary(
                uniqueKeysWithValues: Exercise.allCases.map { ($0, ExerciseProfile.standard($0)) }),
            calibrationStillDuration: Double = 2.0, firstCalibrationStillDuration: Double = 1.0, stillGyroDps: Float = 6, stillAccelerationG: Float = 0.05,
            recalibrationAngleDegrees: Float = 10, setBreakDuration: Double = 6.5, setRestDuration: Double = 11,
            setBreakRhythm: Double = 3, minimumRepDuration: Double = 0.5,
            maximumRepDuration: Double = 24, maximumHoldDuration: Double = 12, maximumHeldTopDuration: Double = 15,
            maximumConcentricDuration: Double = 5,
            maximumLumbarActivityG: Float = 0.08, minimumPlanarity: Float = 0.55,
            remountAngleDegrees: Float = 35, maximumLandingTiltDegrees: Float = 4, landingTiltFraction: Float = 0.5, largestLandingTiltDegrees: Float = 8,
            ankleGapDuration: Double = 0.5,
            lumbarMediolateralAxis: Vector3? = nil
        ) {
            self.exercise = exercise
            self.profiles = profiles
            self.calibrationStillDuration = calibrationStillDuration
            self.firstCalibrationStillDuration = firstCalibrationStillDuration
            self.stillGyroDps = stillGyroDps
            self.stillAccelerationG = stillAccelerationG
            self.recalibrationAngleDegrees = recalibrationAngleDegrees
            self.setBreakDuration = setBreakDuration
            self.setBreakRhythm = setBreakRhythm
            self.setRestDuration = setRestDuration
            self.minimumRepDuration = minimumRepDuration
            self.maximumRepDuration = maximumRepDuration
            self.maximumHoldDuration = maximumHoldDuration
            self.maximumHeldTopDuration = maximumHeldTopDuration
            self.maximumConcentricDuration = maximumConcentricDuration
            self.maximumLumbarActivityG = maximumLumbarActivityG
            self.minimumPlanarity = minimumPlanarity
            self.remountAngleDegrees = remountAngleDegrees
            self.maximumLandingTiltDegrees = maximumLandingTiltDegrees
            self.landingTiltFraction = landingTiltFraction
            self.largestLandingTiltDegrees = largestLandingTiltDegrees
            self.ankleGapDuration = ankleGapDuration
            self.lumbarMediolateralAxis = lumbarMediolateralAxis
        }

        /// The defaults of the table above: good for every exercise without tuning.
        public static let `default` = Settings()

        /// The profile of `exercise`, or the standard one when `profiles` lacks it.
        public func profile(for exercise: Exercise) -> ExerciseProfile {
            profiles[exercise] ?? .standard(exercise)
        }

        /// The tempo prescribed for set `set` (1-based) by `setTempos`, nil when it prescribes none.
        public func prescribedTempo(set: Int) -> Tempo? {
            setTempos.indices.contains(set - 1) ? setTempos[set - 1] : nil
        }
    }
}
