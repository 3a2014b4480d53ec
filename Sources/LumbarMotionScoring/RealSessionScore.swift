import LumbarCore
import LumbarSession

/// The motion analysis on real people: a Sample CSV with per-rep labels (`rep,execution,start_s,end_s`,
/// e.g. `../shared/datasets/real/uci-pt/`), replayed through the same pipeline as `lumbar export` (no
/// `--exercise`: recognised as a new user's session would be).
///
/// The labels were drawn by a third party and cover the rep plus the pause after it, so a detected rep
/// matches a labelled one when they share at least half of the shorter of the two (one to one, largest
/// shared share first), after each block's labels are moved as one by the shift (up to 2 s) that matches the most
/// (the fast block's labels sit 1.3–1.6 s after the leg's movement: each starts where the leg sets off down). The counts are the firm truth: a block (`execution` value) is a set, counted exactly
/// when the detected reps whose middle lies in it (±2 s) are as many as its labels. `too_fast` is scored
/// against the `fast` block. There is no lumbar truth (the trunk sensor is on the chest): alerts are counted.
public struct RealSessionScore: Sendable {
    public struct Label: Sendable, Hashable {
        public var rep: Int
        public var execution: String
        public var start: Double
        public var end: Double

        func shifted(by s: Double) -> Label { Label(rep: rep, execution: execution, start: start + s, end: end + s) }
    }

    public var labels: [Label] = []
    public var events: [LumbarEvent] = []
    public var records: [RepRecord] = []
    /// (label index, record index) of each match.
    public var matches: [(label: Int, record: Int)] = []
    public var misses: [String] = []
    /// The exercise the analysis recognised (nil: none).
    public var recognised: Exercise?

    /// Replays `csvPath` and scores it against `labelsPath`.
    /// - Throws: `SessionInputError` naming the file and what was wrong.
    public init(csvPath: String, labelsPath: String) throws(SessionInputError) {
        labels = try Self.readLabels(labelsPath)
        let input = try SessionInput(path: csvPath)
        let pipeline = SessionPipeline()
        var collector = EventCollector()
        try input.replay(into: pipeline, output: &collector)
        pipeline.finish(into: &collector)
        recognised = pipeline.exercise
        events = collector.events
        records = events.compactMap { e in
            if case .repCompleted(_, let r) = e { return r }
            return nil
        }
        // Each block's labels are moved as one by the shift (whole samples of 0.04 s, at most
        // `maximumLabelShift`) that matches the most detected reps, then the largest overlap: the third party's
        // boundaries may sit off the movement by a constant (UCI subject 1's fast block: every label starts
        // where the leg sets off down, 1.3 s after it left the table, and the last one ends as it lands).
        var aligned = labels
        for b in blocks.indices {
            let members = labels.indices.filter { labels[$0].execution == blocks[b].execution }
            var best = (shift: 0.0, count: -1, overlap: 0.0)
            let steps = Int((Self.maximumLabelShift / Self.labelShiftStep).rounded())
            for k in -steps...steps {
                let shift = Double(k) * Self.labelShiftStep
                let m = Self.match(members.map { labels[$0].shifted(by: shift) }, records)
                let overlap = m.reduce(0.0) { $0 + $1.overlap }
                // Ties keep the smaller shift (searched from the middle outwards by |k|).
                if m.count > best.count || (m.count == best.count && overlap > best.overlap + 1e-9)
                    || (m.count == best.count && abs(overlap - best.overlap) <= 1e-9 && abs(shift) < abs(best.shift))
                {
                    best = (shift, m.count, overlap)
                }
            }
            labelShifts.append(best.shift)
            for i in members { aligned[i] = labels[i].shifted(by: best.shift) }
        }
        for m in Self.match(aligned, records) { matches.append((m.label, m.record)) }
        let usedL = Set(matches.map(\.label)), usedR = Set(matches.map(\.record))
        for (li, l) in labels.enumerated() where !usedL.contains(li) {
            misses.append("real: missed rep \(l.rep) (\(l.execution)) \(fmt(l.start))-\(fmt(l.end)) s")
        }
        for (ri, r) in records.enumerated() where !usedR.contains(ri) {
            misses.append("real: extra rep \(r.rep) \(fmt(r.startTime))-\(fmt(r.endTime)) s set \(r.set)")
        }
        // Each rep's measured tempo (the real data is for diagnosis): what `too_fast` decided on.
        for (li, ri) in matches {
            let r = records[ri]
            misses.append(
                "real: rep \(r.rep) (\(labels[li].execution)) tempo \(fmt(r.concentricDuration))-\(fmt(r.holdDuration))-"
                    + "\(fmt(r.eccentricDuration)) s ROM \(fmt(Double(r.legROMDegrees)))° faults "
                    + r.faults.map(\.rawValue).joined(separator: ";"))
        }
    }

    /// The shift applied to each block's labels for matching, s (see `init`), in block order.
    public var labelShifts: [Double] = []
    /// Largest shift of a block's labels, s: under the shortest rep (a fast one, about 2 s).
    public static let maximumLabelShift = 2.0
    static let labelShiftStep = 0.04

    /// One-to-one matches of `labels` and `records` (largest shared share first); a detected rep and a label
    /// match when they share at least half of the shorter of the two. Half of the detected rep alone would
    /// miss a label the third party cut short: the fast block's last label covers only the lowering (1 s of a
    /// 3.4 s rep), as each of its labels starts where the leg sets off down and that one ends as it lands.
    static func match(_ labels: [Label], _ records: [RepRecord]) -> [(label: Int, record: Int, overlap: Double)] {
        var pairs: [(overlap: Double, l: Int, r: Int)] = []
        for (li, l) in labels.enumerated() {
            for (ri, r) in records.enumerated() {
                let inside = min(l.end, r.endTime) - max(l.start, r.startTime)
                let shorter = max(min(l.end - l.start, r.duration), 1e-6)
                if inside > 0 && inside >= 0.5 * shorter { pairs.append((inside / shorter, li, ri)) }
            }
        }
        pairs.sort { $0.overlap > $1.overlap }
        var usedL = Set<Int>(), usedR = Set<Int>()
        var out: [(label: Int, record: Int, overlap: Double)] = []
        for p in pairs where !usedL.contains(p.l) && !usedR.contains(p.r) {
            usedL.insert(p.l)
            usedR.insert(p.r)
            out.append((p.l, p.r, p.overlap))
        }
        return out
    }

    /// The blocks (sets) in label order: execution, first start, last end, label count.
    public var blocks: [(execution: String, start: Double, end: Double, count: Int)] {
        var out: [(execution: String, start: Double, end: Double, count: Int)] = []
        for l in labels {
            if let last = out.last, last.execution == l.execution {
                out[out.count - 1].end = l.end
                out[out.count - 1].count += 1
            } else {
                out.append((l.execution, l.start, l.end, 1))
            }
        }
        return out
    }

    /// The detected reps of block `i` (their middle inside the block ±2 s).
    public func records(inBlock i: Int) -> [RepRecord] {
        let b = blocks[i]
        return records.filter { r in
            let mid = (r.startTime + r.endTime) / 2
            return mid >= b.start - 2 && mid <= b.end + 2
        }
    }

    /// Detected reps per block.
    public var detectedPerBlock: [Int] { blocks.indices.map { records(inBlock: $0).count } }

    /// Blocks whose detected reps all carry one set number, different from every other block's.
    public var blocksAsOneSet: Int {
        let sets = blocks.indices.map { Set(records(inBlock: $0).map(\.set)) }
        return sets.indices.filter { i in
            sets[i].count == 1 && !sets.indices.contains { j in j != i && !sets[j].isDisjoint(with: sets[i]) }
        }.count
    }

    /// (fast reps with too_fast, fast reps matched, other reps with too_fast, other reps matched).
    public var tooFast: (fastFlagged: Int, fast: Int, otherFlagged: Int, other: Int) {
        var out = (0, 0, 0, 0)
        for m in matches {
            let flagged = records[m.record].faults.contains(.tooFast)
            if labels[m.label].execution == "fast" {
                out.1 += 1
                if flagged { out.0 += 1 }
            } else {
                out.3 += 1
                if flagged { out.2 += 1 }
            }
        }
        return out
    }

    public var figures: [String: String] {
        let n = labels.count
        let precision = records.isEmpty ? 0 : Double(matches.count) / Double(records.count)
        let recall = n == 0 ? 0 : Double(matches.count) / Double(n)
        let perBlock = detectedPerBlock
        let exact = zip(blocks, perBlock).filter { $0.0.count == $0.1 }.count
        let right = matches.filter { records[$0.record].leg == .right }.count
        let f = tooFast
        let p = f.fastFlagged + f.otherFlagged == 0 ? 1 : Double(f.fastFlagged) / Double(f.fastFlagged + f.otherFlagged)
        let r = f.fast == 0 ? 1 : Double(f.fastFlagged) / Double(f.fast)
        var reasons: [String: Int] = [:]
        for e in events { if let j = RejectedRep(event: e) { reasons[j.reason, default: 0] += 1 } }
        let moved = events.filter { if case .lumbarMoved = $0 { return true } else { return false } }.count
        return [
            ScoreTable.sessions: "1 (\(blocks.count) blocks; labels moved "
                + labelShifts.map { fmt($0, 2) }.joined(separator: "/") + " s)",
            ScoreTable.reps: "\(n) / \(records.count) / \(matches.count)",
            ScoreTable.repPR: "\(fmt(precision, 3)) / \(fmt(recall, 3))",
            ScoreTable.exactSets: "\(exact)/\(blocks.count) (found \(perBlock.map(String.init).joined(separator: "+")))",
            ScoreTable.setNumber: "one set per block \(blocksAsOneSet)/\(blocks.count)",
            ScoreTable.leg: matches.isEmpty ? "-" : fmt(Double(right) / Double(matches.count), 3),
            ScoreTable.movedPRF: "no truth (\(moved) alerts)",
            ScoreTable.tooFastPR: "\(fmt(p, 3)) / \(fmt(r, 3))",
            ScoreTable.tooFastCounts: "\(f.fastFlagged)/\(f.fast) / \(f.otherFlagged)/\(f.other)",
            ScoreTable.rejectedTrue: "\(events.compactMap(RejectedRep.init(event:)).filter { j in labels.contains { min($0.end, j.end) - max($0.start, j.start) > 0 } }.count)",
            ScoreTable.rejections: reasons.isEmpty ? "0"
                : reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
            ScoreTable.tempoVariation: "per block " + blocks.indices.map { i in
                fmt(SessionSummary.variationPercent(records(inBlock: i).map(\.duration)), 0)
            }.joined(separator: " / ") + " % (labels " + blocks.map { b in
                fmt(SessionSummary.variationPercent(labels.filter { $0.execution == b.execution }.map { $0.end - $0.start }), 0)
            }.joined(separator: " / ") + " %)",
            ScoreTable.recognised: recognised?.rawValue ?? "none",
        ]
    }

    static func readLabels(_ path: String) throws(SessionInputError) -> [Label] {
        let text: String
        do {
            let file = try TextLineReader(path: path)
            var lines: [String] = []
            while let l = try file.next() { lines.append(l) }
            text = lines.joined(separator: "\n")
        } catch {
            throw SessionInputError(message: "\(path): cannot read the rep labels (\(error))")
        }
        var out: [Label] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() where i > 0 {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 4, let rep = Int(f[0]), let s = Double(f[2]), let e = Double(f[3]), e > s else {
                throw SessionInputError(
                    message: "\(path): line \(i + 1) is not 'rep,execution,start_s,end_s' with end after start")
            }
            out.append(Label(rep: rep, execution: String(f[1]), start: s, end: e))
        }
        guard !out.isEmpty else { throw SessionInputError(message: "\(path): no rep labels") }
        return out
    }
}

/// Keeps the events of a replay (samples are dropped).
struct EventCollector: SessionOutput {
    var events: [LumbarEvent] = []
    mutating func sample(_ sample: SessionSample) {}
    mutating func event(_ event: LumbarEvent) { events.append(event) }
}

private func fmt(_ v: Double, _ decimals: Int = 2) -> String { FixedDecimal.format(v, decimals: decimals) }
