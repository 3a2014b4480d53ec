import LumbarCore
import Testing
@testable import LumbarSound

@Suite struct CueScriptTests {
    func cues(_ events: [LumbarEvent], spoken: Set<SpokenCue> = Set(SpokenCue.allCases), finish: Bool = false) -> [CueRequest] {
        var script = CueScript(spoken: spoken)
        var out: [CueRequest] = []
        for e in events { script.cues(for: e, into: &out) }
        if finish { script.finish(into: &out) }
        return out
    }

    @Test func theFirstAlertOfARepSoundsDifferentFromARepeatAndSaysTheDirectionOnce() {
        let out = cues([Events.repStarted(1), Events.moved(1, .extension_), Events.moved(1), Events.repStarted(2), Events.moved(2, .rotationLeft)])
        #expect(out == [
            CueRequest(.alertFirst, .alert), CueRequest(.phrase(.backArched), .correction),
            CueRequest(.alertRepeat, .alert),
            CueRequest(.alertFirst, .alert), CueRequest(.phrase(.pelvisTurning), .correction),
        ])
    }

    @Test func aCleanRepTicksAndSaysItsCountInTheSetAFastOneSaysSlowerWithoutATick() {
        let out = cues([Events.repStarted(1), Events.completed(1), Events.repStarted(2), Events.completed(2, faults: [.tooFast])])
        #expect(out == [
            CueRequest(.tick, .tick), CueRequest(.number(1), .count),
            CueRequest(.number(2), .count), CueRequest(.phrase(.slower), .correction),
        ])
    }

    @Test func aSetSummaryComesWhenTheNextSetStartsAndAtTheEnd() {
        let out = cues(
            [Events.repStarted(1), Events.completed(1), Events.repStarted(2), Events.completed(2, faults: [.lumbarExtension]),
             Events.repStarted(3, set: 2), Events.completed(3, set: 2)],
            spoken: [.summaries], finish: true)
        let summary = { (set: Int, reps: Int, clean: Int) -> [CueRequest] in
            [CueRequest(.phrase(.set), .summary), CueRequest(.number(set), .summary), CueRequest(.number(reps), .summary),
             CueRequest(.phrase(.reps), .summary), CueRequest(.number(clean), .summary), CueRequest(.phrase(.clean), .summary)]
        }
        let ticks = out.filter { $0.kind == .tick }
        #expect(ticks.count == 2)
        #expect(out.filter { $0.kind == .summary } == summary(1, 2, 1) + summary(2, 1, 1))
    }

    @Test func muteCountsLeavesTheTicksAndTheOtherWords() {
        var spoken = Set(SpokenCue.allCases)
        spoken.remove(.counts)
        let out = cues([Events.repStarted(1), Events.completed(1, faults: [.tooFast]), Events.rejected(.tooSmall)], spoken: spoken)
        #expect(out == [CueRequest(.phrase(.slower), .correction), CueRequest(.notCounted(RepRejectionWords(.tooSmall)), .correction)])
    }

    @Test func calibrationAsksToStandStillOnceThenSaysReady() {
        let out = cues([Events.connected, Events.connected, Events.calibrated, Events.connected])
        #expect(out == [CueRequest(.phrase(.standStill), .calibration), CueRequest(.phrase(.ready), .calibration)])
    }

    @Test func aRejectedMovementSaysNotCountedAndWhy() {
        #expect(RepRejectionWords(.tooSmall).text == "not counted: too small")
        #expect(RepRejectionWords(.notAHinge).text == "not counted: not a hinge")
        #expect(cues([Events.rejected(.tooSmall)], spoken: []) == [])
    }
}
