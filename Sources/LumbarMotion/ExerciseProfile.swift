import LumbarCore

/// The tempo a coach prescribes for a rep: seconds of lifting, holding at the top and lowering.
///
/// `too_fast` means faster than this: a concentric phase under 65 % of the prescribed one (a kick, momentum
/// instead of the glutes), or, where the prescription holds at the top for a second or more, a hold under
/// 65 % of the prescribed one (rushing through the top). Override per session (`--tempo 2-1-2`) or per set
/// (`--tempo 3-0-3,1-5-1`: `TempoPrescription`, `MotionAnalyzer.Settings.setTempos`).
public struct Tempo: Sendable, Hashable {
    public var concentric: Double
    public var hold: Double
    public var eccentric: Double

    public init(concentric: Double, hold: Double, eccentric: Double) {
        self.concentric = concentric
        self.hold = hold
        self.eccentric = eccentric
    }

    /// A concentric phase under this fraction of the prescribed one is too fast: 0.65 s of a prescribed 1 s
    /// (UCI subject 1's slowest correct raise takes 0.76 s; a kick 0.3–0.6 s).
    public static let tooFastConcentricFraction: Double = 0.65
    /// A hold under this fraction of the prescribed one is too fast (rushed through the top): 1.3 s of a
    /// prescribed 2 s (UCI subject 1's fast block holds 0–1.24 s, the correct and low-amplitude ones 3.3–5.2 s).
    public static let tooFastHoldFraction: Double = 0.65
    /// A prescribed hold shorter than this (a touch at the top) is not checked, s: the measured hold of a short
    /// one is off by up to a second (the stop at the top of a kick blends into its lowering; TUNE: 1.0–1.5 s
    /// holds measured 0.1–0.2 s), while a 2 s hold or longer is timed to a few tenths.
    public static let checkedHold: Double = 1.6

    /// The longest prescribed concentric phase the check resolves, s: the measured lift (the leg's detected onset to
    /// its stop at the top) of a smooth slow lift is 0.45–0.7 of it (TUNE: 1.2–2.3 s of 3–4 s lifts), so longer
    /// prescriptions are checked as this one (a lift under 0.65 s is a kick whatever was prescribed).
    public static let largestCheckedConcentric: Double = 1.0

    /// True when a rep with these measured phase durations (s) is faster than the prescription.
    public func isTooFast(concentric c: Double, hold h: Double) -> Bool {
        if c < Self.tooFastConcentricFraction * min(concentric, Self.largestCheckedConcentric) { return true }
        return hold >= Self.checkedHold && h < Self.tooFastHoldFraction * hold
    }

    /// `C-H-E` in seconds, whole seconds without a decimal point (`2-1-2`, `1.5-3-1.5`): `init(parsing:)` reads
    /// it back to the same values.
    public var text: String {
        func seconds(_ s: Double) -> String { s == s.rounded() && abs(s) < 1e15 ? String(Int64(s)) : String(s) }
        return [concentric, hold, eccentric].map(seconds).joined(separator: "-")
    }

    /// Parses `C-H-E` in seconds (e.g. `2-1-2`, `1.5-3-1.5`); nil unless three non-negative finite numbers.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Double($0) }
        guard parts.count == 3, let c = parts[0], let h = parts[1], let e = parts[2],
            [c, h, e].allSatisfy({ $0.isFinite && $0 >= 0 }), c > 0
        else { return nil }
        self.init(concentric: c, hold: h, eccentric: e)
    }
}

/// Thresholds of the lumbar alert and the rep faults for one exercise.
///
/// | field | unit | default | meaning |
/// |---|---|---|---|
/// | `lumbarThresholdDegrees` | ° | 5 | `lumbar_moved` when the deviation from the rep start exceeds this |
/// | `lumbarHysteresisDegrees` | ° | 3.5 | `lumbar_settled` when it falls back below this |
/// | `minimumAlertDuration` | s | 0.02 | the deviation must stay above the threshold this long (vibration, taps) |
/// | `tempo` | s | below | the prescribed concentric-hold-eccentric tempo; `too_fast` when faster (see `Tempo`) |
/// | `legLimitDegrees` | ° | nil (45 standing, 30 prone) | `leg_too_high` above this leg ROM; nil = no limit |
/// | `minimumExcursion` | ° or cm | 6 | smallest leg excursion that is a rep (people do reps from 8° up: UCI subject 1's prone raises are 9–16°) |
///
/// Default tempos: 1-0.5-1 s for the kicks and the kickback (a controlled kick, a touch at the top); 1.2-0.5-1.2
/// for the bird dog (slower, for balance); 1-2-1 for the prone leg raise, the physiotherapy protocol of the UCI
/// Physical Therapy Exercises data (raise, hold a few seconds, lower: people hold 3–6 s, a rushed rep under 1.3 s).
public struct ExerciseProfile: Sendable, Hashable {
    public var exercise: Exercise
    /// Lumbar alert threshold, degrees of total rotation from the rep-start orientation.
    public var lumbarThresholdDegrees: Float
    /// Settled level, degrees (below the threshold).
    public var lumbarHysteresisDegrees: Float
    /// Minimum time above the threshold before `lumbar_moved`, seconds.
    public var minimumAlertDuration: Double
    /// The prescribed tempo; a faster rep is `too_fast`.
    public var tempo: Tempo
    /// Leg ROM above this is `leg_too_high`, degrees; nil when the exercise has no limit.
    public var legLimitDegrees: Float?
    /// Smallest peak leg excursion (max of ankle inclination change in degrees and ankle rise in centimetres) of a rep.
    public var minimumExcursion: Float

    public init(
        exercise: Exercise, lumbarThresholdDegrees: Float = 5, lumbarHysteresisDegrees: Float = 3.5,
        minimumAlertDuration: Double = 0.02, tempo: Tempo, legLimitDegrees: Float?,
        minimumExcursion: Float = ExerciseProfile.defaultMinimumExcursion
    ) {
        self.exercise = exercise
        self.lumbarThresholdDegrees = lumbarThresholdDegrees
        self.lumbarHysteresisDegrees = lumbarHysteresisDegrees
        self.minimumAlertDuration = minimumAlertDuration
        self.tempo = tempo
        self.legLimitDegrees = legLimitDegrees
        self.minimumExcursion = minimumExcursion
    }

    /// Smallest rep excursion of every exercise, ° (or cm): below the 8° people do, above a fidget's 4°.
    public static let defaultMinimumExcursion: Float = 6

    /// The default profile of each exercise.
    public static func standard(_ exercise: Exercise) -> ExerciseProfile {
        switch exercise {
        case .backKick, .straightLegKick:
            ExerciseProfile(exercise: exercise, tempo: Tempo(concentric: 1, hold: 0.5, eccentric: 1), legLimitDegrees: nil)
        case .birdDog:
            ExerciseProfile(
                exercise: exercise, tempo: Tempo(concentric: 1.2, hold: 0.5, eccentric: 1.2), legLimitDegrees: nil)
        case .proneLegRaise:
            ExerciseProfile(exercise: exercise, tempo: Tempo(concentric: 1, hold: 2, eccentric: 1), legLimitDegrees: 30)
        case .standingKickback:
            ExerciseProfile(exercise: exercise, tempo: Tempo(concentric: 1, hold: 0.5, eccentric: 1), legLimitDegrees: 45)
        }
    }

    /// The profile used before the exercise is known: the alert thresholds of the default, and no fault limits
    /// that depend on the exercise (a concentric phase under 0.65 s is a kick whatever the exercise).
    public static let unknownExercise = ExerciseProfile(
        exercise: .backKick, tempo: Tempo(concentric: 1, hold: 0, eccentric: 1), legLimitDegrees: nil)
}
