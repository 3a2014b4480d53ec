import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A straight-leg kick held at its top, taken as landed there, and its lowering (issue 12).
struct SplitKickTests {
    /// TUNE seed 14 rep 10 (left straight-leg kick, 3.1 s lift, 4.5 s hold): the shank tilted 35° mid-lift and stopped
    /// turning for an instant where its tilt turned back, the ankle still rising at 20 cm/s; level again at the top,
    /// 26 cm up. The zero-velocity update at that turn took 14 cm off the rise and the turn counted as a tilted top, so
    /// the landing rule took the level top for the floor: the rep ended at its top (109.54-112.09 s) and its lowering
    /// was a second candidate. The stop at the top undoes that update (the ankle never stopped at the turn): the lift is
    /// one movement from the floor again, and its stop, 20.8 cm up, holds the leg up: one rep, from its lift to its landing.
    @Test func aKickWhoseShankTurnsBackMidLiftIsCountedFromItsLiftToItsLanding() throws {
        let (session, events) = AcceptanceRuleTests.tuneSession(14)
        let truth = try #require(session.truth.reps.first { $0.rep == 10 })
        try #require(truth.exercise == .straightLegKick && truth.holdDuration >= 4)
        let counted = records(events).filter { $0.startTime < truth.endTime && $0.endTime > truth.startTime }
        #expect(counted.count == 1, "\(counted.map { ($0.startTime, $0.endTime) })")
        if let rep = counted.first {
            #expect(abs(rep.startTime - truth.startTime) <= 0.5, "rep starts \(rep.startTime) s, truly \(truth.startTime) s")
            #expect(abs(rep.endTime - truth.endTime) <= 0.5, "rep ends \(rep.endTime) s, truly \(truth.endTime) s")
        }
        let rejected = rejections(events).filter { $0.startTime > truth.startTime && $0.startTime < truth.endTime }
        #expect(rejected.isEmpty, "nothing inside the rep is left over to reject: \(rejected)")
    }
}
