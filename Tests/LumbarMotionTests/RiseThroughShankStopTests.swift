import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// The ankle's rise where a kick's shank stops turning mid-lift while the ankle still rises fast (issue 12).
struct RiseThroughShankStopTests {
    /// TUNE seed 16 rep 4 (a straight-leg kick): the shank stopped turning mid-lift, its tilt turning back as the knee
    /// straightened, while the ankle still rose at 65 cm/s. The zero-velocity update there took that speed for drift and
    /// was kept, over 60 cm/s, although the next stop, at the level top 43 cm up, was left with 62 cm/s with it and
    /// 3 cm/s without: the top read -6 cm, was taken for the landing, the lift was dropped as `sensor_resettled` and the
    /// lowering counted as a rep of its own, 1.8 s late. The update is now undone there and the rep counted from its lift.
    @Test func aKickWhoseAnkleRoseFastThroughAShankStopIsCountedFromItsLift() throws {
        for (truth, rep, label) in try repsCountedOnce(seed: 16, [4]) {
            #expect(abs(rep.startTime - truth.startTime) <= 0.5,
                "\(label) starts \(rep.startTime) s, truly \(truth.startTime) s")
        }
    }

    /// TUNE seed 54 rep 21 and seed 78 rep 5 (bird dogs) and seed 88 rep 4 (a straight-leg kick), none performed fast:
    /// the same update kept mid-lift put the top low, the lift was measured 0.6 s of its 1.05-1.5 s and the rep said
    /// too_fast. Measured from the top's true height, the lift is within 0.3 s of the truth and not too fast.
    @Test func aLiftThroughAShankStopIsMeasuredToItsTop() throws {
        for (seed, repNumber) in [(UInt64(54), 21), (78, 5), (88, 4)] {
            for (truth, rep, label) in try repsCountedOnce(seed: seed, [repNumber]) {
                #expect(abs(rep.concentricDuration - truth.concentricDuration) <= 0.3,
                    "\(label) lifted \(rep.concentricDuration) s, truly \(truth.concentricDuration) s")
                #expect(!rep.faults.contains(.tooFast), "\(label): \(rep.faults)")
            }
        }
    }
}
