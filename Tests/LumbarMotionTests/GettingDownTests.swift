import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// The first rep after getting down from standing onto the floor (issue 12).
struct GettingDownTests {
    /// TUNE seeds 95 and 100 (a bird dog and a straight-leg kick, both ankles, an upright prelude): getting down
    /// turned both legs with the trunk, and the right leg's candidate was dropped as a change of posture. The left
    /// leg's, begun with it from the standing rest, stayed open with the leg lying on the floor, and the first rep
    /// it lifted 2.6 s later began no candidate until a calibration took the rest again after it. Both legs'
    /// candidates now end with the change of posture, and rep 1 is counted from its lift.
    @Test func theFirstRepAfterGettingDownIsCountedFromItsLift() throws {
        for seed: UInt64 in [95, 100] {
            for (truth, rep, label) in try repsCountedOnce(seed: seed, [1]) {
                #expect(abs(rep.startTime - truth.startTime) <= 0.5,
                    "\(label) starts \(rep.startTime) s, truly \(truth.startTime) s")
            }
        }
    }
}
