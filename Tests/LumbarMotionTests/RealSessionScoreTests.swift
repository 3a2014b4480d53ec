#if canImport(Glibc)
import Glibc
#endif
import LumbarCore
@testable import LumbarMotionScoring
import Testing

/// The real-people scorer reads UCI subject 1 (`../shared/datasets/real/uci-pt/`) and its labels as the
/// README describes them, and matches one to one. What the analysis finds there is the bench's figure
/// (`make bench-motion`), not asserted here: this pins the ruler, not the analysis.
struct RealSessionScoreTests {
    static let directory: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path + "/../shared/datasets/real/uci-pt"
    }()
    static let csv = directory + "/subject1-prone-leg-raise.csv"
    static let labels = directory + "/subject1-prone-leg-raise.reps.csv"
    static let present = access(csv, R_OK) == 0 && access(labels, R_OK) == 0

    @Test(.enabled(if: present, "UCI subject 1 not found at ../shared/datasets/real/uci-pt: skipped"))
    func theLabelsGiveThirtyRepsInThreeBlocksOfTenAndMatchesAreOneToOne() throws {
        let score = try RealSessionScore(csvPath: Self.csv, labelsPath: Self.labels)
        #expect(score.labels.count == 30)
        #expect(score.blocks.map(\.execution) == ["correct", "fast", "low_amplitude"])
        #expect(score.blocks.map(\.count) == [10, 10, 10])
        #expect(Set(score.matches.map(\.label)).count == score.matches.count)
        #expect(Set(score.matches.map(\.record)).count == score.matches.count)
        #expect(score.matches.count <= min(score.labels.count, score.records.count))
        #expect(score.figures[ScoreTable.reps]?.hasPrefix("30 / \(score.records.count) / ") == true)
    }

    /// A label and a detected rep match when they share half of the shorter one: a label cut short inside a
    /// long rep (UCI's last fast label, the lowering only) matches it; a rep that only touches a label does not.
    @Test func aLabelAndARepMatchWhenTheyShareHalfOfTheShorterOne() {
        func label(_ rep: Int, _ start: Double, _ end: Double) -> RealSessionScore.Label {
            RealSessionScore.Label(rep: rep, execution: "fast", start: start, end: end)
        }
        func record(_ rep: Int, _ start: Double, _ end: Double) -> RepRecord {
            RepRecord(
                rep: rep, set: 1, leg: .right, startTime: start, peakTime: (start + end) / 2, endTime: end,
                concentricDuration: 0, holdDuration: 0, eccentricDuration: 0, legROMDegrees: 15,
                peakLegAngularVelocityDps: 50, lumbarMaxDeviationDegrees: 1, lumbarExtensionDegrees: 0,
                lumbarLateralDegrees: 0, lumbarRotationDegrees: 0, lumbarMoved: false, faults: [])
        }
        // 1 s of lowering labelled inside a 3.4 s rep: all of the shorter (the label) is shared.
        let cutShort = RealSessionScore.match([label(20, 134.96, 135.96)], [record(20, 132.76, 136.20)])
        #expect(cutShort.map(\.label) == [0] && cutShort.map(\.record) == [0])
        // 0.4 s shared of a 2 s label and a 2.5 s rep: under half of either.
        #expect(RealSessionScore.match([label(1, 10, 12)], [record(1, 11.6, 14.1)]).isEmpty)
        // Two labels, one rep: one to one, the larger share wins.
        let one = RealSessionScore.match([label(1, 10, 12), label(2, 12, 14)], [record(1, 10.2, 12.6)])
        #expect(one.count == 1 && one.first?.label == 0)
    }

    @Test func aMissingLabelFileIsOneClearError() {
        #expect(throws: (any Error).self) {
            _ = try RealSessionScore(csvPath: Self.csv, labelsPath: "/nonexistent/labels.csv")
        }
        do {
            _ = try RealSessionScore(csvPath: Self.csv, labelsPath: "/nonexistent/labels.csv")
        } catch {
            #expect("\(error)".hasPrefix("/nonexistent/labels.csv: "))
        }
    }
}
