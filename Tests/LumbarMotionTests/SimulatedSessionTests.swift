import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// The full chain on simulated sessions with exact truth: LumbarSim samples → OrientationFilter per
/// sensor → MotionAnalyzer, scored like `make bench-motion` (which runs more and longer sessions).
/// Debug-build friendly: 100 Hz sensors, two sets of five reps, every exercise, clean and with every nuisance.
struct SimulatedSessionTests {
    /// A short session: 2 sets × 5 reps at 100 Hz (half the seeds with every nuisance).
    static func session(_ exercise: Exercise, seed: UInt64) -> SimulatedSession {
        var script = SessionScript.random(
            exercise, seed: seed, sets: 2, repsPerSet: 5, faultProbability: 0.4,
            nuisances: seed % 2 == 0 ? .all : .none)
        for i in script.sensors.indices { script.sensors[i].sampleRateHz = 100 }
        return Simulator.run(script)
    }

    static let seeds: [UInt64] = [1, 2, 3, 4]

    @Test(arguments: Exercise.allCases)
    func meetsTheTargetsOnSimulatedSessions(exercise: Exercise) {
        var score = MotionScore()
        for seed in Self.seeds {
            let session = Self.session(exercise, seed: seed)
            let (events, analyzer) = SimulatedSessionAnalysis.run(session)
            score.add(
                events: events, truth: session.truth, label: "\(exercise) seed \(seed)",
                recognised: analyzer.exercise, exercise: exercise)
        }
        let report = "\n" + score.table + score.misses.joined(separator: "\n")
        // The classic sessions' margins (issue 12): the analysis was once fitted to these sessions (P/R 1.0); it
        // now holds on real people and randomised sessions, and here loses the odd rep right after a single ankle
        // sensor is moved to the other leg (its first rep there is the move's end) and the prone raises whose
        // pelvic fault cancels the leg's swing (under 2°). Measured: P ≥ 0.974, R ≥ 0.95, sets ≥ 0.87.
        #expect(score.repPrecision >= 0.95, "\(report)")
        #expect(score.repRecall >= 0.93, "\(report)")
        #expect(score.movedF1 >= 0.97, "\(report)")
        #expect(score.latencyMedian <= 0.040, "\(report)")
        #expect(score.latencyP95 <= 0.080, "\(report)")
        #expect(score.lumbarMAE <= 1.0, "\(report)")
        #expect(score.legAccuracy >= 0.99, "\(report)")
        #expect(score.exactSetFraction >= 0.85, "\(report)")
        #expect(score.exerciseRecognised == score.sessions, "\(report)")
        #expect(score.directionAccuracy >= 0.9, "\(report)")
        #expect(score.setNumberAccuracy >= 0.85, "\(report)")
        #expect(score.faultKindAccuracy >= 0.9, "\(report)")  // rising and falling names extension (and flexion)
    }

    @Test func anAnkleSensorMovedToTheOtherLegWithItsAxisTurnedOverGivesTheOtherLeg() throws {
        // The scorer's back kick seed 1 (3 sets x 8, at 100 Hz): after the move, gravity's direction in the
        // sensor changed by only 32° but the extension axis turned over (dot −0.65): another strap, another leg.
        var script = SessionScript.random(.backKick, seed: 1)
        for i in script.sensors.indices { script.sensors[i].sampleRateHz = 100 }
        try Self.expectEveryRepWithItsLegAndSet(Simulator.run(script))
    }

    /// Every true rep is found, with its leg and its set.
    static func expectEveryRepWithItsLegAndSet(_ session: SimulatedSession) throws {
        let found = records(SimulatedSessionAnalysis.events(of: session))
        try #require(found.count == session.truth.reps.count)
        #expect(found.map(\.leg) == session.truth.reps.map(\.leg))
        #expect(found.map(\.set) == session.truth.reps.map(\.set))
    }

    @Test func aSingleAnkleSensorMovedBetweenSetsGivesEachSetItsLeg() throws {
        // Seed 1 of the back kick: the ankle sensor moves to the other leg between the sets.
        let session = Self.session(.backKick, seed: 1)
        try #require(session.truth.nuisances.contains { $0.kind == .sensorMoved })
        try Self.expectEveryRepWithItsLegAndSet(session)
    }

    @Test func theForcedExerciseIsAnnouncedAtCalibration() {
        var settings = MotionAnalyzer.Settings.default
        settings.exercise = .proneLegRaise
        let events = SimulatedSessionAnalysis.events(of: Self.session(.proneLegRaise, seed: 1), settings: settings)
        let calibrated = events.first { $0.type == "calibrated" }
        #expect(calibrated?.jsonLine == #"{"type":"calibrated","t":1.0080,"posture":"prone","exercise":"prone_leg_raise"}"#)
    }
}
