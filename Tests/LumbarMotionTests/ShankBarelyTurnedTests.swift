import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A candidate whose excursion was all the ankle's integrated rise, the shank barely turning (issue 12).
struct ShankBarelyTurnedTests {
    /// TUNE seed 370 reps 6 and 7 (right straight-leg kicks held 8.5 s, 0.9 s apart): in the rest between them the
    /// ankle's rise integrated 47 cm in a second while the shank turned 1.9 deg, and that was counted as a rep of its
    /// own between the two. A hip extension turns the shank at least the onset level on the way (the straight-leg
    /// kick's as its knee straightens): this is the rise drifting, said not counted (`too_small`, the shank's turn),
    /// and each kick is counted once.
    @Test func aRiseWithTheShankBarelyTurningIsNotARep() throws {
        for (truth, rep, label) in try repsCountedOnce(seed: 370, [6, 7]) {
            #expect(abs(rep.startTime - truth.startTime) <= 1.5,
                "\(label) starts \(rep.startTime) s, truly \(truth.startTime) s")
        }
        let (_, events) = AcceptanceRuleTests.tuneSession(370)
        let drift = rejections(events).filter { $0.startTime > 88.5 && $0.endTime < 90.5 }
        #expect(drift.map(\.reason) == [.tooSmall], "\(drift)")
        #expect(drift.allSatisfy { $0.value < $0.limit && $0.limit == 4 }, "\(drift)")
    }
}
