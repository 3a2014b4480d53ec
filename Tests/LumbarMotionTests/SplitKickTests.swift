import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A straight-leg kick held at its top, taken as landed there, and its lowering (issue 12).
struct SplitKickTests {
    /// TUNE seed 14 rep 10 (left straight-leg kick, 3.1 s lift, 4.5 s hold): the shank tilted 35° mid-lift and was
    /// level again at the top, the ankle 26 cm up; the landing rule took the top for the floor and the rep ended there.
    /// Its lowering, from that "rest", was counted as a second rep (116.83-118.04 s inside the true 109.16-118.17 s).
    @Test func aKickTakenAsLandedAtItsTopDoesNotCountItsLoweringAsASecondRep() throws {
        let (session, events) = AcceptanceRuleTests.tuneSession(14)
        let truth = try #require(session.truth.reps.first { $0.rep == 10 })
        try #require(truth.exercise == .straightLegKick && truth.holdDuration >= 4)
        let counted = records(events).filter { $0.startTime < truth.endTime && $0.endTime > truth.startTime }
        #expect(counted.count == 1, "\(counted.map { ($0.startTime, $0.endTime) })")
        if let rep = counted.first {
            #expect(abs(rep.startTime - truth.startTime) <= 0.5, "rep starts \(rep.startTime) s, truly \(truth.startTime) s")
        }
        let lowering = events.compactMap { e -> RejectedMovement? in
            if case .repRejected(_, let r) = e, r.startTime > truth.startTime, r.startTime < truth.endTime { return r }
            return nil
        }
        let rejected = try #require(lowering.first, "the lowering says why it was not counted")
        #expect(rejected.reason == .loweredFromTop)
        // The ankle truly went down by the kick's height at the hold, 26 cm.
        #expect(rejected.value > 15 && rejected.value < 40, "\(rejected)")
        #expect(rejected.endTime < truth.endTime + 1.0, "\(rejected)")
    }
}
