import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// The rest of a rep's lowering after the rep ended early, and the rep after it (issue 12).
struct LoweringAfterEarlyEndTests {
    /// TUNE seeds 35 and 82 (back kicks) and 101 (standing kickbacks): the back rose and fell in a long hold at the
    /// top, dipping the leg a quarter of the way down mid-hold, and the rep ended there. The rest of the hold and the
    /// lowering began a candidate whose floor lay 10-18° from its rest; held open, it took the next rep's lift back to
    /// that floor with it and was dropped as `not_returned` after 3 s there, and that rep was never counted (seed 49
    /// rep 15, prone raises, the same). Back at the floor the rep before set off from, that lowering now ends without
    /// counting, the floor is the rest again, and the next rep is counted from its lift.
    @Test func theRestOfALoweringAfterARepEndedEarlyDoesNotSwallowTheNextRep() throws {
        for (seed, repNumbers) in [(UInt64(35), [22]), (82, [22]), (101, [3]), (49, [15])] {
            for (truth, rep, label) in try repsCountedOnce(seed: seed, repNumbers) {
                #expect(abs(rep.startTime - truth.startTime) <= 1.0,
                    "\(label) starts \(rep.startTime) s, truly \(truth.startTime) s")
            }
        }
    }
}
