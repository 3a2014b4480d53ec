import LumbarCore
import LumbarMotion

extension SessionInput {
    /// The pipeline settings for this input: `exercise` when given, else the recording's
    /// `setting.exercise`; `tempo` (when given) for every exercise, else each profile's default.
    public func pipelineSettings(exercise: Exercise? = nil, tempo: TempoPrescription? = nil) -> SessionPipeline.Settings {
        var s = SessionPipeline.Settings()
        if let exercise {
            s.motion.exercise = exercise
        } else if let word = recordingHeader?.settings["exercise"], let e = Exercise(rawValue: word) {
            s.motion.exercise = e
        }
        tempo?.apply(to: &s.motion)
        return s
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
