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
}
