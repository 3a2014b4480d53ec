import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A foot tap or a leg slid out and back, lying back at its rest just before a rep, is not part of that rep (issue 12:
/// a rep counted from the movement before it, "start early").
struct TapBeforeRepTests {
    /// TUNE seed 94 rep 8 (a back kick 1.1 s after a foot tap) and seed 185 rep 17 (a prone raise 0.7 s after a
    /// repositioning): the shank came back within a degree of its rest, but the ankle's rise integrated over that one
    /// shaken movement read 10.3-11.5 cm, just past the dead band, and the leg counted as held up at a top. The
    /// candidate stayed open into the rep's lift and the rep was counted from the tap, 1.6-2.5 s early. Each movement
    /// now ends not counted, and the rep is counted from its own lift.
    @Test func aTapLyingBackAtRestBeforeARepEndsThereAndTheRepStartsAtItsLift() throws {
        for (seed, repNumber, tapStart) in [(UInt64(94), 8, 72.89), (185, 17, 102.13)] {
            let (_, events) = AcceptanceRuleTests.tuneSession(seed)
            #expect(rejections(events).contains { abs($0.startTime - tapStart) < 0.5 },
                "seed \(seed): nothing dropped at the movement of \(tapStart) s")
            for (truth, rep, label) in try repsCountedOnce(seed: seed, [repNumber]) {
                #expect(abs(rep.startTime - truth.startTime) < 0.3, "\(label) starts \(rep.startTime) s, truly \(truth.startTime) s")
                #expect(abs(rep.endTime - truth.endTime) < 0.5, "\(label) ends \(rep.endTime) s, truly \(truth.endTime) s")
            }
        }
    }
}
