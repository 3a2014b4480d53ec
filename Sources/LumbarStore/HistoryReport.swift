import LumbarCore
import LumbarSession

/// `lumbar history`: the stored sessions with their key figures, then the trend across weeks. Pure: stored
/// sessions in, text out.
public enum HistoryReport {
    /// One week's figures (weeks start on Monday, UTC).
    public struct Week: Sendable, Hashable {
        /// The Monday, `yyyy-mm-dd`.
        public var start: String
        public var sessions: Int
        public var reps: Int
        /// Clean reps over reps, 0...1; nil without reps.
        public var cleanRepRate: Double?
        /// Mean over the week's sets of each set's largest lumbar deviation, degrees.
        public var lumbarMaxPerSet: Double?
        public var meanLegROM: Double?
        public var meanRepSeconds: Double?
    }

    /// The Monday (UTC) of the week holding `ns`, as ns since 1970.
    static func weekStart(_ ns: Int64) -> Int64 {
        let day: Int64 = 86_400_000_000_000
        let days = ns >= 0 ? ns / day : (ns - day + 1) / day
        let monday = days - ((days % 7 + 7 + 3) % 7)  // 1970-01-01 was a Thursday
        return monday * day
    }

    /// Weekly figures, oldest first, over every rep of every session (incomplete ones too: their reps were measured).
    public static func weeks(_ sessions: [StoredSession]) -> [Week] {
        let grouped = Dictionary(grouping: sessions) { weekStart($0.startedUnixNanoseconds) }
        return grouped.keys.sorted().map { key in
            let ss = grouped[key]!
            let reps = ss.flatMap(\.reps)
            let setMaxima = ss.flatMap { $0.lumbarMaxPerSet.map(\.degrees) }
            return Week(
                start: String(UTCTimestamp.iso8601(unixNanoseconds: key).prefix(10)), sessions: ss.count, reps: reps.count,
                cleanRepRate: reps.isEmpty ? nil : Double(reps.filter { $0.faults.isEmpty }.count) / Double(reps.count),
                lumbarMaxPerSet: StoredSession.mean(setMaxima),
                meanLegROM: StoredSession.mean(reps.map { Double($0.legROMDegrees) }.filter(\.isFinite)),
                meanRepSeconds: StoredSession.mean(reps.map(\.duration)))
        }
    }

    static func f(_ v: Double?, _ d: Int = 1) -> String { v.map { $0.isFinite ? FixedDecimal.format($0, decimals: d) : "–" } ?? "–" }
    static func percent(_ v: Double?) -> String { v.map { FixedDecimal.format(100 * $0, decimals: 0) + "%" } ?? "–" }

    /// The whole text: sessions, weeks, trend.
    public static func text(_ sessions: [StoredSession], person: StoredPerson?) -> String {
        guard !sessions.isEmpty else {
            return person.map { "No sessions stored for \($0.name)." } ?? "No sessions stored."
        }
        let rows = sessions.map { s -> [String] in
            let tempo = s.meanTempo.map { "\(f($0.concentric))-\(f($0.hold))-\(f($0.eccentric))" } ?? "–"
            return [
                String(UTCTimestamp.iso8601(unixNanoseconds: s.startedUnixNanoseconds).prefix(16)).replacing("T", with: " "),
                s.person?.name ?? "–", s.exercise ?? "–", String(s.reps.count), percent(s.cleanRepRate),
                s.lumbarMaxPerSet.isEmpty ? "–" : s.lumbarMaxPerSet.map { f($0.degrees) }.joined(separator: "/"),
                f(s.meanLegROM), tempo, s.complete ? "complete" : "INCOMPLETE",
            ]
        }
        var out = (person.map { "Sessions of \($0.name) (UTC)" } ?? "Sessions (UTC)") + "\n"
        out += TextTable.format(
            header: ["started", "person", "exercise", "reps", "clean", "lumbar max/set °", "ROM °", "tempo s (c-h-e)", "status"],
            rows: rows)
        let weeks = weeks(sessions)
        out += "\n\nWeeks (from Monday, UTC)\n"
        out += TextTable.format(
            header: ["week", "sessions", "reps", "clean", "lumbar max/set °", "ROM °", "rep s"],
            rows: weeks.map { [$0.start, String($0.sessions), String($0.reps), percent($0.cleanRepRate), f($0.lumbarMaxPerSet), f($0.meanLegROM), f($0.meanRepSeconds)] })
        out += "\n\n" + trend(weeks)
        let incomplete = sessions.filter { !$0.complete }.count
        if incomplete > 0 {
            out += "\n\(incomplete) session\(incomplete == 1 ? "" : "s") INCOMPLETE: the daemon ended before the session did; the reps measured until then are kept."
        }
        return out + "\n"
    }

    /// One sentence per figure from the first week to the last: clean-rep rate, lumbar maximum, ROM, tempo.
    public static func trend(_ weeks: [Week]) -> String {
        guard let first = weeks.first, let last = weeks.last, weeks.count >= 2 else {
            return "Trend: one week stored so far; the trend needs sessions in two weeks or more."
        }
        var parts: [String] = []
        if let a = first.cleanRepRate, let b = last.cleanRepRate {
            parts.append("clean reps \(percent(a)) → \(percent(b)) (\(b >= a ? "+" : "")\(FixedDecimal.format(100 * (b - a), decimals: 0)) points)")
        }
        if let a = first.lumbarMaxPerSet, let b = last.lumbarMaxPerSet {
            parts.append("lumbar max per set \(f(a))° → \(f(b))° (\(b <= a ? "steadier" : "moving more"))")
        }
        if let a = first.meanLegROM, let b = last.meanLegROM { parts.append("ROM \(f(a))° → \(f(b))°") }
        if let a = first.meanRepSeconds, let b = last.meanRepSeconds { parts.append("rep \(f(a)) s → \(f(b)) s") }
        return "Trend over \(weeks.count) weeks (\(first.start) to \(last.start)): " + parts.joined(separator: "; ") + "."
    }
}
