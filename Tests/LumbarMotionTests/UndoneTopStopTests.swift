import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// The ankle's rise when the stop at a rep's top is undone by the stop at its landing (issue 12).
struct UndoneTopStopTests {
    /// TUNE seed 43 rep 26 (a bird dog lifted over 3.6 s, its top held a moment): the ankle went 25 cm up in one
    /// movement from rest, stopped at the top for 0.6 s, and came down in one swing. At the landing the velocity left
    /// said the zero-velocity update at the top was drift, and it was undone: the lift, the hold and the lowering became
    /// one stretch from rest, but its highest rise was the lowering's alone. The movement read as one swing 46 cm down
    /// from the floor, the "rest" a rep's top held, and the rep was dropped as `lowered_from_top`. The stretch now keeps
    /// the lift's highest rise, and the rep is counted once, from its lift to its landing.
    @Test func aRepWhoseTopStopIsUndoneAtItsLandingIsCountedNotDroppedAsLoweredFromTop() throws {
        for (truth, rep, label) in try repsCountedOnce(seed: 43, [26]) {
            #expect(abs(rep.startTime - truth.startTime) <= 1.0,
                "\(label) starts \(rep.startTime) s, truly \(truth.startTime) s")
            #expect(abs(rep.endTime - truth.endTime) <= 0.5, "\(label) ends \(rep.endTime) s, truly \(truth.endTime) s")
        }
        let (_, events) = AcceptanceRuleTests.tuneSession(43)
        let dropped = rejections(events).filter { $0.reason == .loweredFromTop && $0.startTime > 366 && $0.startTime < 372 }
        #expect(dropped.isEmpty, "seed 43 rep 26 dropped: \(dropped.map { ($0.startTime, $0.value) })")
    }
}
