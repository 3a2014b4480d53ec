import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim
import Testing

/// The ankle's rest taken again after a gap in its samples while the leg is held at a rep's top (issue 12).
struct RestAfterGapTests {
    /// TUNE seed 158 (straight-leg kicks, one ankle sensor turned 90° on the leg, 3 lost bursts): rep 3's lift was lost
    /// in a gap (`ankle_lost`), and the rest was taken again at its top, held 1.3 s and lowered slower than the
    /// stillness threshold at first. Its lowering read as a 70 cm rise, so it was counted as a rep running on to rep
    /// 4's top, on the other leg, and rep 4 was merged into it. The lowering now ends back on the floor the leg rested
    /// on before the gap and is `lowered_from_top`, not counted; rep 4 is counted once, on its leg, in the same set as
    /// rep 2. A radio gap no longer ends rep 3 (it is judged at its end: `AnkleDropoutTests`), so the gap here is the
    /// ankle's line hung up (`sensor_lost unplugged`), which a candidate never goes on through.
    @Test func aLegLoweredBackToTheFloorItRestedOnBeforeAGapIsNotCountedAndTheNextRepIs() throws {
        let r = SessionScript.randomised(seed: 158)
        let session = Simulator.run(r.script)
        let ankle = try #require(session.sensors.firstIndex { $0.site == .rightAnkle })
        let gap = try #require(r.script.sensors[ankle].dropouts.first { $0.start > 17.4 && $0.start < 18.5 })
        let events = SimulatedSessionAnalysis.run(
            session, settings: SimulatedSessionAnalysis.settings(prescribedBy: r.script), driftingClocks: true,
            unplugged: [(ankle, gap.start)]
        ).events
        let rep3 = try #require(session.truth.reps.first { $0.rep == 3 })
        let top = rep3.startTime + rep3.concentricDuration
        let lowering = try #require(rejections(events).first { $0.startTime > top && $0.startTime < rep3.endTime })
        #expect(lowering.reason == .loweredFromTop, "\(lowering)")
        #expect(lowering.endTime < rep3.endTime + 1.0, "\(lowering)")
        let counted = records(events)
        #expect(!counted.contains { $0.startTime < rep3.endTime && $0.endTime > top }, "rep 3's lowering counted")
        let rep2 = try #require(counted.first { $0.rep == 2 })
        let rep4 = try #require(session.truth.reps.first { $0.rep == 4 })
        let over = counted.filter { $0.startTime < rep4.endTime && $0.endTime > rep4.startTime }
        #expect(over.count == 1, "\(over.map { ($0.startTime, $0.endTime) })")
        guard let found = over.first else { return }
        #expect(abs(found.startTime - rep4.startTime) <= 0.5, "starts \(found.startTime) s, truly \(rep4.startTime) s")
        #expect(abs(found.endTime - rep4.endTime) <= 1.0, "ends \(found.endTime) s, truly \(rep4.endTime) s")
        #expect(found.leg == rep4.leg)
        #expect(found.set == rep2.set)
    }
}
