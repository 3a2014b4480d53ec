import LumbarCore
import LumbarMotion
import LumbarSession

/// The dashboard's clinic panel: whose session this is, the people stored to choose from, and that person's
/// previous session ("last time") to set beside the live figures ("now").
///
/// A pure value the daemon fills from the session database off the live path (`DashboardHub.publish(clinic:)`);
/// the snapshot renders it with the exercise it knows, so "last time" is the previous session of the same
/// exercise when there is one, else the person's latest of any exercise (labelled with its exercise).
public struct ClinicPanel: Sendable, Hashable {
    /// Why nothing can be stored or read (no database for this run, `--no-store`); nil when the session is
    /// stored. The page shows it instead of the picker and the comparison.
    public var unavailable: String?
    /// The session's person; nil until one is given (`--person`) or chosen on the dashboard.
    public var person: String?
    /// Everyone stored, by name (the chosen person included even before their first row lands).
    public var people: [String]
    /// The person's sessions before this one, the latest of each exercise, latest first.
    public var previous: [PreviousSession]
    /// The person's sessions are being read.
    public var loading: Bool
    /// The database could not be read: its one line.
    public var readFailure: String?

    public init(
        unavailable: String? = "No session database for this dashboard: 'last time' and choosing the person are on lumbar live's dashboard while it stores the session.",
        person: String? = nil, people: [String] = [], previous: [PreviousSession] = [], loading: Bool = false,
        readFailure: String? = nil
    ) {
        self.unavailable = unavailable
        self.person = person
        self.people = people
        self.previous = previous
        self.loading = loading
        self.readFailure = readFailure
    }

    /// The previous session to show for `exercise`: the latest of that exercise, else the latest of any.
    public func lastTime(exercise: String?) -> PreviousSession? {
        previous.first { $0.exercise != nil && $0.exercise == exercise } ?? previous.first
    }

    /// Why there is no "last time" to show (nil when there is one).
    public func lastTimeNote(exercise: String?) -> String? {
        if let unavailable { return unavailable }
        if let readFailure { return "The session database could not be read: \(readFailure)" }
        guard let person else { return "No person chosen: choose one to see their last session." }
        if loading { return "Reading \(person)'s sessions…" }
        return lastTime(exercise: exercise) == nil ? "No earlier session of \(person) stored." : nil
    }

    /// The person's previous sessions reduced to what the panel shows: the latest of each exercise, latest first.
    public static func latestPerExercise(_ sessions: [PreviousSession]) -> [PreviousSession] {
        var seen: Set<String> = []
        return sessions.sorted { $0.startedUnixNanoseconds > $1.startedUnixNanoseconds }.filter {
            seen.insert($0.exercise ?? "").inserted
        }
    }

    /// `{"stored","unavailable","person","people","last_time","last_time_note"}`; `last_time` is
    /// `PreviousSession.json` or null.
    public func json(exercise: String?) -> String {
        var o = JSONObjectWriter()
        o.bool("stored", unavailable == nil)
        o.raw("unavailable", unavailable.map(JSONObjectWriter.quoted) ?? "null")
        o.raw("person", person.map(JSONObjectWriter.quoted) ?? "null")
        o.raw("people", "[" + people.map(JSONObjectWriter.quoted).joined(separator: ",") + "]")
        o.raw("last_time", lastTime(exercise: exercise)?.json ?? "null")
        o.raw("last_time_note", lastTimeNote(exercise: exercise).map(JSONObjectWriter.quoted) ?? "null")
        return o.finish()
    }
}

/// A stored session's key figures, as `lumbar history` computes them (clean-rep rate, largest lumbar deviation,
/// mean leg ROM, mean tempo).
public struct PreviousSession: Sendable, Hashable {
    /// Wall-clock start, ns since 1970.
    public var startedUnixNanoseconds: Int64
    public var exercise: String?
    public var reps: Int
    /// Reps without any fault over all reps, 0...1; nil without reps.
    public var cleanRepRate: Double?
    /// The largest lumbar deviation of the session, degrees; nil when none was measured.
    public var lumbarMaxDegrees: Double?
    /// Mean leg range of motion, degrees.
    public var legROMDegrees: Double?
    /// Mean concentric, hold and eccentric durations, s (measured, not prescribed).
    public var tempo: Tempo?
    /// False when the daemon ended before the session did (its reps are those measured until then).
    public var complete: Bool

    public init(
        startedUnixNanoseconds: Int64, exercise: String?, reps: Int, cleanRepRate: Double?, lumbarMaxDegrees: Double?,
        legROMDegrees: Double?, tempo: Tempo?, complete: Bool
    ) {
        self.startedUnixNanoseconds = startedUnixNanoseconds
        self.exercise = exercise
        self.reps = reps
        self.cleanRepRate = cleanRepRate
        self.lumbarMaxDegrees = lumbarMaxDegrees
        self.legROMDegrees = legROMDegrees
        self.tempo = tempo
        self.complete = complete
    }

    /// `{"started","exercise","reps","clean_rate","lumbar_max_deg","rom_deg","tempo_s":{"concentric","hold","eccentric"},"complete"}`;
    /// `started` is UTC ISO 8601, unknown figures null.
    public var json: String {
        var o = JSONObjectWriter()
        o.string("started", UTCTimestamp.iso8601(unixNanoseconds: startedUnixNanoseconds))
        o.raw("exercise", exercise.map(JSONObjectWriter.quoted) ?? "null")
        o.int("reps", reps)
        o.raw("clean_rate", Self.number(cleanRepRate, decimals: 3))
        o.raw("lumbar_max_deg", Self.number(lumbarMaxDegrees, decimals: 1))
        o.raw("rom_deg", Self.number(legROMDegrees, decimals: 1))
        if let tempo {
            var t = JSONObjectWriter()
            t.raw("concentric", Self.number(tempo.concentric, decimals: 2))
            t.raw("hold", Self.number(tempo.hold, decimals: 2))
            t.raw("eccentric", Self.number(tempo.eccentric, decimals: 2))
            o.raw("tempo_s", t.finish())
        } else {
            o.raw("tempo_s", "null")
        }
        o.bool("complete", complete)
        return o.finish()
    }

    private static func number(_ v: Double?, decimals: Int) -> String {
        guard let v, v.isFinite else { return "null" }
        return FixedDecimal.format(v, decimals: decimals)
    }
}

/// Why a person could not be chosen (an empty name): said to the page as a 400.
public struct PersonChoiceRefusal: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
