import Foundation
import LumbarCore
import LumbarSession
import LumbarStore
import Testing

/// The session database on SQLite: what a session stores reads back the same, migrations, people.
struct SQLiteStoreTests {
    @Test("a replayed session is stored whole: every rep reads back field for field, sets, sensors and summary, marked complete")
    func aStoredSessionReadsBackFieldForField() throws {
        let path = scratchFolder("roundtrip") + "/db.sqlite"
        let ann = try StoredPerson(name: "Ann Smith")
        let reps = try storeDemo("fatigue-back-kick", id: "s1", person: ann) { () throws(StoreError) in try openSQLite(path) }
        let db = try openSQLite(path)
        let sessions = try StoreQueries.sessions(db, person: ann)
        #expect(sessions.count == 1)
        let s = try #require(sessions.first)
        #expect(s.complete && s.exercise == "back_kick" && s.person == ann && s.station == "test-station")
        #expect(s.reps.count == reps.count && reps.count == 10)
        #expect(zip(s.reps, reps).allSatisfy(sameRep))
        let sets = try StoreQueries.rows(db, table: "sets", person: ann).rows
        #expect(sets.count == Set(reps.map(\.set)).count)
        let sensors = try StoreQueries.rows(db, table: "sensors", person: ann).rows
        #expect(sensors.count == 2 && sensors.allSatisfy { ($0[4].int ?? 0) > 1000 }, "sensor facts carry their sample counts")
        let summary = try db.query(StoreStatement("SELECT summary FROM sessions WHERE id = 's1'")).first?.first?.text ?? ""
        #expect(summary.contains("10 reps") || summary.contains("reps"), "the summary text is stored")
    }

    @Test("a rep whose lumbar sensor gave nothing is stored with NULL lumbar values, never as a good zero")
    func unmeasuredLumbarIsNull() throws {
        let path = scratchFolder("null") + "/db.sqlite"
        var rep = RepRecord(
            rep: 1, set: 1, leg: .left, startTime: 1, peakTime: 2, endTime: 3, concentricDuration: 1, holdDuration: 0.5,
            eccentricDuration: 0.5, legROMDegrees: 40, peakLegAngularVelocityDps: 90, lumbarMaxDeviationDegrees: .nan,
            lumbarExtensionDegrees: .nan, lumbarLateralDegrees: .nan, lumbarRotationDegrees: .nan, lumbarMoved: false,
            faults: [.lumbarUnknown])
        let db = try openSQLite(path)
        try db.write(StoreRecord.begin(StoredSessionStart(id: "s", person: nil, source: .live, startedUnixNanoseconds: 5)).statements)
        try db.write(StoreRecord.rep(session: "s", rep).statements)
        rep.rep = 2
        rep.lumbarMaxDeviationDegrees = 0
        try db.write(StoreRecord.rep(session: "s", rep).statements)
        let values = try db.query(StoreStatement("SELECT lumbar_max_deg FROM reps ORDER BY rep")).map { $0[0] }
        #expect(values == [.null, .double(0)])
        let back = try StoreQueries.sessions(db)[0].reps
        #expect(!back[0].lumbarMeasured && back[1].lumbarMeasured)
    }

    @Test("writing a record twice (a retry after an unknown outcome) leaves the same rows")
    func recordsAreIdempotent() throws {
        let db = try openSQLite(scratchFolder("idem") + "/db.sqlite")
        let ann = try StoredPerson(name: "ann")
        let begin = StoreRecord.begin(StoredSessionStart(id: "s", person: ann, source: .live, startedUnixNanoseconds: 5))
        let rep = StoreRecord.rep(session: "s", RepRecord(
            rep: 1, set: 1, leg: .right, startTime: 1, peakTime: 2, endTime: 3, concentricDuration: 1, holdDuration: 0.5,
            eccentricDuration: 0.5, legROMDegrees: 40, peakLegAngularVelocityDps: 90, lumbarMaxDeviationDegrees: 3,
            lumbarExtensionDegrees: 2, lumbarLateralDegrees: 1, lumbarRotationDegrees: 1, lumbarMoved: false, faults: []))
        try db.write(begin.statements + rep.statements)
        let once = try StoreQueries.tables.map { try StoreQueries.rows(db, table: $0, person: nil).rows }
        try db.write(begin.statements + rep.statements)
        let twice = try StoreQueries.tables.map { try StoreQueries.rows(db, table: $0, person: nil).rows }
        #expect(once == twice && once[4].count == 1)
    }

    @Test("a database at schema 1 with sessions in it is migrated to the current schema and keeps every row")
    func migratesFromAnOlderSchema() throws {
        let path = scratchFolder("migrate") + "/old.sqlite"
        do {
            let old = try SQLiteStore(path: path)
            #expect(try StoreSchema.migrate(old, upTo: 1, now: 1) == [1])
            try old.write([
                StoreStatement("INSERT INTO people (id, name, created_unix_ns) VALUES ('p1', 'Bo', 1)"),
                StoreStatement("INSERT INTO sessions (id, person_id, source, started_unix_ns, complete) VALUES ('old', 'p1', 'live', 7, 1)"),
                StoreStatement("""
                    INSERT INTO reps VALUES ('old', 1, 1, 'left', 1, 2, 3, 1, 0.5, 0.5, 40, 90, 6.5, 6, 1, 1, 1, 'lumbar_extension')
                    """),
            ])
            #expect(try StoreSchema.version(of: old) == 1)
            old.close()
        }
        let db = try SQLiteStore(path: path)
        #expect(try StoreSchema.migrate(db, now: 2) == [2])
        #expect(try StoreSchema.version(of: db) == StoreSchema.currentVersion)
        #expect(try StoreSchema.migrate(db, now: 3) == [], "a second open applies nothing")
        let s = try StoreQueries.sessions(db)
        #expect(s.count == 1 && s[0].person?.name == "Bo" && s[0].reps.count == 1 && s[0].reps[0].faults == [.lumbarExtension])
        #expect(s[0].station == nil, "a column added by migration 2 is empty for the older rows")
        // The newer schema takes new rows in the migrated database.
        try db.write(StoreRecord.sensor(session: "old", StoredSensor(sensor: "a", placement: "lumbar", samples: 9)).statements)
        #expect(try StoreQueries.rows(db, table: "sensors", person: nil).rows.count == 1)
    }

    @Test("a database newer than this lumbar is refused in one line naming it")
    func refusesANewerSchema() throws {
        let path = scratchFolder("newer") + "/db.sqlite"
        let db = try openSQLite(path)
        try db.write([StoreStatement("INSERT INTO schema_migrations VALUES (99, 'future', 1)")])
        #expect(throws: StoreError.self) { try StoreSchema.migrate(db, now: 1) }
        do { try StoreSchema.migrate(db, now: 1) } catch {
            #expect(error.message.contains(path) && error.message.contains("99") && !error.message.contains("\n"))
        }
    }

    @Test("a file that is not a database is one line naming it")
    func notADatabaseIsOneLine() throws {
        let path = scratchFolder("garbage") + "/db.sqlite"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        do {
            _ = try StoreDatabase.open(.sqlite(path: path))
            Issue.record("a text file opened as a database")
        } catch {
            #expect(error.message.contains(path) && !error.message.contains("\n"), "\(error.message)")
        }
    }

    @Test("a person is the same whatever the case and spacing of the name; deleting them removes every row of theirs and nothing else")
    func peopleAreStableAndDeletable() throws {
        #expect(try StoredPerson(name: " Ann   Smith ").id == StoredPerson(name: "ann smith").id)
        #expect(try StoredPerson(name: "Ann Smith").id != StoredPerson(name: "Ann Smyth").id)
        #expect(throws: StoreError.self) { try StoredPerson(name: "  ") }
        let path = scratchFolder("people") + "/db.sqlite"
        let ann = try StoredPerson(name: "Ann"), bo = try StoredPerson(name: "Bo")
        try storeDemo("clean-back-kick", id: "a1", person: ann) { () throws(StoreError) in try openSQLite(path) }
        try storeDemo("fatigue-back-kick", id: "b1", person: bo) { () throws(StoreError) in try openSQLite(path) }
        let db = try openSQLite(path)
        let json = try PersonExport.json(db, person: ann)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((object?["reps"] as? [Any])?.count == 8 && (object?["sessions"] as? [Any])?.count == 1)
        #expect(!json.contains("\"b1\""), "the export holds Ann's rows only")
        let deleted = try StoreQueries.delete(db, ann)
        #expect(deleted.sessions == 1 && deleted.reps == 8)
        for table in StoreQueries.tables {
            #expect(try StoreQueries.rows(db, table: table, person: ann).rows.isEmpty, "\(table) still holds Ann's rows")
        }
        #expect(try StoreQueries.find(db, ann) == nil)
        #expect(try StoreQueries.sessions(db, person: bo).first?.reps.count == 10, "Bo's session is untouched")
    }
}
