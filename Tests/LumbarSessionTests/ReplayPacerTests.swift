import LumbarSession
import Testing

/// Pacing a replay by untrusted input times (issue 14 item 2).
struct ReplayPacerTests {
    @Test("steps are due at input time over speed")
    func pacesByInputTime() {
        var pacer = ReplayPacer(speed: 2)
        #expect(pacer.due(inputTime: 0) == (0, nil))
        #expect(pacer.due(inputTime: 1).wallSeconds == 0.5)
        #expect(pacer.due(inputTime: 4).wallSeconds == 2)
    }

    /// On main before the fix, `lumbar replay` converted `t / speed * 1e9` to Int64 and trapped when the
    /// input's time jumped by 10^13 s.
    @Test("a jump of 10^13 s is skipped, reported once, and later steps keep their spacing")
    func skipsAHugeGap() {
        var pacer = ReplayPacer(speed: 1)
        _ = pacer.due(inputTime: 0)
        _ = pacer.due(inputTime: 0.5)
        let jump = pacer.due(inputTime: 1e13)
        #expect(jump.skippedGap == 1e13 - 0.5)
        #expect(jump.wallSeconds == 0.5)
        let next = pacer.due(inputTime: 1e13 + 0.25)
        #expect(next.skippedGap == nil)
        #expect(next.wallSeconds == 0.75)
    }

    @Test("gaps a real session has (a sensor away for a few seconds) are waited through")
    func keepsShortGaps() {
        var pacer = ReplayPacer(speed: 1)
        _ = pacer.due(inputTime: 0)
        let step = pacer.due(inputTime: ReplayPacer.longestWait)
        #expect(step.skippedGap == nil && step.wallSeconds == ReplayPacer.longestWait)
    }

    @Test("times that are not finite or go backwards never give a negative or infinite wait")
    func nonFiniteTimes() {
        var pacer = ReplayPacer(speed: 1)
        _ = pacer.due(inputTime: 5)
        #expect(pacer.due(inputTime: .infinity) == (0, nil))
        #expect(pacer.due(inputTime: .nan) == (0, nil))
        #expect(pacer.due(inputTime: -1e300).wallSeconds == 0)
        #expect(pacer.due(inputTime: Double.greatestFiniteMagnitude).wallSeconds.isFinite)
    }
}
