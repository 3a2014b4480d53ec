import LumbarCore
import LumbarMotion
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

    /// The randomised sessions tell the analysis each set's prescription, as a coach's programme would; a set
    /// done fast against the exercise's usual tempo prescribes none (the profile's applies).
    @Test func theRandomisedSessionsTellTheAnalysisEachSetsPrescribedTempo() {
        var prescribed = 0
        var unprescribed = 0
        for seed in UInt64(0)..<8 {
            let script = SessionScript.randomised(seed: seed).script
            let settings = SimulatedSessionAnalysis.settings(prescribedBy: script)
            #expect(settings.setTempos.count == script.sets.count)
            for (i, set) in script.sets.enumerated() {
                let fast = set.reps.allSatisfy(\.performedFast)
                if let t = settings.prescribedTempo(set: i + 1) {
                    prescribed += 1
                    #expect(!fast && t.concentric >= 1 && t.concentric <= 4, "seed \(seed) set \(i + 1)")
                } else {
                    unprescribed += 1
                    #expect(fast, "seed \(seed) set \(i + 1)")
                }
            }
        }
        #expect(prescribed > 0 && unprescribed > 0)
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
        // The true records' tempo consistency is the truth's.
        #expect(score.tempoVariations.count == 2)
        #expect(score.tempoVariations.allSatisfy { abs($0.measuredPercent - $0.truePercent) < 1e-9 })
    }

    /// Set-number errors are counted where the numbering goes wrong, by cause, not on every rep after it: a break
    /// inside set 1 after its second rep is one `extra break in a set after a pause` (the reps after it numbered
    /// one set on are its consequence); a session numbered one set on from its first rep is one `first set
    /// numbered off`; set 2 numbered as set 1 is one `missed break between sets`. The pauses between counted reps
    /// are sorted by what truly lies between them.
    @Test func setNumberErrorsAreCountedWhereTheNumberingGoesWrongByCause() throws {
        let truth = Self.session.truth
        func renumbered(_ set: @escaping (RepRecord) -> Int) -> [LumbarEvent] {
            Self.perfectEvents(truth).map { e -> LumbarEvent in
                guard case .repCompleted(let t, var record) = e else { return e }
                record.set = set(record)
                return .repCompleted(time: t, record: record)
            }
        }
        var perfect = MotionScore()
        perfect.add(events: Self.perfectEvents(truth), truth: truth, label: "perfect")
        #expect(perfect.setErrorCauses.isEmpty && perfect.setNumberAccuracy == 1)
        #expect(perfect.setPauses["within a set"]?.count == 6 && perfect.setPauses["between sets"]?.count == 1)

        var extra = MotionScore()
        extra.add(events: renumbered { $0.rep <= 2 ? $0.set : $0.set + 1 }, truth: truth, label: "extra")
        #expect(extra.setErrorCauses == ["extra break in a set after a pause": 1], "\(extra.setErrorCauses)")
        #expect(extra.setNumberAccuracy == 0.25)

        var offset = MotionScore()
        offset.add(events: renumbered { $0.set + 1 }, truth: truth, label: "offset")
        #expect(offset.setErrorCauses == ["first set numbered off": 1], "\(offset.setErrorCauses)")

        var missed = MotionScore()
        missed.add(events: renumbered { _ in 1 }, truth: truth, label: "missed")
        #expect(missed.setErrorCauses == ["missed break between sets": 1], "\(missed.setErrorCauses)")
        #expect(missed.setNumberAccuracy == 0.5)
    }

    /// `too_fast` on reps not performed fast is broken down by the check that fired: a measured lift under 0.65 s
    /// (`lift`) or not (`hold`: a prescribed hold rushed).
    @Test func tooFastOnARepNotPerformedFastNamesTheCheckThatFired() throws {
        let truth = Self.session.truth
        let slow = truth.reps.filter { !$0.performedFast }.map(\.rep)
        try #require(slow.count >= 2)
        let events = Self.perfectEvents(truth).map { e -> LumbarEvent in
            guard case .repCompleted(let t, var record) = e, record.rep == slow[0] || record.rep == slow[1] else { return e }
            record.faults.append(.tooFast)
            record.concentricDuration = record.rep == slow[0] ? 0.5 : 1.5
            return .repCompleted(time: t, record: record)
        }
        var score = MotionScore()
        score.add(events: events, truth: truth, label: "flagged")
        #expect(score.tooFastFalsePositive == 2)
        #expect(score.tooFastFalseByCheck == ["lift": 1, "hold": 1], "\(score.tooFastFalseByCheck)")
        #expect(score.figures[ScoreTable.tooFastCounts]?.hasSuffix("(hold 1, lift 1)") == true)
    }

    /// The phase duration row: each matched rep's measured lift, hold and lower against the true ones (a perfect
    /// analysis errs by nothing; a lift dated 1 s short, its hold 1 s long, shows as such on that rep).
    @Test func aLiftDatedShortAndItsHoldLongShowInThePhaseDurationErrors() throws {
        let truth = Self.session.truth
        var perfect = MotionScore()
        perfect.add(events: Self.perfectEvents(truth), truth: truth, label: "perfect")
        #expect(perfect.phaseErrors.count == truth.reps.count)
        #expect(perfect.phaseErrors.allSatisfy { abs($0.lift) < 1e-9 && abs($0.hold) < 1e-9 && abs($0.lower) < 1e-9 })
        let first = try #require(truth.reps.first).rep
        let shifted = Self.perfectEvents(truth).map { e -> LumbarEvent in
            guard case .repCompleted(let t, var record) = e, record.rep == first else { return e }
            record.concentricDuration -= 1
            record.holdDuration += 1
            return .repCompleted(time: t, record: record)
        }
        var score = MotionScore()
        score.add(events: shifted, truth: truth, label: "shifted")
        let errors = score.phaseErrors.filter { abs($0.lift) > 1e-9 || abs($0.hold) > 1e-9 }
        try #require(errors.count == 1)
        #expect(abs(errors[0].lift + 1) < 1e-9 && abs(errors[0].hold - 1) < 1e-9 && abs(errors[0].lower) < 1e-9)
        #expect(score.figures[ScoreTable.phaseErrors]?.hasPrefix("lift 0.00/") == true, "\(score.figures[ScoreTable.phaseErrors] ?? "-")")
    }

    /// The tempo consistency row compares each set's measured variation of rep durations with the true one.
    @Test func aSetTimedUnevenlyShowsInTheTempoConsistencyError() throws {
        let truth = Self.session.truth
        let stretched = Self.perfectEvents(truth).map { e -> LumbarEvent in
            guard case .repCompleted(let t, var record) = e, record.set == 1, record.rep % 2 == 0 else { return e }
            record.endTime += 2
            return .repCompleted(time: t, record: record)
        }
        var score = MotionScore()
        score.add(events: stretched, truth: truth, label: "uneven")
        let first = try #require(score.tempoVariations.first)
        #expect(first.measuredPercent > first.truePercent + 10)
        #expect(abs(score.tempoVariations[1].measuredPercent - score.tempoVariations[1].truePercent) < 1e-9)
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

    /// An alert said early for a candidate later dropped is heard with no rep to go with it, even inside a true
    /// rep's time: it is counted as said for a candidate not counted (a perfect analysis has none).
    @Test func anAlertOfACandidateNotCountedIsCountedEvenInsideATrueRep() throws {
        let truth = Self.session.truth
        var perfect = MotionScore()
        perfect.add(events: Self.perfectEvents(truth), truth: truth, label: "perfect")
        #expect(perfect.movedUncounted == 0)
        let dropped = try #require(truth.reps.first { $0.crossing5DegreesTime != nil })
        var events = Self.perfectEvents(truth).filter { e in
            if case .repCompleted(_, let r) = e { return r.rep != dropped.rep }
            return true
        }
        events.append(.repRejected(
            time: dropped.endTime,
            rejection: RejectedMovement(
                leg: dropped.leg, startTime: dropped.startTime, endTime: dropped.endTime, reason: .notReturned,
                value: 20, limit: 10)))
        var score = MotionScore()
        score.add(events: events, truth: truth, label: "dropped")
        #expect(score.movedUncounted == 1)
        #expect(score.movedOutsideReps == 0)
    }
}

/// Why each true rep was missed (the bench's "missed reps by cause" row).
struct MissCauseTests {
    @Test func aMissedRepIsNamedAfterWhatHappenedOverIt() throws {
        let truth = MotionScoreTests.session.truth
        try #require(truth.reps.count >= 4)
        var events = MotionScoreTests.perfectEvents(truth)
        // Rep 1 found starting late (IoU < 0.5), rep 2 rejected, rep 3 not seen at all, rep 4 split in two (IoU 0.4 each).
        let (r1, r2, r3, r4) = (truth.reps[0], truth.reps[1], truth.reps[2], truth.reps[3])
        events.removeAll { e in
            guard case .repCompleted(_, let record) = e else { return false }
            return [r1.rep, r2.rep, r3.rep, r4.rep].contains(record.rep)
        }
        var late = r1.record()
        late.startTime = r1.endTime - 0.3 * (r1.endTime - r1.startTime)
        events.append(.repCompleted(time: r1.endTime, record: late))
        events.append(.repRejected(time: r2.endTime, rejection: RejectedMovement(
            leg: r2.leg, startTime: r2.startTime, endTime: r2.endTime, reason: .notReturned, value: 3, limit: 3)))
        let duration = r4.endTime - r4.startTime
        var first = r4.record()
        first.endTime = r4.startTime + 0.4 * duration
        var second = r4.record()
        second.rep = 200
        second.startTime = r4.startTime + 0.6 * duration
        events.append(.repCompleted(time: first.endTime, record: first))
        events.append(.repCompleted(time: r4.endTime, record: second))
        var score = MotionScore()
        score.add(events: events, truth: truth, label: "causes")
        #expect(score.missCauses == ["start late": 1, "rejected not_returned": 1, "no candidate": 1, "split": 1])
        #expect(score.extraCauses == ["on a true rep": 3])
    }
}
