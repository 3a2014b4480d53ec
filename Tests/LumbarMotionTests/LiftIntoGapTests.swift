import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A rep whose lift a gap of the ankle's samples cut into before it began a candidate (issue 12).
struct LiftIntoGapTests {
    /// TUNE seed 129 rep 8 (a back kick, 100 Hz ankle): the leg left its rest 0.3 s before its samples stopped for
    /// 0.8 s, still under the onset level. The gap reset the rest, taken again only with the leg back on the floor,
    /// so the rep's top and lowering were never a candidate and the rep went uncounted. A lift already under way
    /// at a gap now goes on through it like a candidate, and the rep is counted from its lift.
    @Test func aLiftUnderWayWhenTheSamplesStopIsCountedAfterThem() throws {
        for (truth, rep, label) in try repsCountedOnce(seed: 129, [8]) {
            #expect(abs(rep.startTime - truth.startTime) <= 0.5,
                "\(label) starts \(rep.startTime) s, truly \(truth.startTime) s")
        }
    }
}
