import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// How long the leg was held at the top of a rep, which `too_fast` judges against the set's prescribed hold (issue 12).
struct HeldTopTimingTests {
    /// TUNE seed 31 rep 5, a bird dog held 7.8 s in a "holds" set (prescribed about 9 s): the shank was held at
    /// 10.0-10.2 and tilted to 11.5 as the knee bent on the way down, before the gyroscope passed the stillness
    /// threshold. The hold was taken to begin where the excursion first reached 90 % of that set-off, at the end of the
    /// hold: measured as a 9.2 s lift and a 0.8 s hold, and the rep was told it was too fast. The hold now begins
    /// within 90 % of where the leg was held (the median over the stop's later half): lift measured within a second of
    /// the truth, hold within 1.5 s.
    @Test func aHoldIsTimedFromWhereTheLegWasHeldNotFromWhereItSetOffForTheLowering() throws {
        let (session, events) = AcceptanceRuleTests.tuneSession(31)
        let truth = try #require(session.truth.reps.first { $0.rep == 5 })
        try #require(truth.holdDuration >= 6 && !truth.performedFast, "a long hold, not a fast rep")
        let over = records(events).filter { $0.startTime < truth.endTime && $0.endTime > truth.startTime }
        #expect(over.count == 1, "\(over.map { ($0.startTime, $0.endTime) })")
        let rep = try #require(over.first)
        #expect(
            abs(rep.concentricDuration - truth.concentricDuration) <= 1,
            "lift \(rep.concentricDuration) s, truly \(truth.concentricDuration) s")
        #expect(
            abs(rep.holdDuration - truth.holdDuration) <= 1.5, "hold \(rep.holdDuration) s, truly \(truth.holdDuration) s")
        #expect(!rep.faults.contains(.tooFast), "\(rep.faults)")
    }
}
