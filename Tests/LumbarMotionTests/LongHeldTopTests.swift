import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// A rep's top held as long as a set with holds prescribes, and when a leg held away from rest is given up (issue 12).
struct LongHeldTopTests {
    /// TUNE seed 164 (bird dogs, sets with 2-10 s holds): rep 17's 11.0 s hold kept the leg still 12.0 s, and reps 21
    /// and 23 11.8 s, against the 12 s a leg held away from rest was parked after (`maximumHoldDuration`): no margin.
    /// A top prescribed 10 s is held up to 12 s (each rep varies ±20 %). The same session with those three tops held
    /// 12 s: rep 17 was dropped as `not_returned` at its top and not counted at all. A leg holding within a quarter turn
    /// of its rest is now parked only after `maximumHeldTopDuration`, and each rep is counted once, to its lowering.
    @Test func aRepTopHeldAsLongAsASetWithHoldsPrescribesIsCountedNotParked() throws {
        let seed: UInt64 = 164
        let held = [17, 21, 23]
        var script = SessionScript.randomised(seed: seed).script
        var number = 0
        for s in script.sets.indices {
            for r in script.sets[s].reps.indices {
                number += 1
                if held.contains(number) { script.sets[s].reps[r].tempo?.hold = 12 }
            }
        }
        let session = Simulator.run(script)
        let events = SimulatedSessionAnalysis.run(
            session, settings: SimulatedSessionAnalysis.settings(prescribedBy: script), driftingClocks: true
        ).events
        let counted = records(events)
        for repNumber in held {
            let truth = try #require(session.truth.reps.first { $0.rep == repNumber })
            let label = "seed \(seed) rep \(repNumber) held \(truth.holdDuration) s"
            try #require(abs(truth.holdDuration - 12) < 0.5, "\(label): the hold scripted")
            guard let rep = countedOnce(truth, in: counted, of: session, label) else { continue }
            let lowering = truth.startTime + truth.concentricDuration + truth.holdDuration
            #expect(rep.endTime > lowering, "\(label) ends \(rep.endTime) s, lowered \(lowering)-\(truth.endTime) s")
        }
    }
}
