#if canImport(Glibc)
import Glibc
#endif
import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import Testing

/// The analysis on real people: UCI subject 1's prone straight-leg raises (`../shared/datasets/real/uci-pt/`,
/// 25 Hz, 10 slow reps with 3–6 s holds, 10 fast, 10 low-amplitude). The counts per block are the firm truth
/// (the labels' boundaries are a third party's). On main before issue 12 the analysis found 9 reps, none in
/// its labelled place, split into 6 sets, and no too_fast: every assertion below failed.
struct RealPeopleAnalysisTests {
    static let directory: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path + "/../shared/datasets/real/uci-pt"
    }()
    static let csv = directory + "/subject1-prone-leg-raise.csv"
    static let labels = directory + "/subject1-prone-leg-raise.reps.csv"
    static let present = access(csv, R_OK) == 0 && access(labels, R_OK) == 0

    /// Reps per block (the rep's middle within the block ± 2 s).
    static func reps(in block: (execution: String, start: Double, end: Double, count: Int), of records: [RepRecord])
        -> [RepRecord]
    {
        records.filter { r in
            let mid = (r.startTime + r.endTime) / 2
            return mid >= block.start - 2 && mid <= block.end + 2
        }
    }

    @Test(.enabled(if: present, "UCI subject 1 not found at ../shared/datasets/real/uci-pt: skipped"))
    func countsThirtyOfThirtyRepsOneSetPerBlockAndFlagsTheFastBlock() throws {
        let score = try RealSessionScore(csvPath: Self.csv, labelsPath: Self.labels)
        let blocks = score.blocks
        try #require(blocks.count == 3)
        #expect(score.records.count == 30, "\(score.records.map { "\($0.rep)@\($0.startTime)" })")
        #expect(score.detectedPerBlock == [10, 10, 10])
        #expect(score.blocksAsOneSet == 3)
        let fast = Self.reps(in: blocks[1], of: score.records)
        let others = Self.reps(in: blocks[0], of: score.records) + Self.reps(in: blocks[2], of: score.records)
        // The issue's bar: too_fast on ≥ 9 of the 10 fast reps and on ≤ 1 of the others.
        #expect(fast.filter { $0.faults.contains(.tooFast) }.count >= 9)
        #expect(others.filter { $0.faults.contains(.tooFast) }.count <= 1)
        #expect(score.recognised == .proneLegRaise)
        // Nothing leaves a candidate without a word: the one movement not counted (the leg moved away between
        // blocks and kept there) says why.
        let rejected = score.events.compactMap { e -> RejectedMovement? in
            if case .repRejected(_, let r) = e { return r }
            return nil
        }
        #expect(rejected.allSatisfy { r in !blocks.contains { $0.start - 2 < r.startTime && r.startTime < $0.end } })
    }
}
