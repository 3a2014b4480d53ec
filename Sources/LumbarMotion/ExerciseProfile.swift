import LumbarCore

/// Thresholds of the lumbar alert and the rep faults for one exercise.
///
/// | field | unit | default | meaning |
/// |---|---|---|---|
/// | `lumbarThresholdDegrees` | ° | 5 | `lumbar_moved` when the deviation from the rep start exceeds this |
/// | `lumbarHysteresisDegrees` | ° | 3.5 | `lumbar_settled` when it falls back below this |
/// | `minimumAlertDuration` | s | 0.02 | the deviation must stay above the threshold this long (vibration, taps) |
/// | `tooFastConcentricDuration` | s | 0.5 (0.8 bird dog, 0.4 prone/standing) | `too_fast` below this concentric time |
/// | `legLimitDegrees` | ° | nil (45 standing, 30 prone) | `leg_too_high` above this leg ROM; nil = no limit |
/// | `minimumExcursion` | ° or cm | 25 back kick, 15 kicks, 4 prone (a pelvic fault can cancel most of the swing), 10 standing | smallest leg excursion that is a rep |
public struct ExerciseProfile: Sendable, Hashable {
    public var exercise: Exercise
    /// Lumbar alert threshold, degrees of total rotation from the rep-start orientation.
    public var lumbarThresholdDegrees: Float
    /// Settled level, degrees (below the threshold).
    public var lumbarHysteresisDegrees: Float
    /// Minimum time above the threshold before `lumbar_moved`, seconds.
    public var minimumAlertDuration: Double
    /// A concentric phase shorter than this is `too_fast`, seconds.
    public var tooFastConcentricDuration: Double
    /// Leg ROM above this is `leg_too_high`, degrees; nil when the exercise has no limit.
    public var legLimitDegrees: Float?
    /// Smallest peak leg excursion (max of ankle rotation in degrees and ankle rise in centimetres) of a rep.
    public var minimumExcursion: Float

    public init(
        exercise: Exercise, lumbarThresholdDegrees: Float = 5, lumbarHysteresisDegrees: Float = 3.5,
        minimumAlertDuration: Double = 0.02, tooFastConcentricDuration: Double, legLimitDegrees: Float?,
        minimumExcursion: Float
    ) {
        self.exercise = exercise
        self.lumbarThresholdDegrees = lumbarThresholdDegrees
        self.lumbarHysteresisDegrees = lumbarHysteresisDegrees
        self.minimumAlertDuration = minimumAlertDuration
        self.tooFastConcentricDuration = tooFastConcentricDuration
        self.legLimitDegrees = legLimitDegrees
        self.minimumExcursion = minimumExcursion
    }

    /// The default profile of each exercise.
    public static func standard(_ exercise: Exercise) -> ExerciseProfile {
        switch exercise {
        case .backKick:
            ExerciseProfile(exercise: exercise, tooFastConcentricDuration: 0.5, legLimitDegrees: nil, minimumExcursion: 25)
        case .straightLegKick:
            ExerciseProfile(exercise: exercise, tooFastConcentricDuration: 0.5, legLimitDegrees: nil, minimumExcursion: 15)
        case .birdDog:
            ExerciseProfile(exercise: exercise, tooFastConcentricDuration: 0.8, legLimitDegrees: nil, minimumExcursion: 15)
        case .proneLegRaise:
            ExerciseProfile(exercise: exercise, tooFastConcentricDuration: 0.4, legLimitDegrees: 30, minimumExcursion: 4)
        case .standingKickback:
            ExerciseProfile(exercise: exercise, tooFastConcentricDuration: 0.4, legLimitDegrees: 45, minimumExcursion: 10)
        }
    }

    /// The profile used before the exercise is known: the alert thresholds of the default, the smallest
    /// rep excursion of any exercise, and no fault limits that depend on the exercise.
    public static let unknownExercise = ExerciseProfile(
        exercise: .backKick, tooFastConcentricDuration: 0.4, legLimitDegrees: nil, minimumExcursion: 4
    )
}
