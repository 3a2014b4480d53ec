import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// The ankle sensor stops delivering in the middle of a rep (unplugged, radio gap): the open rep is abandoned
/// when more of it went unseen than was seen, for longer than a glance away (not counted: it was not seen), kept and
/// judged on what came after otherwise, and the following reps are counted as usual.
struct AnkleDropoutTests {
    /// One set of 8 clean right-leg back kicks at 100 Hz; the ankle delivers nothing from `from` (a fraction of
    /// rep 4's duration after its start) for `seconds`.
    static func session(from fraction: Double, seconds: Double) -> (SimulatedSession, RepTruth) {
        var script = SessionScript(
            exercise: .backKick, seed: 404, sets: [SetScript(reps: (1...8).map { _ in RepScript(leg: .right) })],
            sensors: SessionScript.standardSensors(ankle: .rightAnkle))
        for i in script.sensors.indices { script.sensors[i].sampleRateHz = 100 }
        let rep4 = Simulator.run(script).truth.reps[3]
        let start = rep4.startTime + fraction * (rep4.endTime - rep4.startTime)
        script.sensors[1].dropouts = [SimulatedInterval(start: start, end: start + seconds)]
        return (Simulator.run(script), rep4)
    }

    @Test(arguments: [(0.3, 4.0), (0.5, 1.5)])
    func aRepWhoseAnkleStopsIsAbandonedAndTheNextRepsAreCounted(fraction: Double, seconds: Double) throws {
        let (session, rep4) = Self.session(from: fraction, seconds: seconds)
        let events = SimulatedSessionAnalysis.events(of: session)
        let recs = records(events)
        // Every true rep that ended before the gap or started after the ankle came back (and had settled).
        let gapEnd = rep4.startTime + fraction * (rep4.endTime - rep4.startTime) + seconds
        let expected = session.truth.reps.filter { $0.endTime < rep4.startTime || $0.startTime > gapEnd + 0.3 }
        let report = recs.map { "\($0.rep) \($0.startTime)-\($0.endTime)" }.joined(separator: ", ")
        try #require(recs.count == expected.count, "\(report)")
        for (r, t) in zip(recs, expected) {
            #expect(abs(r.startTime - t.startTime) < 0.25 && abs(r.endTime - t.endTime) < 0.4, "\(report)")
        }
        #expect(recs.map(\.rep) == Array(1...expected.count))
        #expect(!recs.contains { $0.startTime < rep4.endTime && $0.endTime > rep4.startTime }, "rep 4 not counted")
        // Every rep_started is followed by its rep_completed, but the abandoned one, whose number is used again.
        let started = events.compactMap { e -> Int? in if case .repStarted(_, let n, _, _) = e { n } else { nil } }
        #expect(started == [1, 2, 3, 4] + Array(4...expected.count))
        let lost = rejections(events).filter { $0.reason == .ankleLost }
        #expect(lost.count == 1 && lost.allSatisfy { $0.value > $0.limit }, "\(lost)")
    }

    /// The same short gaps with the ankle's line hung up (unplugged and plugged in again, the daemon's
    /// `sensor_lost unplugged`): the rep was not seen to its end and the sensor may be back on the leg another way,
    /// so it is abandoned (`ankle_lost` after `ankleGapDuration` of silence), and every rep after the replug is
    /// counted from a rest taken again. (A candidate kept through an unplug swallowed the next set as one
    /// `not_returned` movement in the project's CI, SensorFamilyEndToEndTests.)
    @Test(arguments: [(0.5, 0.6), (0.6, 0.9)])
    func aRepWhoseAnkleIsUnpluggedIsAbandonedHoweverShortTheGap(fraction: Double, seconds: Double) throws {
        let (session, rep4) = Self.session(from: fraction, seconds: seconds)
        let gapStart = rep4.startTime + fraction * (rep4.endTime - rep4.startTime)
        let ankle = try #require(session.sensors.firstIndex { $0.site == .rightAnkle })
        let events = SimulatedSessionAnalysis.run(session, unplugged: [(ankle, gapStart)]).events
        let recs = records(events)
        let expected = session.truth.reps.filter { $0.endTime < rep4.startTime || $0.startTime > gapStart + seconds + 0.3 }
        let report = recs.map { "\($0.rep) \($0.startTime)-\($0.endTime)" }.joined(separator: ", ")
        try #require(recs.count == expected.count && expected.count == 7, "\(report)")
        #expect(!recs.contains { $0.startTime < rep4.endTime && $0.endTime > rep4.startTime }, "rep 4 not counted")
        let lost = rejections(events).filter { $0.reason == .ankleLost }
        #expect(lost.count == 1 && lost.allSatisfy { $0.limit == Float(MotionAnalyzer.Settings.default.ankleGapDuration) }, "\(lost)")
    }

    /// A radio burst of 0.6-0.9 s in a rep seen for longer than that (issue 12: a 1 s gap in a 3 s rep is not a
    /// reason to drop it): the rep goes on through it and is counted, the set keeps its 8 reps. Also when the gap
    /// comes before as much of the rep was seen (0.3 of it, then 0.8 s unseen): what is seen after it counts too.
    @Test(arguments: [(0.5, 0.6), (0.6, 0.9), (0.3, 0.8)])
    func aRepSeenLongerThanItsAnkleWasSilentIsCounted(fraction: Double, seconds: Double) throws {
        let (session, rep4) = Self.session(from: fraction, seconds: seconds)
        try #require(rep4.endTime - rep4.startTime - seconds > seconds, "rep 4 seen longer than the gap")
        let events = SimulatedSessionAnalysis.events(of: session)
        let recs = records(events)
        let report = recs.map { "\($0.rep) \($0.startTime)-\($0.endTime)" }.joined(separator: ", ")
        try #require(recs.count == 8, "\(report)")
        let counted = try #require(recs.first { $0.startTime < rep4.endTime && $0.endTime > rep4.startTime })
        #expect(abs(counted.startTime - rep4.startTime) < 0.25 && abs(counted.endTime - rep4.endTime) < 0.4, "\(report)")
        #expect(!events.contains { e in if case .repRejected(_, let r) = e { r.reason == .ankleLost } else { false } })
    }

    /// TUNE seed 150 (slow back kicks, one ankle sensor, 3 lost bursts): rep 5's ankle went silent 0.9 s a quarter of a
    /// second into a 7 s rep. Judged at the gap (more unseen than seen so far) it was dropped as `ankle_lost`, and the
    /// pause around it split set 1. Judged at its end, 6 s of it were seen: it is counted once, in set 1.
    @Test func aRepWhoseAnkleWentSilentEarlyIsCountedWhenSeenLongerThanItWasSilent() throws {
        let (session, events) = AcceptanceRuleTests.tuneSession(150)
        let rep5 = try #require(session.truth.reps.first { $0.rep == 5 })
        let counted = records(events)
        let found = try #require(countedOnce(rep5, in: counted, of: session, "seed 150 rep 5"))
        #expect(abs(found.startTime - rep5.startTime) <= 0.5, "starts \(found.startTime) s, truly \(rep5.startTime) s")
        #expect(abs(found.endTime - rep5.endTime) <= 1.0, "ends \(found.endTime) s, truly \(rep5.endTime) s")
        let rep4 = try #require(counted.first { $0.startTime < rep5.startTime && $0.set == found.set })
        #expect(rep4.leg == found.leg)
        #expect(!rejections(events).contains {
            $0.reason == .ankleLost && $0.endTime > rep5.startTime && $0.startTime < rep5.endTime
        })
    }

    /// Fast reps whose ankle went silent for most of them in a radio burst of about a second (TUNE seeds 29 rep 10: a
    /// 1.4 s prone raise, 1.09 s silent; 121 rep 2: a 1.1 s back kick, 0.61 s; 180 rep 20: a 1.7 s straight-leg kick,
    /// 1.22 s): a physiotherapist who looked away that long still saw the leg set off and land, so each is counted
    /// once, where it was, and none is dropped as `ankle_lost` (they were, for more unseen than seen). A longer
    /// silence over most of a rep still drops it (`aRepWhoseAnkleStopsIsAbandonedAndTheNextRepsAreCounted`, 1.5 s).
    @Test func aFastRepMostlyLostInABurstOfAboutASecondIsCounted() throws {
        for (seed, repNumber) in [(UInt64(29), 10), (121, 2), (180, 20)] {
            for (truth, rep, label) in try repsCountedOnce(seed: seed, [repNumber]) {
                #expect(abs(rep.startTime - truth.startTime) <= 0.5, "\(label) starts \(rep.startTime) s")
                #expect(abs(rep.endTime - truth.endTime) <= 0.5, "\(label) ends \(rep.endTime) s")
            }
            let (session, events) = AcceptanceRuleTests.tuneSession(seed)
            let truth = try #require(session.truth.reps.first { $0.rep == repNumber })
            let lost = rejections(events).filter {
                $0.reason == .ankleLost && $0.startTime < truth.endTime && $0.endTime > truth.startTime
            }
            #expect(lost.isEmpty, "seed \(seed) rep \(repNumber): \(lost)")
        }
    }
}
