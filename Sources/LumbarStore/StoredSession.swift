import LumbarCore
import LumbarSession

/// A session read back from the database with its reps, and the key figures the history shows.
public struct StoredSession: Sendable, Hashable {
    public var id: String
    public var person: StoredPerson?
    public var source: String
    public var startedUnixNanoseconds: Int64
    public var endedUnixNanoseconds: Int64?
    /// False for a session whose process ended before it did (killed, crashed): its reps are those stored.
    public var complete: Bool
    public var exercise: String?
    public var durationSeconds: Double?
    public var station: String?
    public var recordingPath: String?
    public var recordingSHA256: String?
    public var reps: [RepRecord]

    public init(
        id: String, person: StoredPerson?, source: String, startedUnixNanoseconds: Int64, endedUnixNanoseconds: Int64?,
        complete: Bool, exercise: String?, durationSeconds: Double?, station: String?, recordingPath: String?,
        recordingSHA256: String?, reps: [RepRecord]
    ) {
        self.id = id
        self.person = person
        self.source = source
        self.startedUnixNanoseconds = startedUnixNanoseconds
        self.endedUnixNanoseconds = endedUnixNanoseconds
        self.complete = complete
        self.exercise = exercise
        self.durationSeconds = durationSeconds
        self.station = station
        self.recordingPath = recordingPath
        self.recordingSHA256 = recordingSHA256
        self.reps = reps
    }

    /// Reps without any fault over all reps; nil without reps.
    public var cleanRepRate: Double? {
        reps.isEmpty ? nil : Double(reps.filter { $0.faults.isEmpty }.count) / Double(reps.count)
    }

    /// The largest lumbar deviation of each set, degrees, by set number (sets without a measured rep left out).
    public var lumbarMaxPerSet: [(set: Int, degrees: Double)] {
        Dictionary(grouping: reps.filter(\.lumbarMeasured), by: \.set).keys.sorted().map { set in
            (set, reps.filter { $0.set == set && $0.lumbarMeasured }.map { Double($0.lumbarMaxDeviationDegrees) }.max()!)
        }
    }

    /// The largest lumbar deviation of the session, degrees; nil when none was measured.
    public var lumbarMax: Double? { lumbarMaxPerSet.map(\.degrees).max() }

    /// Mean leg range of motion, degrees.
    public var meanLegROM: Double? { Self.mean(reps.map { Double($0.legROMDegrees) }.filter(\.isFinite)) }

    /// Mean concentric, hold and eccentric durations, s.
    public var meanTempo: (concentric: Double, hold: Double, eccentric: Double)? {
        guard let c = Self.mean(reps.map(\.concentricDuration)), let h = Self.mean(reps.map(\.holdDuration)),
            let e = Self.mean(reps.map(\.eccentricDuration))
        else { return nil }
        return (c, h, e)
    }

    /// Mean rep duration, s.
    public var meanRepSeconds: Double? { Self.mean(reps.map(\.duration)) }

    static func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }

    public static func == (a: StoredSession, b: StoredSession) -> Bool { a.id == b.id && a.reps == b.reps && a.complete == b.complete }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// The history's queries: the same SQL on SQLite and PostgreSQL.
public enum StoreQueries {
    static let sessionColumns = """
        s.id, s.person_id, p.name, s.source, s.started_unix_ns, s.ended_unix_ns, s.complete, s.exercise, s.duration_s,
        s.station, s.recording_path, s.recording_sha256
        """

    /// Sessions, oldest first, with their reps; only `person`'s when given.
    public static func sessions(_ c: any StoreConnection, person: StoredPerson? = nil) throws(StoreError) -> [StoredSession] {
        let filter = person == nil ? "" : " WHERE s.person_id = ?"
        let args: [StoreValue] = person.map { [.text($0.id)] } ?? []
        let rows = try c.query(StoreStatement(
            "SELECT \(sessionColumns) FROM sessions s LEFT JOIN people p ON p.id = s.person_id\(filter) ORDER BY s.started_unix_ns, s.id",
            args))
        let repRows = try c.query(StoreStatement(
            "SELECT \(RepRow.columns.map { "r." + $0 }.joined(separator: ", ")) FROM reps r JOIN sessions s ON s.id = r.session_id\(filter) ORDER BY r.session_id, r.rep",
            args))
        var reps: [String: [RepRecord]] = [:]
        for row in repRows {
            if let id = row[0].text, let r = RepRow.record(row) { reps[id, default: []].append(r) }
        }
        return rows.compactMap { row -> StoredSession? in
            guard let id = row[0].text, let started = row[4].int else { return nil }
            let person = row[1].text.map { StoredPerson(id: $0, name: row[2].text ?? $0) }
            return StoredSession(
                id: id, person: person, source: row[3].text ?? "", startedUnixNanoseconds: started, endedUnixNanoseconds: row[5].int,
                complete: row[6].int == 1, exercise: row[7].text, durationSeconds: row[8].double, station: row[9].text,
                recordingPath: row[10].text, recordingSHA256: row[11].text, reps: reps[id] ?? [])
        }
    }

    /// Everyone stored, by name, with their number of sessions.
    public static func people(_ c: any StoreConnection) throws(StoreError) -> [(person: StoredPerson, sessions: Int)] {
        try c.query(StoreStatement(
            "SELECT p.id, p.name, COUNT(s.id) FROM people p LEFT JOIN sessions s ON s.person_id = p.id GROUP BY p.id, p.name ORDER BY p.name"
        )).compactMap { row in
            guard let id = row[0].text, let name = row[1].text else { return nil }
            return (StoredPerson(id: id, name: name), Int(row[2].int ?? 0))
        }
    }

    /// The stored person with this name's id, nil when none.
    public static func find(_ c: any StoreConnection, _ person: StoredPerson) throws(StoreError) -> StoredPerson? {
        try c.query(StoreStatement("SELECT id, name FROM people WHERE id = ?", [.text(person.id)])).first.flatMap { row in
            guard let id = row[0].text, let name = row[1].text else { return nil }
            return StoredPerson(id: id, name: name)
        }
    }

    /// Deletes the person and everything stored of them (their right to erasure), in one transaction.
    /// Returns the sessions and reps deleted.
    @discardableResult
    public static func delete(_ c: any StoreConnection, _ person: StoredPerson) throws(StoreError) -> (sessions: Int, reps: Int) {
        var counts = (sessions: 0, reps: 0)
        try c.transaction { db in
            let p = [StoreValue.text(person.id)]
            let sub = "session_id IN (SELECT id FROM sessions WHERE person_id = ?)"
            counts.sessions = Int(try db.query(StoreStatement("SELECT COUNT(*) FROM sessions WHERE person_id = ?", p)).first?.first?.int ?? 0)
            counts.reps = Int(try db.query(StoreStatement("SELECT COUNT(*) FROM reps WHERE \(sub)", p)).first?.first?.int ?? 0)
            for table in ["reps", "sets", "sensors"] { try db.execute(StoreStatement("DELETE FROM \(table) WHERE \(sub)", p)) }
            try db.execute(StoreStatement("DELETE FROM sessions WHERE person_id = ?", p))
            try db.execute(StoreStatement("DELETE FROM people WHERE id = ?", p))
        }
        return counts
    }

    /// Every row of `table` for the person's sessions (or of `people` for the person), as column names and
    /// values, ordered by key: what an export of a person's data holds, and what the tests compare across
    /// databases.
    public static func rows(_ c: any StoreConnection, table: String, person: StoredPerson?) throws(StoreError) -> (columns: [String], rows: [[StoreValue]]) {
        guard let columns = tableColumns[table] else { throw StoreError("no table '\(table)' in the session database \(c.name)") }
        let order = tableKeys[table]!
        let list = columns.joined(separator: ", ")
        let rows: [[StoreValue]]
        switch (table, person) {
        case ("people", let p?):
            rows = try c.query(StoreStatement("SELECT \(list) FROM people WHERE id = ? ORDER BY \(order)", [.text(p.id)]))
        case ("sessions", let p?):
            rows = try c.query(StoreStatement("SELECT \(list) FROM sessions WHERE person_id = ? ORDER BY \(order)", [.text(p.id)]))
        case (_, let p?):
            rows = try c.query(StoreStatement(
                "SELECT \(list) FROM \(table) WHERE session_id IN (SELECT id FROM sessions WHERE person_id = ?) ORDER BY \(order)",
                [.text(p.id)]))
        case (_, nil):
            rows = try c.query(StoreStatement("SELECT \(list) FROM \(table) ORDER BY \(order)"))
        }
        return (columns, rows)
    }

    /// The tables of the current schema, their columns (in schema order) and keys.
    public static let tableColumns: [String: [String]] = [
        "people": ["id", "name", "created_unix_ns"],
        "sessions": [
            "id", "person_id", "source", "started_unix_ns", "ended_unix_ns", "complete", "exercise", "duration_s",
            "threshold_deg", "recording_path", "recording_sha256", "summary", "station",
        ],
        "reps": RepRow.columns,
        "sensors": ["session_id", "sensor", "placement", "details", "samples", "lost_samples"],
        "sets": [
            "session_id", "set_number", "leg", "reps", "faulted_reps", "mean_concentric_s", "mean_hold_s", "mean_eccentric_s",
            "mean_leg_rom_deg", "mean_lumbar_max_deg", "largest_lumbar_max_deg", "lumbar_max_slope_deg_per_rep",
            "tempo_variation_percent",
        ],
    ]
    static let tableKeys = [
        "people": "id", "sessions": "id", "reps": "session_id, rep", "sensors": "session_id, sensor", "sets": "session_id, set_number",
    ]
    /// Tables in the order an export lists them.
    public static let tables = ["people", "sessions", "sensors", "sets", "reps"]
}
