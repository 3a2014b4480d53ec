import LumbarCore
import LumbarMotionScoring
import LumbarSim
import Testing

/// The scorer itself (the ruler of issue 12): a perfect analysis, made from the truth, scores perfectly, and
/// each kind of mistake lands in its own row.
struct MotionScoreTests {
    static let session: SimulatedSession = {
        var script = SessionScript.random(.proneLegRaise, seed: 3, sets: 2, repsPerSet: 4, faultProbability: 0.5,
                                          fastRepProbability: 0.3, nuisances: .all)
        script.nuisances.repositionsPerSet = 1
        for i in script.sensors.indices { script.sensors[i].sampleRateHz = 25 }
        return Simulator.run(script)
    }()

    /// The events a perfect analysis would emit: each rep started, alerted at its true 5° crossing in the acted
    /// direction, completed with the true record (`too_fast` on the reps performed fast).
    static func perfectEvents(_ truth: SessionTruth) -> [LumbarEvent] {
        var events: [LumbarEvent] = []
        for r in truth.reps {
            events.append(.repStarted(time: r.startTime, rep: r.rep, set: r.set, leg: r.leg))
            if let c = r.crossing5DegreesTime, let f = r.fault {
                events.append(.lumbarMoved(time: c, rep: r.rep, deviationDegrees: 5, direction: f.kind.expectedDirection(leg: r.leg)))
            }
            var record = r.record()
            record.faults = record.faults.filter { $0 != .tooFast } + (r.performedFast ? [.tooFast] : [])
            events.append(.repCompleted(time: r.endTime, record: record))
        }
        return events
    }

    @Test func aPerfectAnalysisScoresPerfectly() {
        let truth = Self.session.truth
        #expect(truth.reps.contains { $0.performedFast } && truth.reps.contains { !$0.performedFast })
        var score = MotionScore()
        score.add(events: Self.perfectEvents(truth), truth: truth, label: "perfect")
        #expect(score.repPrecision == 1 && score.repRecall == 1 && score.exactSetFraction == 1)
        #expect(score.movedF1 == 1 && score.latencyP95 == 0)
        #expect(score.directionWrong == 0 && score.directionSagittal == 0)
        #expect(score.tooFastPrecision == 1 && score.tooFastRecall == 1)
        #expect(score.movedOutsideReps == 0 && score.alertsOnCleanReps == 0)
        #expect(score.nonRepsCounted.isEmpty && score.nonReps["reposition"] == 2)
    }

    @Test func anAlertDuringAWalkAndARepositioningCountedAsARepAreEachCounted() throws {
        let truth = Self.session.truth
        let walk = try #require(truth.nuisances.first { $0.kind == .walk })
        let reposition = try #require(truth.nuisances.first { $0.kind == .reposition })
        var events = Self.perfectEvents(truth)
        events.append(.lumbarMoved(time: (walk.start + walk.end) / 2, rep: 99, deviationDegrees: 6, direction: .flexion))
        var extra = truth.reps[0].record()
        extra.rep = 100
        extra.startTime = reposition.start
        extra.endTime = reposition.end
        events.append(.repCompleted(time: reposition.end, record: extra))
        var score = MotionScore()
        score.add(events: events, truth: truth, label: "mistakes")
        #expect(score.movedOutsideReps == 1)
        #expect(score.nonRepsCounted == ["reposition": 1])
        #expect(score.repPrecision < 1 && score.repRecall == 1)
    }
}
