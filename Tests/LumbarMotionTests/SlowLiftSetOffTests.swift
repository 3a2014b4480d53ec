import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A lift slower than the stillness threshold is measured from where the leg set off (issue 12).
struct SlowLiftSetOffTests {
    /// TUNE seed 57 reps 23 and 24 (back kicks lifted 14-15 deg over 3.9 s, the shank turning 1-5 deg/s), seed 151 rep
    /// 22 (a prone raise lifted over 4 s) and seed 3 rep 7 (a straight-leg kick lifted over 3.8 s): the rest followed
    /// each lift part of the way up (6.7 deg of seed 57 rep 23's 14.7), so the rep was measured from there, its peak
    /// short by as much, and the leg put back where it set off lay past the end levels of that short peak: the rep ran
    /// on into the next one's lift (merged, or split across two true reps). Measured from where the leg set off, each
    /// is counted once, ending within 2 s of its true end (a slow straight-leg kick lowers its last 10-20 cm with the
    /// shank barely turning, and its end is found up to 1.9 s early).
    @Test func aLiftCreepingUpUnderTheStillnessThresholdEndsWhereTheLegIsPutBack() throws {
        for (seed, repNumbers) in [(UInt64(57), [23, 24]), (151, [22]), (3, [7])] {
            for (truth, rep, label) in try repsCountedOnce(seed: seed, repNumbers) {
                try #require(truth.concentricDuration >= 3)
                #expect(abs(rep.endTime - truth.endTime) <= 2,
                    "\(label) ends \(rep.endTime) s, truly \(truth.endTime) s")
            }
        }
    }

    /// TUNE seed 197 rep 8 (a bird dog lifted 10 deg over 2.5 s, the shank turning 1-7 deg/s: under the stillness
    /// threshold, just over it for half a second, then under it again toward its top; the back moved 7.2 deg sideways):
    /// the slowing after the faster part was taken for the creep before the lift, so where the leg set off was never
    /// found, the rep was measured from 4.6 deg up (5.2 deg for its 10) and, its back past 0.75 of that, dropped as
    /// `posture_change`. Measured from where it set off, it is counted once, from within half a second of its start.
    @Test func aLiftSlowingUnderTheStillnessThresholdAgainIsMeasuredFromWhereItSetOff() throws {
        for (truth, rep, label) in try repsCountedOnce(seed: 197, [8]) {
            #expect(abs(rep.startTime - truth.startTime) <= 0.5,
                "\(label) starts \(rep.startTime) s, truly \(truth.startTime) s")
        }
    }

    /// The rest follows a lowering's tail only toward where the rep set off, and from there on: TUNE seed 57 rep 25 (a
    /// back kick landed a few degrees short and the next lift, at 1-5 deg/s, passed near the floor on its way up: judged
    /// against where the rest was first taken, the rest went on up that lift and the rep was split), seed 3 rep 5 (the
    /// tail followed to the floor while the anchor stayed mid-lowering: the next lift passed within 2 deg of it, was
    /// followed as resting noise and never seen) and seed 197 rep 4 (never seen). Each is counted once.
    @Test func aLoweringsTailIsFollowedTowardTheFloorOnly() throws {
        for (seed, repNumbers) in [(UInt64(57), [25, 26, 27]), (3, [5]), (197, [4])] {
            _ = try repsCountedOnce(seed: seed, repNumbers)
        }
    }
}
