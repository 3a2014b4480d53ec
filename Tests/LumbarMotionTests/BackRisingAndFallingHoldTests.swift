import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A hold timed on the hip while the back rose and fell under it (issue 12).
struct BackRisingAndFallingHoldTests {
    /// TUNE seed 31 rep 10, seed 8 rep 11, seed 95 rep 18, seed 71 rep 13 (bird dogs held 6-9.5 s) and seed 35 rep 21
    /// (a back kick held 3 s), all with the lower back rising and falling (the lumbar fault): the pelvis turned 8-16°
    /// one way and back through the hold, and the leg that hangs from it turned with it, hip and knee held (seed 31
    /// rep 10: the shank's tilt 17.7 -> 6.1 -> 29.6°). The shank was taken to set off for the lowering where the
    /// pelvis began to carry it: holds measured 0.35-3.8 s, and each rep was told it was too fast. The hold now lasts
    /// while the shank turns no faster than the pelvis and stops at the top again after it: within 2 s of the truth,
    /// and not too fast.
    @Test func aHoldIsTimedOnTheHipWhileTheBackRisesAndFallsUnderIt() throws {
        for (seed, repNumber) in [(UInt64(31), 10), (8, 11), (95, 18), (71, 13), (35, 21)] {
            for (truth, rep, label) in try repsCountedOnce(seed: seed, [repNumber]) {
                try #require(truth.holdDuration >= 3 && !truth.performedFast, "\(label): a held rep, not a fast one")
                #expect(abs(rep.holdDuration - truth.holdDuration) <= 2,
                    "\(label) hold \(rep.holdDuration) s, truly \(truth.holdDuration) s")
                #expect(!rep.faults.contains(.tooFast), "\(label) \(rep.faults)")
            }
        }
    }
}
