import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// How soon `lumbar_moved` follows the back's true 5° crossing on simulated sessions (issue 12: p95 ≤ 80 ms).
struct AlertLatencyTests {
    /// The first `lumbar_moved` inside each counted rep, paired with the true rep it overlaps.
    static func alerts(_ events: [LumbarEvent], _ truth: SessionTruth) -> [(truth: RepTruth, time: Double)] {
        var out: [(truth: RepTruth, time: Double)] = []
        for e in events {
            guard case .repCompleted(_, let r) = e else { continue }
            let first = events.lazy.compactMap { e -> Double? in
                if case .lumbarMoved(let t, let n, _, _) = e, n == r.rep, t >= r.startTime, t <= r.endTime { return t }
                return nil
            }.first
            guard let t = first,
                let tr = truth.reps.first(where: { $0.startTime < r.endTime && $0.endTime > r.startTime })
            else { continue }
            out.append((tr, t))
        }
        return out
    }

    @Test func slowLiftsAreAlertedAgainstTheBackWhereTheLegSetOffNotWhereItPassedTheSlowSpeed() throws {
        // TUNE seeds 44 and 53: standing kickbacks lifted over 3.4-4 s, 50 Hz. The shank turns under 8°/s for the
        // first second and more of such a lift, so the onset was found 0.7-0.9 s late, and the lumbar reference
        // (0.3 s before it) already held part of the back's slow fault: it crossed 5° from there 104 and 109 ms
        // after it truly did (seed 53 rep 4, seed 44 rep 4). The reference is now taken 0.3 s before the leg set off
        // (its smoothed angular speed last under 1°/s): every alerted rep of both sessions within 80 ms.
        for seed: UInt64 in [44, 53] {
            let r = SessionScript.randomised(seed: seed)
            let session = Simulator.run(r.script)
            let events = SimulatedSessionAnalysis.run(
                session, settings: SimulatedSessionAnalysis.settings(prescribedBy: r.script), driftingClocks: true
            ).events
            let alerts = Self.alerts(events, session.truth).filter { $0.truth.crossing5DegreesTime != nil }
            #expect(alerts.count >= 2, "seed \(seed): \(alerts.count) alerted reps")
            for a in alerts {
                let crossing = try #require(a.truth.crossing5DegreesTime)
                #expect(a.time - crossing <= 0.08, "seed \(seed) rep \(a.truth.rep): \(a.time - crossing) s after 5°")
                #expect(a.time - crossing >= -0.05, "seed \(seed) rep \(a.truth.rep): \(a.time - crossing) s after 5°")
            }
        }
    }

    @Test func anAlertIsHeardWhenItIsDecidedOnceTheLegShowsAHipExtensionOrTheOtherLegStandsStill() throws {
        // TUNE seed 12 (bird dogs, 52 Hz): rep 14's pelvis rotated with the lift (12° against a leg at 0.75 of it), so
        // rep_started waited for the back to come back and its alert, decided 0.36 s after 5°, was heard 9.5 s later.
        // TUNE seed 102 (standing kickbacks, 52 Hz): rep 4's fast kick shook the pelvis past the walking level, and its
        // alert waited for the rep's end, 7 s after it was decided. The bird dog's leg passed the rep's minimum
        // excursion about a horizontal axis with the other leg still (0.15 s after the decision); the kickback's
        // supporting leg had not turned since before it set off (0.27 s): both are said then, not at the rep's end.
        for (seed, rep): (UInt64, Int) in [(12, 14), (102, 4)] {
            let r = SessionScript.randomised(seed: seed)
            let session = Simulator.run(r.script)
            var heardAt: [Double] = []
            let events = SimulatedSessionAnalysis.run(
                session, settings: SimulatedSessionAnalysis.settings(prescribedBy: r.script), driftingClocks: true,
                emitted: { _, t in heardAt.append(t) }
            ).events
            var checked = 0
            for (i, e) in events.enumerated() {
                guard case .lumbarMoved(let t, let n, _, _) = e else { continue }
                let counted = events.contains { e in
                    if case .repCompleted(_, let record) = e { return record.rep == n && t >= record.startTime && t <= record.endTime }
                    return false
                }
                #expect(counted, "seed \(seed): lumbar_moved at \(t) s said for a candidate not counted")
                let truth = session.truth.reps.first { $0.startTime <= t && $0.endTime >= t }
                if truth?.rep == rep {
                    #expect(heardAt[i] - t <= 0.5, "seed \(seed) rep \(rep): decided at \(t) s, heard at \(heardAt[i]) s")
                    checked += 1
                }
            }
            #expect(checked >= 1, "seed \(seed): rep \(rep) alerted")
        }
    }
}
