import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A rest taken at a rep's top (a hold), and the phase-shifted chain it starts: each counted rep running from one
/// rep's lowering to the next one's top (issue 12).
struct PhaseShiftedChainTests {
    /// TUNE seed 109 (straight-leg kicks, one ankle sensor): rep 8's slow lift ended at its top, its lowering began a
    /// candidate that never came back to that "rest" and ran into the 24 s limit while rep 9 was lifted. The rest was
    /// then taken at rep 9's top, and every rep of set 2 was counted from its lowering to the next one's top.
    static func tuneSeed109() -> (session: SimulatedSession, events: [LumbarEvent]) {
        AcceptanceRuleTests.tuneSession(109)
    }

    @Test func aSessionWhoseRestWasTakenAtAHeldTopCountsEveryFollowingRepOnce() throws {
        let (session, events) = Self.tuneSeed109()
        let found = records(events)
        let set2 = session.truth.reps.filter { $0.set == 2 }
        try #require(set2.count == 8)
        for truth in set2 {
            let overlapping = found.filter { $0.startTime < truth.endTime && $0.endTime > truth.startTime }
            #expect(overlapping.count == 1, "true rep \(truth.rep) \(truth.startTime)-\(truth.endTime) s: \(overlapping.count) found")
            guard let rep = overlapping.first else { continue }
            #expect(abs(rep.startTime - truth.startTime) <= 0.5, "rep \(rep.rep) starts \(rep.startTime) s, truly \(truth.startTime) s")
            #expect(abs(rep.endTime - truth.endTime) <= 1.0, "rep \(rep.rep) ends \(rep.endTime) s, truly \(truth.endTime) s")
        }
    }

    /// Rep 32 (set 4, 1.95 s lift, 8.25 s hold): the rep ended at its top (307.03-315.06 s) and the rest was taken
    /// there; its lowering, 44 cm down by the trace's true height (13 cm at the hold, -31 cm after), is the candidate
    /// that must not count. (Rep 8, this test's case before, is now counted from its lift to its landing: the stop that
    /// ended its lift undid the update at its shank's mid-lift turn, and the lift held the leg up.)
    @Test func aLegLoweredFromATopTakenForItsRestIsNotCountedAndSaysHowFarTheAnkleWentDown() throws {
        let (session, events) = Self.tuneSeed109()
        let rep32 = try #require(session.truth.reps.first { $0.rep == 32 })
        let top = rep32.startTime + rep32.concentricDuration
        let rejected = rejections(events)
        // Rep 32's lowering: begun after its top, given up by the time the leg is down.
        let lowering = try #require(rejected.first { $0.startTime > top && $0.startTime < rep32.endTime })
        #expect(lowering.reason == .loweredFromTop)
        #expect(lowering.endTime < rep32.endTime + 1.0, "\(lowering)")
        // In centimetres: the ankle truly went down 44 cm.
        #expect(lowering.reason.unit == "cm")
        #expect(lowering.value > 30 && lowering.value < 60, "\(lowering)")
        #expect(lowering.limit == 10)
    }
}
