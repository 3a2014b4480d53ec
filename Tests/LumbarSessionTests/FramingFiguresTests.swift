import Foundation
import LumbarCore
import LumbarMotionScoring
import LumbarRecordings
import LumbarSession
import LumbarSim
import Testing

/// The figures of issue 12's framing part, as a table: the clean back-kick demo and six simulated
/// sessions (one per exercise, faults at random), each recorded with one sample per frame, four per
/// frame arriving regularly, and ten per frame with 0–20 ms jitter and 200 ms stalls, replayed and
/// scored against the simulator's truth. The scores must not depend on the framing.
///
/// Takes about a minute in debug, so it runs only when asked:
/// `LUMBAR_FRAMING_FIGURES=1 swift test --filter FramingFiguresTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LUMBAR_FRAMING_FIGURES"] != nil))
struct FramingFiguresTests {
    static let framings: [(name: String, framing: Framing)] = [
        ("1/frame", .oneSamplePerFrame()),
        ("4/frame regular", Framing(samplesPerFrame: 4...4, latency: 0.001...0.001, seed: 1)),
        ("10/frame jitter+stalls", Framing(samplesPerFrame: 10...10, latency: 0...0.020, stallInterval: 4, seed: 2)),
    ]

    static var sessions: [(name: String, script: SessionScript)] {
        [("clean-back-kick", DemoScenario.cleanBackKick.script)]
            + Exercise.allCases.enumerated().map { i, e in
                ("random \(e.rawValue) seed \(60 + i)", SessionScript.random(e, seed: UInt64(60 + i), sets: 2, repsPerSet: 6))
            }
    }

    @Test("rep recall, lumbar_moved precision and clean-rep lumbar angles per framing")
    func figuresPerFraming() throws {
        var lines = ["| session | framing | reps found/true | rep recall | moved P | moved R | false moved | clean reps: max lumbar ° (max rotation °) |",
                     "|---|---|---|---|---|---|---|---|"]
        var totals: [String: MotionScore] = [:]
        for (name, script) in Self.sessions {
            let truth = Simulator.run(script).truth
            for (framingName, framing) in Self.framings {
                let found = try FramingInvarianceTests.findings(script, framing, name: "figures")
                var score = MotionScore()
                score.add(events: found.allEvents, truth: truth, label: name)
                var total = totals[framingName] ?? MotionScore()
                total.add(events: found.allEvents, truth: truth, label: name)
                totals[framingName] = total
                // Clean reps: reps found whose time span overlaps a true rep without a fault.
                let clean = found.reps.filter { r in
                    truth.reps.contains { $0.fault == nil && min($0.endTime, r.endTime) > max($0.startTime, r.startTime) }
                }
                let maxLumbar = clean.map(\.lumbarMaxDeviationDegrees).max() ?? 0
                let maxRotation = clean.map { abs($0.lumbarRotationDegrees) }.max() ?? 0
                lines.append(String(
                    format: "| %@ | %@ | %d/%d | %.3f | %.2f | %.2f | %d | %.2f (%.2f) |", name, framingName,
                    score.detectedReps, score.trueReps, score.repRecall, score.movedPrecision, score.movedRecall,
                    score.movedFalsePositive, maxLumbar, maxRotation))
            }
        }
        lines.append("")
        lines.append("| framing | rep P | rep R | moved P | moved R | moved F1 |")
        lines.append("|---|---|---|---|---|---|")
        for (framingName, _) in Self.framings {
            let s = totals[framingName]!
            lines.append(String(format: "| %@ | %.3f | %.3f | %.3f | %.3f | %.3f |", framingName, s.repPrecision,
                                s.repRecall, s.movedPrecision, s.movedRecall, s.movedF1))
        }
        print(lines.joined(separator: "\n"))
        let reference = totals[Self.framings[0].name]!
        for (framingName, _) in Self.framings.dropFirst() {
            let s = totals[framingName]!
            #expect(s.matchedReps == reference.matchedReps && s.movedFalsePositive == reference.movedFalsePositive
                        && s.movedTruePositive == reference.movedTruePositive, "\(framingName)")
        }
    }
}
