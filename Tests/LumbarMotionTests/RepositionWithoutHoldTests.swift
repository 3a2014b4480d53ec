import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A leg repositioned (the knee slid out and straight back, not held at a top) about a slightly tilted axis with the
/// back quiet is not a rep (issue 12: extra reps where there was none).
struct RepositionWithoutHoldTests {
    /// TUNE seeds 106 and 123 (straight-leg kicks: the knee slid forward, turning the shank the way the reps do,
    /// about an axis tilted 13-21°) and 58 and 75 (standing kickbacks: the knee slid forward, the other way, tilted
    /// 7.6-7.7°), none held at the top: under the tilts a reposition needed (25° and 8°), they counted as reps. Each
    /// now ends in a rep_rejected reposition.
    @Test func aLegSlidOutAndStraightBackAboutATiltedAxisIsARepositionNotARep() throws {
        for (seed, start) in [(UInt64(106), 240.20), (123, 18.39), (58, 67.28), (75, 133.08)] {
            try AcceptanceRuleTests.expectRepositionsRejected(seed: seed, startingAt: [start])
        }
    }

    /// Two back kicks, then the leg turns 14° the same way about an axis tilted 18° (the leg abducting as it rises,
    /// as UCI subject 1's tilted prone raises do) with the back still: held 3 s at its top it is a rep; out and
    /// straight back it is a reposition.
    @Test func aTiltedLiftHeldAtItsTopIsARepAndNotHeldIsARepositioning() throws {
        let tilted = Vector3(0, 0.951, 0.309)
        var s = KinematicSession()
        s.duration = 28
        s.reps = [4, 10].map { KinematicSession.Rep(start: $0, legDegrees: 40) }
        s.reps.append(
            KinematicSession.Rep(start: 17, concentric: 1, hold: 3, eccentric: 1, legDegrees: 14, legAxis: tilted))
        let held = analyze(s).events
        #expect(records(held).count == 3, "\(held.map(\.jsonLine))")

        s.reps[2].hold = 0
        let unheld = analyze(s).events
        let reasons = rejections(unheld).map(\.reason)
        #expect(records(unheld).count == 2, "\(unheld.map(\.jsonLine))")
        #expect(reasons == [.reposition], "\(unheld.map(\.jsonLine))")
    }
}
