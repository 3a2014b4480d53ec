import LumbarCore

/// A programme's tempo, one per set, the last one repeating: what `--tempo 3-0-3,1-5-1` says (set 1 at 3-0-3,
/// every later set at 1-5-1). A single tempo is the whole session's.
public struct TempoPrescription: Sendable, Hashable {
    /// The tempo of set n at index n − 1; never empty. Sets past the end take the last one.
    public let perSet: [Tempo]

    /// Nil when `perSet` is empty.
    public init?(perSet: [Tempo]) {
        guard !perSet.isEmpty else { return nil }
        self.perSet = perSet
    }

    /// Parses comma-separated `C-H-E` tempos in seconds (e.g. `2-1-2` or `3-0-3,1-5-1`); nil unless every one
    /// parses (see `Tempo.init(parsing:)`).
    public init?(parsing text: String) {
        var tempos: [Tempo] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let t = Tempo(parsing: String(part)) else { return nil }
            tempos.append(t)
        }
        self.init(perSet: tempos)
    }

    /// The form `init(parsing:)` reads back, e.g. `3-0-3,1-5-1`: what a recording's header keeps so that its replay
    /// judges the reps against the prescription the live session used.
    public var text: String { perSet.map(\.text).joined(separator: ",") }

    /// The tempo prescribed for set `set` (1-based).
    public func tempo(set: Int) -> Tempo { perSet[min(max(set, 1), perSet.count) - 1] }

    /// Puts the prescription into `settings`: every exercise's profile takes the last tempo (the sets past the
    /// list and any set the analysis numbers beyond it), and `setTempos` the ones before it.
    public func apply(to settings: inout MotionAnalyzer.Settings) {
        for e in Exercise.allCases {
            var profile = settings.profile(for: e)
            profile.tempo = perSet[perSet.count - 1]
            settings.profiles[e] = profile
        }
        settings.setTempos = perSet.count > 1 ? perSet.dropLast().map { $0 } : []
    }
}
