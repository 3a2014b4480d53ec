@testable import LumbarSim
import LumbarCore
import Testing

/// The randomised mode (`SessionScript.randomised`): the same seed gives the same session, every seed gives
/// finite, unsaturated readings, and its truth is sane (reps in order and apart, crossings inside reps,
/// clean reps under 2.5°, faulty ones over 5°, fast reps fast, non-reps outside reps).
struct RandomisedSessionTests {
    /// Seeds swept by the sample checks (whole sessions at up to 1000 Hz: a handful keeps the debug test short)
    /// and by the truth checks (the timeline and truth only, no samples).
    static let sampleSeeds: [UInt64] = [0, 3, 7, 11, 1001, 1017]
    static let truthSeeds: [UInt64] = Array(0..<40) + Array(1000..<1040)

    @Test func theSameSeedGivesTheSameSession() {
        let a = Simulator.run(SessionScript.randomised(seed: 5).script)
        let b = Simulator.run(SessionScript.randomised(seed: 5).script)
        #expect(SessionScript.randomised(seed: 5).summary == SessionScript.randomised(seed: 5).summary)
        #expect(a.sensors.count == b.sensors.count)
        for (x, y) in zip(a.sensors, b.sensors) {
            #expect(x.rawSamples == y.rawSamples)
            #expect(x.trueTimes == y.trueTimes)
        }
        #expect(a.truth.reps.map(\.startTime) == b.truth.reps.map(\.startTime))
        #expect(a.truth.reps.map(\.lumbarPeakDeviationDegrees) == b.truth.reps.map(\.lumbarPeakDeviationDegrees))
    }

    @Test func differentSeedsGiveDifferentSessions() {
        let summaries = Set((0..<20).map { SessionScript.randomised(seed: UInt64($0)).summary })
        #expect(summaries.count >= 18)
    }

    @Test(arguments: sampleSeeds)
    func everyReadingIsFiniteAndUnsaturated(seed: UInt64) {
        let session = Simulator.run(SessionScript.randomised(seed: seed).script)
        for s in session.sensors {
            #expect(!s.samples.isEmpty)
            let bad = s.rawSamples.firstIndex { $0.accelerometer.isSaturated || $0.gyroscope.isSaturated }
            #expect(bad == nil, "seed \(seed) sensor \(s.index): saturated at \(bad.map { "\(s.trueTimes[$0]) s: \(s.rawSamples[$0])" } ?? "")")
            let nan = s.samples.firstIndex { !$0.accelerometer.isFinite || !$0.gyroscope.isFinite }
            #expect(nan == nil, "seed \(seed) sensor \(s.index): not finite at sample \(nan ?? 0)")
        }
    }

    @Test func theParameterSpaceIsCovered() {
        let scripts = Self.truthSeeds.map { SessionScript.randomised(seed: $0).script }
        let rates = scripts.flatMap { $0.sensors.map(\.sampleRateHz) }
        #expect(rates.min() == 25 && rates.max() == 1000)
        #expect(scripts.contains { $0.prelude == nil } && scripts.contains { $0.prelude != nil })
        #expect(Set(scripts.map(\.exercise)) == Set(Exercise.allCases))
        let drifts = scripts.flatMap { $0.sensors.map { abs($0.clockDriftPPM) } }
        #expect(drifts.allSatisfy { $0 >= 20 && $0 <= 100 })
        let reps = scripts.flatMap { $0.sets.flatMap(\.reps) }
        let concentric = reps.compactMap { $0.tempo?.concentric }
        #expect(concentric.min()! < 0.35 && concentric.max()! > 3.5)
        #expect(reps.compactMap { $0.tempo?.hold }.max()! > 8)
        #expect(scripts.contains { $0.sensors.contains { !$0.dropouts.isEmpty } })
        #expect(scripts.contains { $0.nuisances.repositionsPerSet > 0 && $0.nuisances.walkBetweenSets })
    }

    @Test(arguments: truthSeeds)
    func theTruthIsSane(seed: UInt64) {
        let script = SessionScript.randomised(seed: seed).script
        let plan = SessionPlan(script)
        let reps = plan.model.repTruths()
        #expect(reps.count == script.sets.reduce(0) { $0 + $1.reps.count })
        for (a, b) in zip(reps, reps.dropFirst()) {
            #expect(a.endTime <= b.startTime, "seed \(seed): rep \(a.rep) overlaps rep \(b.rep)")
            #expect(a.set <= b.set)
        }
        for r in reps {
            if let c = r.crossing5DegreesTime {
                #expect(c >= r.startTime && c <= r.endTime, "seed \(seed) rep \(r.rep): crossing outside the rep")
            }
            if r.fault == nil {
                #expect(r.lumbarPeakDeviationDegrees < 2.5, "seed \(seed) rep \(r.rep): clean rep moved \(r.lumbarPeakDeviationDegrees)°")
            } else {
                #expect(r.lumbarPeakDeviationDegrees > 5 && r.crossing5DegreesTime != nil, "seed \(seed) rep \(r.rep)")
            }
            // Fast reps last 0.3–0.6 s, the others 1–4 s: nothing in between to argue about.
            #expect(r.performedFast == (r.concentricDuration < 0.8), "seed \(seed) rep \(r.rep)")
            #expect(r.concentricDuration >= 0.299 && r.concentricDuration <= 4.001)
            #expect(r.legROMDegrees >= 8, "seed \(seed) rep \(r.rep): leg excursion \(r.legROMDegrees)°")
        }
        for n in plan.nuisances where n.kind != .vibration {
            let overlapping = reps.first { min($0.endTime, n.end) - max($0.startTime, n.start) > 0 }
            #expect(overlapping == nil, "seed \(seed): \(n.kind.rawValue) overlaps rep \(overlapping?.rep ?? 0)")
        }
    }

    @Test func aStraightLegKickKeepsAnExcursionWhenTheKneeStraightensInPhase() {
        let level = KneePath(topDegrees: 0, lag: 0)
        #expect(SessionScript.peakShankExcursion(hipROM: 90, kneeStart: 90, path: level) < 1)
        #expect(SessionScript.peakShankExcursion(hipROM: 90, kneeStart: 90, path: KneePath(topDegrees: 0, lag: 0.4)) > 20)
    }
}
