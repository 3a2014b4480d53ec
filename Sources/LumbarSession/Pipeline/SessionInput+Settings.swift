import LumbarCore
import LumbarMotion

extension SessionInput {
    /// The pipeline settings for this input: `exercise` when given, else the recording's
    /// `setting.exercise`; `tempo` (when given) for every exercise, else the recording's `setting.tempo`, else
    /// each profile's default. A live session records what it was told (`RecordingHeader.analysisSettings`), so
    /// its replay counts and judges the reps as it did.
    public func pipelineSettings(exercise: Exercise? = nil, tempo: TempoPrescription? = nil) -> SessionPipeline.Settings {
        let recorded = recordingHeader?.settings
        return SessionPipeline.Settings(
            exercise: exercise ?? recorded?["exercise"].flatMap(Exercise.init(rawValue:)),
            tempo: tempo ?? recorded?["tempo"].flatMap(TempoPrescription.init(parsing:)))
    }
}

extension SessionPipeline.Settings {
    /// The defaults, with the exercise forced (nil: recognised) and the tempo prescribed (nil: each profile's).
    public init(exercise: Exercise?, tempo: TempoPrescription?) {
        self.init()
        if let exercise { motion.exercise = exercise }
        tempo?.apply(to: &motion)
    }
}

extension RecordingHeader {
    /// The `setting.` pairs a live session records for its replay: the exercise it was told and the tempo it
    /// prescribed, each only when given (a recording without them is recognised and judged as by default).
    public static func analysisSettings(exercise: Exercise?, tempo: TempoPrescription?) -> KeyValueText {
        var pairs: [(key: String, value: String)] = []
        if let exercise { pairs.append(("exercise", exercise.rawValue)) }
        if let tempo { pairs.append(("tempo", tempo.text)) }
        return KeyValueText(pairs)
    }
}

extension SessionPipeline {
    /// The lumbar alert threshold in force, degrees: the exercise's, or the unknown exercise's before one
    /// is known (what the HTML report draws).
    public var lumbarThresholdDegrees: Float {
        let motion = settings.motion
        return exercise.map { motion.profile(for: $0).lumbarThresholdDegrees }
            ?? ExerciseProfile.unknownExercise.lumbarThresholdDegrees
    }
}
