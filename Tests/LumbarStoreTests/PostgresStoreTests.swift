import Foundation
import LumbarCore
import LumbarStore
import Testing
import ThrowawayPostgres

/// Starts one throwaway PostgreSQL server around the suite and stops it (and deletes its folder) after the
/// suite's last test, however that test ended; the tests find it in `ThrowawayServer.current`.
struct ThrowawayServer: SuiteTrait, TestScoping {
    @TaskLocal static var current: ThrowawayPostgres?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try ThrowawayPostgres()
        defer { server.remove() }
        try await Self.$current.withValue(server) { try await function() }
    }

    /// Why the PostgreSQL tests cannot run here (printed once as SKIP), or nil. Under CI (`CI` set) a
    /// missing server is not a reason: the tests run and fail, since `make deps` must have installed it.
    static let skipReason: String? = {
        guard let reason = ThrowawayPostgres.unavailableReason, ProcessInfo.processInfo.environment["CI"] == nil else { return nil }
        FileHandle.standardError.write(Data("SKIP PostgreSQL store tests: \(reason)\n".utf8))
        return reason
    }()
}

/// The session database on a real PostgreSQL server (Debian's, started in a throwaway folder by the suite):
/// the same schema, migrations and queries as SQLite, the same rows for the same session, two daemons
/// storing at once, the server stopped mid-session and started again, migrations from an older schema.
@Suite(.serialized, .enabled(if: ThrowawayServer.skipReason == nil, "PostgreSQL cannot start here (the reason is printed as SKIP)"),
       ThrowawayServer())
struct PostgresStoreTests {
    static var server: ThrowawayPostgres { ThrowawayServer.current! }

    /// A fresh database on the server, for one test.
    static func database(_ tag: String) throws -> PostgresAddress {
        let name = "t_\(tag)_\(UUID().uuidString.prefix(8).lowercased())"
        try server.createDatabase(name)
        return server.address(name)
    }

    static func open(_ a: PostgresAddress) throws(StoreError) -> any StoreConnection { try StoreDatabase.open(.postgres(a)) }

    @Test("the same sessions give the same rows in SQLite and PostgreSQL, table by table, and the same history, people and export")
    func sameRowsAsSQLite() throws {
        let pg = try Self.database("same")
        let sqlitePath = scratchFolder("same") + "/db.sqlite"
        let ann = try StoredPerson(name: "Ann")
        let bo = try StoredPerson(name: "Bo")
        for (i, name) in ["fatigue-back-kick", "unplugged-ankle", "clean-back-kick"].enumerated() {
            let person = i == 2 ? bo : ann
            let start = 1_764_000_000_000_000_000 + Int64(i) * 604_800_000_000_000  // a week apart
            try storeDemo(name, id: "s-\(name)", person: person, startedUnixNanoseconds: start) { () throws(StoreError) in try Self.open(pg) }
            try storeDemo(name, id: "s-\(name)", person: person, startedUnixNanoseconds: start) { () throws(StoreError) in
                try openSQLite(sqlitePath)
            }
        }
        let a = try Self.open(pg), b = try openSQLite(sqlitePath)
        for table in StoreQueries.tables {
            let ra = try StoreQueries.rows(a, table: table, person: nil), rb = try StoreQueries.rows(b, table: table, person: nil)
            #expect(!ra.rows.isEmpty, "\(table) is empty")
            #expect(ra.columns == rb.columns, "\(table) columns differ")
            // Every value is the session's own (times given, ids chosen by Lumbar), so every cell matches exactly.
            #expect(ra.rows == rb.rows, "\(table) differs")
        }
        #expect(try StoreQueries.sessions(a).count == 3)
        #expect(try StoreQueries.sessions(a) == StoreQueries.sessions(b))
        #expect(HistoryReport.text(try StoreQueries.sessions(a, person: ann), person: ann)
            == HistoryReport.text(try StoreQueries.sessions(b, person: ann), person: ann))
        #expect(try StoreQueries.people(a).map { "\($0.person.id) \($0.person.name) \($0.sessions)" }
            == StoreQueries.people(b).map { "\($0.person.id) \($0.person.name) \($0.sessions)" })
        let deletedA = try StoreQueries.delete(a, bo), deletedB = try StoreQueries.delete(b, bo)
        #expect(deletedA == deletedB && deletedA.sessions == 1 && deletedA.reps > 0)
        #expect(try StoreQueries.people(a).map(\.person) == [ann])
    }

    @Test("two lumbar processes storing into one fresh PostgreSQL database at once: both migrate in turn, both sessions whole, one person")
    func twoDaemonsAtOnce() throws {
        let pg = try Self.database("two")
        let lumbar = packageRoot + "/.build/debug/lumbar"
        try #require(FileManager.default.isExecutableFile(atPath: lumbar), "'\(lumbar)' is missing: swift build first")
        var url = pg
        url.password = nil  // never on the command line: PGPASSWORD, as a clinic's station would have it
        let log = scratchFolder("two")
        var pids: [pid_t] = []
        for (i, demo) in ["fatigue-back-kick", "clean-back-kick"].enumerated() {
            pids.append(try ThrowawayPostgres.spawn(
                ["/usr/bin/env", "PGPASSWORD=\(Self.server.password)", lumbar, "export", "\(packageRoot)/recordings/\(demo).lrec",
                 "--store", "--person", "Bo", "--database", url.description],
                log: "\(log)/mat\(i + 1).log"))
        }
        let statuses = pids.map(ThrowawayPostgres.wait)
        #expect(statuses == [0, 0], "\(ThrowawayPostgres.tail("\(log)/mat1.log")) | \(ThrowawayPostgres.tail("\(log)/mat2.log"))")
        let db = try Self.open(pg)
        let sessions = try StoreQueries.sessions(db)
        #expect(sessions.count == 2 && sessions.allSatisfy { $0.complete && $0.person?.name == "Bo" })
        // Each session holds the reps its own recording gives (the bundled fatigue set has 10).
        #expect(sessions.first { $0.recordingPath?.hasSuffix("fatigue-back-kick.lrec") == true }?.reps.count == 10)
        #expect(sessions.allSatisfy { !$0.reps.isEmpty && $0.reps.map(\.rep) == Array(1...$0.reps.count) })
        #expect(try StoreQueries.people(db).count == 1)
        #expect(try db.query(StoreStatement("SELECT COUNT(*) FROM schema_migrations")).first?.first?.int == Int64(StoreSchema.currentVersion))
        // The history command reads the same server.
        let historyLog = "\(log)/history.log"
        let status = try ThrowawayPostgres.run(
            ["/usr/bin/env", "PGPASSWORD=\(Self.server.password)", lumbar, "history", "--person", "bo", "--database", url.description],
            log: historyLog)
        let history = try String(contentsOfFile: historyLog, encoding: .utf8)
        #expect(status == 0 && history.contains(HistoryReport.text(sessions, person: sessions[0].person)), "\(history)")
    }

    @Test("the server stopped mid-session and started again: the failure said once, the recovery once, every rep stored in order")
    func serverStoppedMidSession() throws {
        let pg = try Self.database("stop")
        let writer = StoreWriter(databaseName: pg.description) { () throws(StoreError) in
            let c = try PostgresStore(pg, connectTimeout: 2, answerTimeout: 10)
            try StoreSchema.migrate(c, now: 1)
            return c
        }
        writer.submit(.begin(StoredSessionStart(id: "s", person: try StoredPerson(name: "Cy"), source: .live, startedUnixNanoseconds: 1)))
        for n in 1...5 { writer.submit(.rep(session: "s", StoreWriterTests.rep(n))) }
        let db0 = try Self.open(pg)
        for _ in 0..<600 where (try? StoreQueries.sessions(db0).first?.reps.count) != 5 { usleep(100_000) }  // a correctness wait
        db0.close()
        #expect(writer.takeNotices().isEmpty)
        Self.server.stop(immediately: true)
        for n in 6...20 { writer.submit(.rep(session: "s", StoreWriterTests.rep(n))) }
        let said = StoreWriterTests.firstNotices(writer)
        #expect(said.count == 1 && said[0].isProblem && said[0].line.contains(pg.description), "\(said)")
        #expect(!said.contains { $0.line.contains(Self.server.password) }, "the password is never said")
        for n in 21...30 { writer.submit(.rep(session: "s", StoreWriterTests.rep(n))) }
        usleep(500_000)
        #expect(writer.takeNotices().isEmpty, "the failure is said once, not at every retry")
        try Self.server.start()
        let (unstored, failure) = writer.close(waitingAtMost: 120)
        #expect(unstored == 0, "\(failure ?? "")")
        let after = writer.takeNotices()
        #expect(after.count == 1 && !after[0].isProblem && after[0].line.contains("works again"), "\(after)")
        let db = try Self.open(pg)
        let reps = try StoreQueries.sessions(db).first?.reps ?? []
        #expect(reps.map(\.rep) == Array(1...30))
        #expect(zip(reps, (1...30).map(StoreWriterTests.rep)).allSatisfy(sameRep))
    }

    @Test("a statement on a connection the server has closed fails at once as transient (postgres-nio would never answer it)")
    func closedConnectionFailsAtOnce() throws {
        let pg = try Self.database("closed")
        let c = try PostgresStore(pg, answerTimeout: 120)
        #expect(try c.query(StoreStatement("SELECT 1")) == [[.int(1)]])
        Self.server.stop(immediately: true)
        try Self.server.start()
        do {
            _ = try c.query(StoreStatement("SELECT 1"))
            Issue.record("a query on a closed connection answered")
        } catch {
            #expect(error.isTransient && error.message.contains("closed the connection"), "\(error.message)")
        }
        let again = try PostgresStore(pg)
        #expect(try again.query(StoreStatement("SELECT 2")) == [[.int(2)]], "a new connection works")
    }

    @Test("a PostgreSQL database at schema 1 with a session in it is migrated to the current schema and keeps its rows")
    func migratesFromAnOlderSchema() throws {
        let pg = try Self.database("mig")
        do {
            let old = try PostgresStore(pg)
            #expect(try StoreSchema.migrate(old, upTo: 1, now: 1) == [1])
            try old.write([
                StoreStatement("INSERT INTO people (id, name, created_unix_ns) VALUES ('p1', 'Bo', 1)"),
                StoreStatement("INSERT INTO sessions (id, person_id, source, started_unix_ns, complete) VALUES ('old', 'p1', 'live', 7, 0)"),
                StoreStatement("INSERT INTO reps VALUES ('old', 1, 1, 'left', 1, 2, 3, 1, 0.5, 0.5, 40, 90, NULL, NULL, NULL, NULL, 0, 'lumbar_unknown')"),
            ])
            #expect(try StoreSchema.version(of: old) == 1)
            old.close()
        }
        let db = try PostgresStore(pg)
        #expect(try StoreSchema.migrate(db, now: 2) == [2])
        #expect(try StoreSchema.migrate(db, now: 3) == [], "a migrated database is left alone")
        #expect(try StoreSchema.version(of: db) == StoreSchema.currentVersion)
        let s = try StoreQueries.sessions(db)
        #expect(s.count == 1 && !s[0].complete && s[0].person?.name == "Bo" && s[0].reps.count == 1 && !s[0].reps[0].lumbarMeasured)
        try db.write([StoreStatement("INSERT INTO schema_migrations VALUES (99, 'future', 4)")])
        #expect(throws: StoreError.self) { try StoreSchema.migrate(db, now: 5) }
    }

    @Test("a wrong password and a server that is not there are one line each, naming the server without the password")
    func failuresAreOneLine() throws {
        var wrong = Self.server.address()
        wrong.password = "not-it"
        var nowhere = Self.server.address()
        nowhere.port = Int(ThrowawayPostgres.freeLoopbackPort() ?? 1)
        for a in [wrong, nowhere] {
            do {
                _ = try PostgresStore(a, connectTimeout: 2)
                Issue.record("connected to \(a)")
            } catch {
                #expect(error.message.contains(a.description) && !error.message.contains("\n") && !error.message.contains("not-it"),
                        "\(error.message)")
            }
        }
    }
}
