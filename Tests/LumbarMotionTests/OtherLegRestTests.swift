import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// The other leg's excursion during a rep measures how far that leg moved, not how its track's rest changed (issue 12).
struct OtherLegRestTests {
    /// TUNE seeds 130 and 147 (back kicks after standing, both ankles): getting down on all fours turned the left shank
    /// 90° from its standing rest, and its track held that as a candidate until `maximumHoldDuration`, then took its
    /// rest there, in the middle of the right leg's rep 2. The left excursion fell from 90° to 0 with the leg lying
    /// still, and rep 2 was dropped as `both_legs_moved` (90.65° and 89.18°). It is now counted once, on its leg.
    @Test func aRepIsCountedWhenTheOtherLegOnlyTookItsRestAgainDuringIt() throws {
        for seed: UInt64 in [130, 147] {
            let (session, events) = AcceptanceRuleTests.tuneSession(seed)
            let rep2 = try #require(session.truth.reps.first { $0.rep == 2 })
            let counted = records(events)
            guard let found = countedOnce(rep2, in: counted, of: session, "seed \(seed) rep 2") else { continue }
            #expect(found.leg == rep2.leg, "seed \(seed)")
            #expect(abs(found.startTime - rep2.startTime) <= 0.5, "seed \(seed): starts \(found.startTime)")
            #expect(abs(found.endTime - rep2.endTime) <= 1.0, "seed \(seed): ends \(found.endTime)")
            let dropped = rejections(events).filter {
                $0.reason == .bothLegsMoved && $0.startTime < rep2.endTime && $0.endTime > rep2.startTime
            }
            #expect(dropped.isEmpty, "seed \(seed): \(dropped)")
        }
    }
}
