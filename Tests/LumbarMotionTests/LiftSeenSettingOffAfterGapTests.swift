import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A lift that set off in a gap of the ankle's samples, or as it ended, and is seen on its way up still near the floor
/// (issue 12).
struct LiftSeenSettingOffAfterGapTests {
    /// TUNE seeds 186 rep 3 (a slow standing kickback, 208 Hz) and 412 rep 17 (a slow standing kickback, 50 Hz, a
    /// 0.74 s gap): the gaps, longer than the filter's `maximumGap`, made the ankle take its rest again, and a rest is
    /// taken after a gap only once the leg lies still near the floor it lay on before (or after 2.5 s still anywhere).
    /// The leg was seen again turning at 14 deg/s, 4.7 deg up its lift (seed 412): too near that floor to have been
    /// taken for a lift lost in the gap, too soon to be still anywhere. It held its top 1 s and lay still only back on
    /// the floor: no candidate, the rep uncounted. The leg lay at its floor up to the gap and is seen turning near it:
    /// that floor is its rest, and the rep is counted from there.
    @Test func aLiftSeenSettingOffNearTheFloorAfterAGapIsCounted() throws {
        for (seed, rep) in [(UInt64(186), 3), (412, 17)] {
            for (truth, counted, label) in try repsCountedOnce(seed: seed, [rep]) {
                // Set off in the gap or as it ended: dated at the last sample before the gap at the earliest.
                #expect(abs(counted.startTime - truth.startTime) <= 1.0,
                    "\(label) starts \(counted.startTime) s, truly \(truth.startTime) s")
                #expect(abs(counted.endTime - truth.endTime) <= 1.0,
                    "\(label) ends \(counted.endTime) s, truly \(truth.endTime) s")
            }
        }
    }
}
