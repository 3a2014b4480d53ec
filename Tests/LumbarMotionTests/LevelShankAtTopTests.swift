import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A rep whose shank is level again at the top and tilts again as the lowering begins (issue 12).
struct LevelShankAtTopTests {
    /// TUNE seed 30 rep 22 (bird dog) and seed 158 rep 14 (straight-leg kick, a 7.4 s hold with the back rising and
    /// falling): the shank tilts 44-55° mid-lift and is about level again at the top, the ankle 25-35 cm up. The lift's
    /// candidate ended at that valley once the shank tilted again, and was judged where the leg was by then, 22-33° from
    /// its start: dropped as `sensor_resettled`, and the lowering counted as the rep, starting at the top. Judged where
    /// it stopped, kept undecided as a stop at a rep's top: lowered from there to the floor, the two are one rep, counted
    /// from the lift to the landing.
    @Test func aRepWhoseShankIsLevelAgainAtTheTopIsCountedFromItsLiftToItsLanding() throws {
        for (seed, repNumbers) in [(UInt64(30), [22]), (158, [14])] {
            for (truth, rep, label) in try repsCountedOnce(seed: seed, repNumbers) {
                #expect(rep.startTime <= truth.startTime + truth.concentricDuration / 2,
                    "\(label) starts \(rep.startTime) s, truly \(truth.startTime) s")
                #expect(abs(rep.endTime - truth.endTime) <= 1.0, "\(label) ends \(rep.endTime) s, truly \(truth.endTime) s")
            }
        }
    }
}
