import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// The ankle's rise (the excursion of the straight-leg kick and the bird dog, whose shank ends as level as it
/// started) and the holds at the top of a rep, on simulated sessions (issue 12).
struct AnkleRiseTests {
    /// One set of `reps` reps of `exercise` with the given tempo, one leg, both ankles strapped, 100 Hz.
    static func session(_ exercise: Exercise, tempo: RepTempo, reps: Int = 5, seed: UInt64 = 3) -> SimulatedSession {
        var script = SessionScript.random(exercise, seed: seed, sets: 1, repsPerSet: reps, faultProbability: 0)
        let leg = script.sets[0].reps[0].leg
        script.sets = [SetScript(reps: Array(repeating: RepScript(leg: leg, tempo: tempo), count: reps))]
        for i in script.sensors.indices { script.sensors[i].sampleRateHz = 100 }
        return Simulator.run(script)
    }

    @Test func aStraightLegKickHeldLevelAtTheTopForSevenSecondsIsCounted() throws {
        // The kick's shank swings 45° on the way up (knee bending, then straightening) and is held as level as at
        // rest, the ankle 40–70 cm up: a hold of more than 3 s is the top of the rep, not a new rest.
        let tempo = RepTempo(concentric: 1.2, hold: 7, eccentric: 2, restAfter: 3)
        let session = Self.session(.straightLegKick, tempo: tempo)
        try SimulatedSessionTests.expectEveryRepWithItsLegAndSet(session)
    }

    @Test func aSlowStraightLegKickLoweredOverThreeSecondsIsCountedWhereTheShankLandsLevel() throws {
        // Lowered slowly, the ankle's double-integrated rise drifts by tens of centimetres: it said the leg was still
        // up after it had landed, and the rep was dropped as not_returned (TUNE: 35 kicks). Landed with the shank's
        // inclination back at rest after its second swing, the rise is zero.
        let tempo = RepTempo(concentric: 2.5, hold: 6, eccentric: 3, restAfter: 3)
        let session = Self.session(.straightLegKick, tempo: tempo)
        let events = SimulatedSessionAnalysis.events(of: session)
        let notReturned = events.filter { e in
            if case .repRejected(_, let r) = e { return r.reason == .notReturned }
            return false
        }
        #expect(notReturned.isEmpty, "\(notReturned.map(\.jsonLine))")
        try SimulatedSessionTests.expectEveryRepWithItsLegAndSet(session)
        // Every rep but the first ends where the leg landed (the first, its rise integrated low at the top, ends there).
        let found = records(events)
        for (r, truth) in zip(found, session.truth.reps).dropFirst() {
            #expect(abs(r.endTime - truth.endTime) <= 0.5, "rep \(r.rep) ends \(r.endTime) s, truly \(truth.endTime) s")
        }
    }

    @Test func aBirdDogLoweredWhileItsShankStopsTurningIsCountedWhereItLands() throws {
        // TUNE seed 43, set 2: bird dogs held 6–8 s and lowered over 3–4 s. Where the shank's tilt turns back on the
        // way down it stops turning for ~0.6 s while the ankle goes on down at ~25 cm/s; a zero-velocity update there
        // put the rest of the descent upward, the leg landed with its rise still ~50 cm "up", and 6 of the set's 9
        // reps were dropped as not_returned. A stop at cruising speed counts only after a second, dated back.
        try Self.expectCountedOnce(randomisedSeed: 43, exercise: .birdDog, reps: 9) { $0.set == 2 }
    }

    @Test func aSlowStraightLegKickWhoseShankStopsTurningOnTheWayUpIsCountedOnce() throws {
        // TUNE seed 14, reps 8 and 9: straight-leg kicks lifted over ~3 s. Half-way up the knee has straightened and
        // the shank's tilt turns back while the hip goes on extending: the shank stops turning for ~0.1 s with the
        // ankle rising at 20–25 cm/s. The zero-velocity update there took that speed for drift, the rest of the lift
        // integrated downward and the rep ended at its top, the descent counted as a second rep. The next stop shows
        // the ankle never stopped there (velocity 10 cm/s left without the update, 16 with it): the update is undone.
        try Self.expectCountedOnce(randomisedSeed: 14, exercise: .straightLegKick, reps: 2) { $0.rep == 8 || $0.rep == 9 }
    }

    @Test func aSlowStraightLegKickHeldWithItsShankLevelAtTheTopIsNotEndedThere() throws {
        // TUNE seed 142, reps 2 and 4: straight-leg kicks lifted over ~2.5 s, held ~1.2 s with the shank back level (2°)
        // and the ankle up by ~29 cm after one movement from the floor (drift removed at the stop). Below a fraction of
        // the excursion peak (the mid-lift tilt, the raw rise), the rep ended at its top and its lowering was a second
        // rep. A stop the ankle reached in one movement from rest, still above the rise's dead band and at least half
        // as high as the movement took it, is the top: the rep goes on.
        try Self.expectCountedOnce(randomisedSeed: 142, exercise: .straightLegKick, reps: 2) { $0.rep == 2 || $0.rep == 4 }
    }

    @Test func aSlowBirdDogHeldWithItsShankLevelAtTheTopIsNotEndedThere() throws {
        // TUNE seed 37, reps 17 and 19: bird dogs lifted over ~1.6 s (the shank tilting ~40° mid-lift) and held ~4.5 s
        // with the shank level and the ankle ~20 cm up: each ended at its top and its lowering counted apart.
        try Self.expectCountedOnce(randomisedSeed: 37, exercise: .birdDog, reps: 2) { $0.rep == 17 || $0.rep == 19 }
    }

    @Test func aSlowSmallKickbackEndsWhereTheLegCameBackNotAtItsTop() throws {
        // TUNE seed 58, set 1: standing kickbacks of 14° over 3 s up, ~1 s held, 3 s down. The shank turns slower than
        // 8°/s from the top on, so the rep was dated to end where it last turned faster (its top): 0.6–0.9 s reps,
        // missed as ending early. It ends after the leg came most of the way back.
        let (script, session, events, _) = AlertLatencyTests.heardEvents(seed: 58)
        let found = records(events)
        let slow = session.truth.reps.filter { $0.set == 1 && $0.concentricDuration > 2 }
        try #require(slow.count == 8 && script.exercise == .standingKickback)
        for truth in slow {
            let overlapping = found.filter { $0.startTime < truth.endTime && $0.endTime > truth.startTime }
            #expect(overlapping.count == 1, "true rep \(truth.rep) \(truth.startTime)-\(truth.endTime) s: \(overlapping.count) found")
            let top = truth.startTime + truth.concentricDuration + truth.holdDuration
            for rep in overlapping {
                #expect(rep.endTime > top, "rep \(rep.rep) ends \(rep.endTime) s, the leg left the top at \(top) s")
            }
        }
    }

    @Test func aBirdDogWhoseShankPausedMidLiftBeforeItsTiltedTopEndsWhereItLands() throws {
        // TUNE seed 170, reps 8-13: bird dogs lifted over ~3.5 s. A third of the way up the shank stops turning where
        // its tilt turns back (10-13 deg of a 30-50 deg peak tilt); that first stop was taken for the top, not tilted
        // enough to be a tilted top, so the landing never zeroed the drifting rise: the candidates ran into the 24 s
        // limit (not_returned) and took the next reps with them (both_legs_moved). Any stop at the top with the shank
        // tilted at least half its peak makes the top a tilted one.
        try Self.expectCountedOnce(randomisedSeed: 170, exercise: .birdDog, reps: 6) { (8...13).contains($0.rep) }
    }

    @Test func aLegLoweredSlowerThanTheStillnessThresholdEndsWhereItLands() throws {
        // TUNE seed 59 rep 9 (a straight-leg kick, 10.6 deg of shank tilt undone over ~2.5 s) and seed 95 reps 10-11
        // (bird dogs held ~8 s): lowered under the gyroscope's stillness threshold (seed 59: 3-5 deg/s), the leg opened
        // no moving stretch; the rise of the stop reached in one movement from the floor kept it "held up" after it had
        // landed with the shank level, and the candidate ran 24 s (not_returned), taking the next rep with it.
        for (seed, chosen) in [(UInt64(59), [9]), (95, [10, 11])] {
            let (session, events) = AcceptanceRuleTests.tuneSession(seed)
            for rep in chosen {
                let truth = try #require(session.truth.reps.first { $0.rep == rep })
                let overlapping = records(events).filter { $0.startTime < truth.endTime && $0.endTime > truth.startTime }
                #expect(overlapping.count == 1, "seed \(seed) true rep \(rep): \(overlapping.count) found")
                let notReturned = AcceptanceRuleTests.notReturned(over: truth, in: events)
                #expect(notReturned.isEmpty, "seed \(seed) rep \(rep): \(notReturned)")
            }
        }
    }

    /// The true reps `selected` of a randomised (TUNE) session are each found once, on their leg, starting within 0.5 s
    /// and ending within 1 s of the truth.
    static func expectCountedOnce(
        randomisedSeed seed: UInt64, exercise: Exercise, reps: Int, selected: (RepTruth) -> Bool
    ) throws {
        let (script, session, events, _) = AlertLatencyTests.heardEvents(seed: seed)
        let found = records(events)
        let chosen = session.truth.reps.filter(selected)
        try #require(chosen.count == reps && script.exercise == exercise)
        for truth in chosen {
            let overlapping = found.filter { $0.startTime < truth.endTime && $0.endTime > truth.startTime }
            #expect(overlapping.count == 1, "true rep \(truth.rep) \(truth.startTime)-\(truth.endTime) s: \(overlapping.count) found")
            guard let rep = overlapping.first else { continue }
            #expect(rep.leg == truth.leg)
            #expect(abs(rep.startTime - truth.startTime) <= 0.5, "rep \(rep.rep) starts \(rep.startTime) s, truly \(truth.startTime) s")
            #expect(abs(rep.endTime - truth.endTime) <= 1.0, "rep \(rep.rep) ends \(rep.endTime) s, truly \(truth.endTime) s")
        }
    }

    @Test func aKickHeldStillAtTheTopIsTimedAsHeldWhereverItsRiseDriftedAndIsNotTooFast() throws {
        // TUNE seeds 7, 12 and 15: straight-leg kicks and a bird dog held 2.7-7.3 s at the top. The ankle's rise,
        // integrated while moving, drifted tens of centimetres above where the stop at the top put it (seed 7: 75 cm
        // integrated, 43 cm at the stop) or on the way down (seeds 12, 15: 85-96 cm on landing). Measured against
        // that peak, the hold was not "at the top", or the 90 % level was reached only in the lowering where the shank
        // turns back as the knee bends: holds measured 0.03-0.21 s, lifts 1.7-10 s, and too_fast said. The hold is
        // now the longest stop the leg set off from at the top.
        for (seed, rep) in [(UInt64(7), 13), (12, 1), (15, 5)] {
            let (_, session, events, _) = AlertLatencyTests.heardEvents(seed: seed)
            let truth = try #require(session.truth.reps.first { $0.rep == rep })
            let found = try #require(
                records(events).first { abs($0.startTime - truth.startTime) < 1 && abs($0.endTime - truth.endTime) < 1 },
                "seed \(seed) rep \(rep) counted")
            #expect(abs(found.holdDuration - truth.holdDuration) <= 0.7,
                "seed \(seed) rep \(rep): hold \(found.holdDuration) s, truly \(truth.holdDuration) s")
            #expect(abs(found.concentricDuration - truth.concentricDuration) <= 0.7,
                "seed \(seed) rep \(rep): lift \(found.concentricDuration) s, truly \(truth.concentricDuration) s")
            #expect(!found.faults.contains(.tooFast), "seed \(seed) rep \(rep): \(found.faults)")
        }
    }

    @Test func aBirdDogHeldForTenSecondsIsCounted() throws {
        let tempo = RepTempo(concentric: 1.5, hold: 10, eccentric: 2, restAfter: 3)
        let session = Self.session(.birdDog, tempo: tempo, reps: 4)
        try SimulatedSessionTests.expectEveryRepWithItsLegAndSet(session)
    }
}

/// A `rep_rejected` says its value in the reason's unit (FORMATS.md §4).
struct RejectionUnitTests {
    @Test func aLegThatMovedOnFromAHoldIsNotReturnedAfterTheHoldsSeconds() throws {
        // TUNE seed 1 (straight-leg kicks with 6–10 s holds, one ankle sensor moved between sets): legs held away
        // from rest and then moved on were reported as not_returned with degrees (35.45 "s", limit 8).
        let session = Simulator.run(SessionScript.randomised(seed: 1).script)
        let rejected = rejections(SimulatedSessionAnalysis.events(of: session))
        let notReturned = rejected.filter { $0.reason == .notReturned }
        try #require(!notReturned.isEmpty)
        for r in notReturned {
            // A time: no longer than the movement itself, and at least its limit.
            #expect(Double(r.value) <= r.endTime - r.startTime + 0.01, "\(r)")
            #expect(r.value >= r.limit, "\(r)")
        }
    }
}
