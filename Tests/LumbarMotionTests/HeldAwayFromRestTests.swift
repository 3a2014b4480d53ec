import LumbarCore
import LumbarMotionScoring
import LumbarSim
import Testing

/// A leg held still away from rest for longer than `AnkleTrack.parkedDuration` and then moving on: the lowering from a
/// long hold at the top of a rep (counted, decided by the leg coming back to where it started), or leaving a new rest
/// (the reps from there counted), on TUNE sessions (issue 12: holds at the top from none to 10 s are counted).
struct HeldAwayFromRestTests {
    @Test func aStraightLegKickLoweredFromALongHoldWithItsKneeBendingIsOneRep() throws {
        // TUNE seed 47, set 1: straight-leg kicks held 5-6 s at the top. On the way down the knee bends and tilts the
        // shank 8° further from rest than at the hold: the candidate was dropped there as not_returned, the hold taken
        // for a new rest. The leg comes back to where it started: one rep with a long hold.
        try AnkleRiseTests.expectCountedOnce(randomisedSeed: 47, exercise: .straightLegKick, reps: 4) {
            [1, 2, 3, 5].contains($0.rep)
        }
    }

    @Test func aBirdDogHeldTenSecondsAtTheTopIsOneRep() throws {
        // TUNE seed 155 rep 11: a bird dog held 9.7 s, its shank tilted further on the way down (not_returned on main).
        try AnkleRiseTests.expectCountedOnce(randomisedSeed: 155, exercise: .birdDog, reps: 1) { $0.rep == 11 }
    }

    @Test func theHoldOfARepLoweredFromALongHoldIsMeasuredAsTheHoldNotTooFast() throws {
        // TUNE seed 18 reps 24 and 26: straight-leg kicks held 7.5 and 7.8 s, the shank tilting further than at the
        // hold as the knee bends on the way down. The phase levels put the top in the lowering: the holds were
        // measured as 0.1 s and the reps flagged too_fast (a prescribed hold measured under 65 % of it).
        let (session, events) = AcceptanceRuleTests.tuneSession(18)
        let chosen = session.truth.reps.filter { [24, 26].contains($0.rep) }
        try #require(chosen.count == 2 && chosen.allSatisfy { $0.holdDuration > 7 })
        for truth in chosen {
            let overlapping = records(events).filter { $0.startTime < truth.endTime && $0.endTime > truth.startTime }
            try #require(overlapping.count == 1, "true rep \(truth.rep): \(overlapping.count) found")
            let rep = overlapping[0]
            #expect(abs(rep.holdDuration - truth.holdDuration) <= 1.0, "rep \(truth.rep) hold \(rep.holdDuration) s, truly \(truth.holdDuration) s")
            #expect(!rep.faults.contains(.tooFast), "rep \(truth.rep) flagged too_fast")
        }
    }

    @Test func aLegMovedFarToANewRestAndKickedFromThereCountsTheKick() throws {
        // TUNE seeds 132 rep 5 and 151 rep 4 (prone leg raises), 192 rep 11 (straight-leg kick): the leg held 9-11 s
        // 93-142° from where it had rested (moved, or its sensor handled), then a rep from there. A hold that far is
        // no rep's top: the movement from it is the next candidate at once, and the rep is counted. Deciding it
        // where the leg stopped next instead lost these reps.
        try Self.expectCountedOnce(randomisedSeed: 132, rep: 5)
        try Self.expectCountedOnce(randomisedSeed: 151, rep: 4)
        try Self.expectCountedOnce(randomisedSeed: 192, rep: 11)
    }

    /// True rep `rep` of a randomised (TUNE) session is found once, on its leg.
    static func expectCountedOnce(randomisedSeed seed: UInt64, rep: Int) throws {
        let (session, events) = AcceptanceRuleTests.tuneSession(seed)
        let truth = try #require(session.truth.reps.first { $0.rep == rep })
        let overlapping = records(events).filter { $0.startTime < truth.endTime && $0.endTime > truth.startTime }
        #expect(overlapping.count == 1, "seed \(seed) true rep \(rep) \(truth.startTime)-\(truth.endTime) s: \(overlapping.count) found")
        #expect(overlapping.first?.leg == truth.leg)
    }
}
