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

    /// TUNE seed `seed`'s session, the analyzer's events and when each was heard (emitted), s.
    static func heardEvents(seed: UInt64) -> (script: SessionScript, session: SimulatedSession, events: [LumbarEvent], heardAt: [Double]) {
        let r = SessionScript.randomised(seed: seed)
        let session = Simulator.run(r.script)
        var heardAt: [Double] = []
        let events = SimulatedSessionAnalysis.run(
            session, settings: SimulatedSessionAnalysis.settings(prescribedBy: r.script), driftingClocks: true,
            emitted: { _, t in heardAt.append(t) }
        ).events
        return (r.script, session, events, heardAt)
    }

    @Test func slowLiftsAreAlertedAgainstTheBackWhereTheLegSetOffNotWhereItPassedTheSlowSpeed() throws {
        // TUNE seeds 44 and 53: standing kickbacks lifted over 3.4-4 s, 50 Hz. The shank turns under 8°/s for the
        // first second and more of such a lift, so the onset was found 0.7-0.9 s late, and the lumbar reference
        // (0.3 s before it) already held part of the back's slow fault: it crossed 5° from there 104 and 109 ms
        // after it truly did (seed 53 rep 4, seed 44 rep 4). The reference is now taken 0.3 s before the leg set off
        // (its smoothed angular speed last under 1°/s): every alerted rep of both sessions within 80 ms.
        for seed: UInt64 in [44, 53] {
            let (_, session, events, _) = Self.heardEvents(seed: seed)
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
            let (_, session, events, heardAt) = Self.heardEvents(seed: seed)
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

    @Test func withOneAnkleSensorAnAlertIsHeardWhenDecidedOnceTheLegShowsAHipExtensionInTheLastRepsPosture() throws {
        // One ankle sensor: the other leg, whose stillness tells a rep from walking or getting down, is not seen.
        // TUNE seed 90 (prone leg raises, 104 Hz) rep 22, seed 144 (straight-leg kicks, 50 Hz) rep 5 and seed 166
        // (back kicks, 416 Hz) rep 4: the pelvis turned with the lift, so rep_started waited for the back to come back
        // and the alerts, decided 13-24 ms after 5°, were heard 3.5, 3.6 and 6.3 s later. The trunk lay as at the last
        // counted rep and the pelvis was quiet: said once the leg passed the rep's minimum excursion about a
        // horizontal axis (0.1-0.2 s). Seed 50 (prone leg raises, one ankle) gets down onto the floor between sets at
        // 64 s, its trunk 91° from the last rep's: its alert is still held, and dropped with the candidate.
        for (seed, rep): (UInt64, Int?) in [(90, 22), (144, 5), (166, 4), (50, nil)] {
            let (script, session, events, heardAt) = Self.heardEvents(seed: seed)
            #expect(script.sensors.filter { $0.site != .lumbar }.count == 1, "seed \(seed): one ankle sensor")
            var checked = 0
            for (i, e) in events.enumerated() {
                guard case .lumbarMoved(let t, _, _, _) = e else { continue }
                let truth = session.truth.reps.first { $0.startTime - 0.2 <= t && $0.endTime + 0.5 >= t }
                #expect(truth != nil, "seed \(seed): lumbar_moved at \(t) s outside any rep")
                if let rep, truth?.rep == rep {
                    #expect(heardAt[i] - t <= 0.5, "seed \(seed) rep \(rep): decided at \(t) s, heard at \(heardAt[i]) s")
                    checked += 1
                }
            }
            if let rep { #expect(checked >= 1, "seed \(seed): rep \(rep) alerted") }
        }
    }

    @Test func aBackBentSidewaysWhileTheLumbarSamplesAreLostIsAlertedWhenTheyComeBack() throws {
        // TUNE seed 56 (prone leg raises, 500 Hz), reps 16 and 19: the back bends sideways (lateral faults of 8.4° and
        // 13.1°, a turn about the vertical while lying prone) and crosses 5° while the lumbar's samples are lost for
        // 0.8 and 1.1 s (as `MotionBench --latency-bursts lumbar` loses them). The orientation filter restarted after
        // the burst with the heading from before it: the turn made in the burst was never seen, and the alerts came
        // when the back turned back, 6.7 and 6.0 s after 5°. Bridged across the burst (the rates either side), the
        // alert comes with the first lumbar sample after it.
        var r = SessionScript.randomised(seed: 56)
        let lumbar = try #require(r.script.sensors.firstIndex { $0.site == .lumbar })
        let bursts = [(rep: 16, start: 192.92, end: 193.71), (rep: 19, start: 221.66, end: 222.78)]
        for b in bursts { r.script.sensors[lumbar].dropouts.append(SimulatedInterval(start: b.start, end: b.end)) }
        let session = Simulator.run(r.script)
        let events = SimulatedSessionAnalysis.run(
            session, settings: SimulatedSessionAnalysis.settings(prescribedBy: r.script), driftingClocks: true
        ).events
        let alerts = Self.alerts(events, session.truth)
        for b in bursts {
            let truth = try #require(session.truth.reps.first { $0.rep == b.rep })
            let crossing = try #require(truth.crossing5DegreesTime)
            #expect(crossing > b.start && crossing < b.end, "rep \(b.rep): 5° at \(crossing) s, not in the burst")
            let alert = try #require(alerts.first { $0.truth.rep == b.rep }, "rep \(b.rep) not alerted")
            #expect(alert.time - b.end <= 0.08, "rep \(b.rep): alerted \(alert.time - b.end) s after the samples came back")
        }
    }
}
