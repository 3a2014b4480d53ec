/// One table with a column per data source (real people, the randomised simulator's splits, the classic
/// suite) and a row per figure; a source without a figure shows `-` (or what it says instead).
public enum ScoreTable {
    public static let sessions = "sessions"
    public static let reps = "true reps / detected / matched"
    public static let repPR = "rep P / R"
    public static let exactSets = "exact count per set"
    public static let setNumber = "set number right (matched reps)"
    public static let setErrors = "set number errors by cause"
    public static let setPauses = "pauses between counted reps p5/p50/p95 [min-max] s"
    public static let leg = "leg attribution"
    public static let movedPRF = "lumbar_moved P / R / F1"
    public static let direction = "direction right / sagittal / wrong"
    public static let latency = "alert latency p50 / p95 / max ms (after 5°)"
    /// The same alerts from when they were emitted (an alert held back until its rep was confirmed is heard then).
    public static let emittedLatency = "  as emitted p50 / p95 / max ms"
    public static let tooFastPR = "too_fast P / R"
    public static let tooFastCounts = "too_fast on fast reps / on others"
    public static let movedOutside = "lumbar_moved outside any rep"
    /// `lumbar_moved` said for a leg movement that was not counted: heard, then no rep to go with it.
    public static let movedUncounted = "  said for a candidate not counted"
    public static let cleanAlerted = "alerts on clean reps (< 5°)"
    /// Faulty matched reps whose faults name the acted compensation / say `lumbar_sagittal` instead, and lumbar
    /// faults named on matched reps that the truth did not act.
    public static let faultKinds = "lumbar fault named right / sagittal of faulty; kinds not acted"
    public static let nonRepsCounted = "non-reps counted as reps"
    public static let nonRepsRejected = "non-reps with a rep_rejected"
    public static let rejectedTrue = "rep_rejected on a true rep"
    public static let rejections = "rep_rejected by reason"
    public static let missCauses = "missed reps by cause"
    public static let extraCauses = "extra reps by cause"
    public static let lumbarMAE = "lumbar deviation MAE (deg)"
    /// Measured minus true phase durations on matched reps: |error| p50/p90 and the signed median, per phase.
    public static let phaseErrors = "phase duration error p50/p90 (median) s"
    public static let tempoVariation = "tempo consistency per set (CV of rep durations)"
    public static let recognised = "exercise recognised"

    /// The rows, in print order.
    public static let rows = [
        sessions, reps, repPR, exactSets, setNumber, setErrors, setPauses, leg, movedPRF, direction, latency,
        emittedLatency, tooFastPR, tooFastCounts,
        movedOutside, movedUncounted, cleanAlerted, faultKinds, nonRepsCounted, nonRepsRejected, rejectedTrue, rejections,
        missCauses, extraCauses, lumbarMAE, phaseErrors, tempoVariation, recognised,
    ]

    /// A Markdown table: `columns` are (title, figures by row name).
    public static func render(_ columns: [(title: String, figures: [String: String])]) -> String {
        let cells = rows.map { row in [row] + columns.map { $0.figures[row] ?? "-" } }
        let header = ["figure"] + columns.map(\.title)
        var widths = header.map(\.count)
        for r in cells { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String {
            "| " + r.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - c.count) }
                .joined(separator: " | ") + " |"
        }
        var out = line(header) + "\n"
        out += "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|\n"
        for r in cells { out += line(r) + "\n" }
        return out
    }
}
