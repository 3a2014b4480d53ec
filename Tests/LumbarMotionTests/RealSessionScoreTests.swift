#if canImport(Glibc)
import Glibc
#endif
import LumbarCore
import LumbarMotionScoring
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
