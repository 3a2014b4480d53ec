import LumbarCore

/// How the body model acts out one exercise: start posture, the moving leg's hip and knee angles at the
/// start and top of a rep, and the default tempo.
///
/// Joint angles follow the body model's conventions (see `BodyModel`): hip angle = rotation of the thigh
/// about the pelvis's medio-lateral axis from the anatomical neutral, positive = extension; knee angle =
/// flexion, positive. On all fours the hip is at −90° (thigh vertical) and the knee at +90° (shank on the floor).
struct ExerciseKinematics: Sendable {
    var posture: Posture
    /// Hip angle at the start of a rep relative to the start posture's own, degrees (0: the posture's).
    var hipStartDegrees: Double
    /// Range of the rep's hip excursion, degrees (drawn per rep).
    var hipROMDegrees: ClosedRange<Double>
    /// Knee flexion at the start and at the top of a rep, degrees.
    var kneeStartDegrees: Double
    var kneeTopDegrees: Double
    /// Fraction of the concentric phase by which the knee's extension lags the hip (the foot rises first),
    /// and by which it leads on the way down.
    var kneeLag: Double
    var tempo: RepTempo
    /// Expected range of the ankle segment's peak rotation from the rep start, degrees (DOMAIN.md).
    var legROMDegrees: ClosedRange<Double>

    static func of(_ exercise: Exercise) -> ExerciseKinematics {
        switch exercise {
        case .backKick:
            ExerciseKinematics(
                posture: .quadruped, hipStartDegrees: 0, hipROMDegrees: 65...95, kneeStartDegrees: 90,
                kneeTopDegrees: 90, kneeLag: 0,
                tempo: RepTempo(concentric: 1.0, hold: 0.4, eccentric: 1.2, restAfter: 1.2),
                legROMDegrees: 60...100)
        case .straightLegKick:
            ExerciseKinematics(
                posture: .quadruped, hipStartDegrees: 0, hipROMDegrees: 85...100, kneeStartDegrees: 90,
                kneeTopDegrees: 0, kneeLag: 0.35,
                tempo: RepTempo(concentric: 1.2, hold: 0.3, eccentric: 1.4, restAfter: 1.2),
                legROMDegrees: 20...70)
        case .birdDog:
            ExerciseKinematics(
                posture: .quadruped, hipStartDegrees: 0, hipROMDegrees: 85...95, kneeStartDegrees: 90,
                kneeTopDegrees: 0, kneeLag: 0.35,
                tempo: RepTempo(concentric: 1.6, hold: 1.5, eccentric: 1.6, restAfter: 1.5),
                legROMDegrees: 20...70)
        case .proneLegRaise:
            ExerciseKinematics(
                posture: .prone, hipStartDegrees: 0, hipROMDegrees: 12...23, kneeStartDegrees: 0,
                kneeTopDegrees: 0, kneeLag: 0,
                tempo: RepTempo(concentric: 1.0, hold: 0.5, eccentric: 1.2, restAfter: 1.2),
                legROMDegrees: 10...25)
        case .standingKickback:
            ExerciseKinematics(
                posture: .standing, hipStartDegrees: 0, hipROMDegrees: 22...33, kneeStartDegrees: 0,
                kneeTopDegrees: 0, kneeLag: 0,
                tempo: RepTempo(concentric: 1.0, hold: 0.4, eccentric: 1.2, restAfter: 1.2),
                legROMDegrees: 20...35)
        }
    }
}

extension Exercise {
    /// The simulator's default tempo for this exercise.
    public var simulatedTempo: RepTempo { ExerciseKinematics.of(self).tempo }
    /// The knee flexion of the simulator's start posture, degrees (on all fours 90, lying and standing 0).
    public var simulatedKneeStartDegrees: Double { ExerciseKinematics.of(self).kneeStartDegrees }
    /// The range the simulator's true leg ROM (peak ankle-segment rotation from rep start) falls in, degrees.
    public var simulatedLegROMDegrees: ClosedRange<Double> { ExerciseKinematics.of(self).legROMDegrees }
}
