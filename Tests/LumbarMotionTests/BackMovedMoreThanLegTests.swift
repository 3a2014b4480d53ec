import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A rep whose back turned about as much as its leg (issue 12).
struct BackMovedMoreThanLegTests {
    /// TUNE seed 95 rep 14 (a bird dog held 10 s, its back moving 8.6° for an 8 cm excursion) and seed 178 rep 2 (a
    /// straight-leg kick held 13 s at 25 Hz, its back moving 14.5° for 9°): the back turned more than 0.75 of the
    /// leg, as when getting down on all fours, so the rep never started and was dropped as `posture_change` at its
    /// end, its `lumbar_moved` said for a candidate not counted. Both the leg and the back came back: a rep with a
    /// faulty back, which a physiotherapist counts, and it is counted, late, with its fault.
    @Test func aRepWhoseBackCameBackWithItsLegIsCountedWithItsFault() throws {
        for (seed, repNumber) in [(UInt64(95), 14), (178, 2)] {
            let (_, events) = AcceptanceRuleTests.tuneSession(seed)
            for (_, rep, label) in try repsCountedOnce(seed: seed, [repNumber]) {
                #expect(rep.lumbarMoved, "\(label): counted without its lumbar_moved")
                let started = events.firstIndex {
                    if case .repStarted(_, let n, _, _) = $0 { n == rep.rep } else { false }
                }
                let completed = events.firstIndex {
                    if case .repCompleted(_, let r) = $0 { r.rep == rep.rep } else { false }
                }
                #expect(started != nil && started! < completed!, "\(label): rep_started not said before rep_completed")
            }
        }
    }
}
