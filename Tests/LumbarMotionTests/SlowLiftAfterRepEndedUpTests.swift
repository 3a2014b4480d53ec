import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A lift slower than the stillness threshold after a rep of that leg ended with its ankle still up (issue 12).
struct SlowLiftAfterRepEndedUpTests {
    /// TUNE seed 197 reps 5 and 8 (right bird dogs, the shank tilted 10-12 deg over 2.5-3.6 s at 3-4 deg/s): the right
    /// leg's rep before each ended with its ankle up, so the rest posture followed that leg anywhere, "not turning", as
    /// the top of a held rep whose lowering must set off from the rest. It followed each slow lift all the way up: rep 5
    /// was never a candidate, and rep 8 was seen only from 1.4 s into its lift and dropped as posture_change (its back's
    /// reference taken there). A steady, one-way change of the shank's inclination by the onset level, away from where
    /// the last candidate set off, is a lift: each is counted once, from where it set off.
    @Test func aSlowLiftAfterARepThatEndedUpIsCountedFromWhereItSetOff() throws {
        for (truth, rep, label) in try repsCountedOnce(seed: 197, [5, 8]) {
            #expect(abs(rep.startTime - truth.startTime) <= 0.5,
                "\(label) starts \(rep.startTime) s, truly \(truth.startTime) s")
        }
    }
}
