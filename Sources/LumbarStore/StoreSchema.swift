/// The session database's one schema, as versioned migrations that both SQLite and PostgreSQL run
/// unchanged (types: TEXT, INTEGER, BIGINT, DOUBLE PRECISION; no autoincrement: every key is chosen
/// by Lumbar, so the same session gives the same rows in either database).
///
/// A migration is never edited once released: a change of schema is a new one at the end. The applied
/// versions are the rows of `schema_migrations`.
public enum StoreSchema {
    public struct Migration: Sendable {
        public var version: Int
        public var name: String
        public var statements: [String]
    }

    /// Every migration, oldest first.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "people, sessions, reps, sensors", statements: [
            """
            CREATE TABLE people (
                id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_unix_ns BIGINT NOT NULL)
            """,
            """
            CREATE TABLE sessions (
                id TEXT PRIMARY KEY, person_id TEXT REFERENCES people(id), source TEXT NOT NULL,
                started_unix_ns BIGINT NOT NULL, ended_unix_ns BIGINT, complete INTEGER NOT NULL DEFAULT 0,
                exercise TEXT, duration_s DOUBLE PRECISION, threshold_deg DOUBLE PRECISION,
                recording_path TEXT, recording_sha256 TEXT, summary TEXT)
            """,
            """
            CREATE TABLE reps (
                session_id TEXT NOT NULL REFERENCES sessions(id), rep INTEGER NOT NULL, set_number INTEGER NOT NULL,
                leg TEXT NOT NULL, start_s DOUBLE PRECISION NOT NULL, peak_s DOUBLE PRECISION NOT NULL,
                end_s DOUBLE PRECISION NOT NULL, concentric_s DOUBLE PRECISION NOT NULL,
                hold_s DOUBLE PRECISION NOT NULL, eccentric_s DOUBLE PRECISION NOT NULL,
                leg_rom_deg DOUBLE PRECISION, peak_leg_dps DOUBLE PRECISION, lumbar_max_deg DOUBLE PRECISION,
                lumbar_extension_deg DOUBLE PRECISION, lumbar_lateral_deg DOUBLE PRECISION,
                lumbar_rotation_deg DOUBLE PRECISION, lumbar_moved INTEGER NOT NULL, faults TEXT NOT NULL,
                PRIMARY KEY (session_id, rep))
            """,
            """
            CREATE TABLE sensors (
                session_id TEXT NOT NULL REFERENCES sessions(id), sensor TEXT NOT NULL, placement TEXT NOT NULL,
                details TEXT NOT NULL, PRIMARY KEY (session_id, sensor))
            """,
        ]),
        Migration(version: 2, name: "sets, station, sensor statistics, history index", statements: [
            """
            CREATE TABLE sets (
                session_id TEXT NOT NULL REFERENCES sessions(id), set_number INTEGER NOT NULL, leg TEXT NOT NULL,
                reps INTEGER NOT NULL, faulted_reps INTEGER NOT NULL, mean_concentric_s DOUBLE PRECISION,
                mean_hold_s DOUBLE PRECISION, mean_eccentric_s DOUBLE PRECISION, mean_leg_rom_deg DOUBLE PRECISION,
                mean_lumbar_max_deg DOUBLE PRECISION, largest_lumbar_max_deg DOUBLE PRECISION,
                lumbar_max_slope_deg_per_rep DOUBLE PRECISION, tempo_variation_percent DOUBLE PRECISION,
                PRIMARY KEY (session_id, set_number))
            """,
            "ALTER TABLE sessions ADD COLUMN station TEXT",
            "ALTER TABLE sensors ADD COLUMN samples BIGINT",
            "ALTER TABLE sensors ADD COLUMN lost_samples BIGINT",
            "CREATE INDEX sessions_by_person ON sessions (person_id, started_unix_ns)",
        ]),
    ]

    /// The newest schema version.
    public static var currentVersion: Int { migrations.last!.version }

    static let bookkeeping = StoreStatement(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_unix_ns BIGINT NOT NULL)")

    /// Brings the database up to `version` (default: the newest), each migration in the same transaction
    /// as its bookkeeping row, all of them in one transaction. Returns the versions applied now.
    ///
    /// - Throws: `StoreError` naming the database; a database newer than this program is refused.
    @discardableResult
    public static func migrate(_ connection: any StoreConnection, upTo version: Int = currentVersion, now: Int64) throws(StoreError) -> [Int] {
        var applied: [Int] = []
        var newer: Int?
        try connection.transaction { db in
            if let lock = connection.migrationLock { _ = try db.query(StoreStatement(lock)) }
            try db.execute(bookkeeping)
            let done = Set(try db.query(StoreStatement("SELECT version FROM schema_migrations")).compactMap { $0.first?.int }.map(Int.init))
            if let top = done.max(), top > currentVersion { newer = top; return }
            for m in migrations where m.version <= version && !done.contains(m.version) {
                for sql in m.statements { try db.execute(StoreStatement(sql)) }
                try db.execute(StoreStatement(
                    "INSERT INTO schema_migrations (version, name, applied_unix_ns) VALUES (?, ?, ?)",
                    [.int(Int64(m.version)), .text(m.name), .int(now)]))
                applied.append(m.version)
            }
        }
        if let newer {
            throw StoreError("Session database \(connection.name) has schema version \(newer), newer than this lumbar knows (\(currentVersion)): update lumbar.")
        }
        return applied
    }

    /// The schema version the database is at (0 for an empty database).
    public static func version(of connection: any StoreConnection) throws(StoreError) -> Int {
        var v = 0
        try connection.transaction { db in
            try db.execute(bookkeeping)
            v = Int(try db.query(StoreStatement("SELECT MAX(version) FROM schema_migrations")).first?.first?.int ?? 0)
        }
        return v
    }
}
