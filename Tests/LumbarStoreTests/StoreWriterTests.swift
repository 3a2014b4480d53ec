import Foundation
import LumbarCore
import LumbarStore
import Testing

/// The writer thread: a database that refuses writes (locked by another process's transaction) is
/// retried, said once, and nothing submitted meanwhile is lost, even past the hand-off's capacity.
struct StoreWriterTests {
    static func rep(_ n: Int) -> RepRecord {
        RepRecord(
            rep: n, set: 1 + n / 5, leg: .left, startTime: Double(n), peakTime: Double(n) + 0.5, endTime: Double(n) + 1,
            concentricDuration: 0.5, holdDuration: 0.2, eccentricDuration: 0.3, legROMDegrees: 40 + Float(n),
            peakLegAngularVelocityDps: 100, lumbarMaxDeviationDegrees: Float(n) / 4, lumbarExtensionDegrees: 1,
            lumbarLateralDegrees: 0, lumbarRotationDegrees: 0, lumbarMoved: false, faults: n % 3 == 0 ? [.tooFast] : [])
    }

    /// Holds a write transaction on `path` from another thread until `release` is signalled.
    final class Blocker: @unchecked Sendable {
        let release = DispatchSemaphore(value: 0)
        let holding = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        init(path: String) throws {
            // @unchecked: the connection is used by the one thread below only.
            final class Box: @unchecked Sendable { let db: SQLiteStore; init(_ db: SQLiteStore) { self.db = db } }
            let box = Box(try SQLiteStore(path: path))
            Thread.detachNewThread { [self] in
                let db = box.db
                try? db.transaction { tx in
                    try tx.execute(StoreStatement("INSERT INTO people (id, name, created_unix_ns) VALUES ('blocker', 'Blocker', 0)"))
                    holding.signal()
                    release.wait()
                    try tx.execute(StoreStatement("DELETE FROM people WHERE id = 'blocker'"))
                }
                db.close()
                finished.signal()
            }
            holding.wait()
        }
        func stop() {
            release.signal()
            finished.wait()
        }
    }

    /// Waits (up to a minute: a correctness wait, not a timing assert) for the writer's first notice.
    static func firstNotices(_ writer: StoreWriter) -> [StoreNotice] {
        for _ in 0..<600 {
            let n = writer.takeNotices()
            if !n.isEmpty { return n }
            usleep(100_000)
        }
        return []
    }

    @Test("a locked database: the failure is said once, writes are retried, and every rep submitted meanwhile is stored")
    func lockedDatabaseIsRetriedAndNothingIsLost() throws {
        let path = scratchFolder("locked") + "/db.sqlite"
        _ = try openSQLite(path)
        let blocker = try Blocker(path: path)
        let writer = StoreWriter(databaseName: "'\(path)'", capacity: 4) { () throws(StoreError) in try openSQLite(path, busyTimeout: 0.05) }
        writer.submit(.begin(StoredSessionStart(id: "s", person: try StoredPerson(name: "Cy"), source: .live, startedUnixNanoseconds: 1)))
        writer.submit(.rep(session: "s", Self.rep(1)))
        let first = Self.firstNotices(writer)
        #expect(first.count == 1 && first[0].isProblem, "\(first)")
        #expect(first.first?.line.contains(path) == true && first.first?.line.contains("nothing measured is lost") == true)
        // More than the hand-off holds, while the database still refuses: kept by the submitter, not dropped.
        for n in 2...40 { writer.submit(.rep(session: "s", Self.rep(n))) }
        usleep(300_000)
        #expect(writer.takeNotices().isEmpty, "the failure is said once, not at every retry")
        blocker.stop()
        let (unstored, _) = writer.close(waitingAtMost: 60)
        #expect(unstored == 0)
        let after = writer.takeNotices()
        #expect(after.count == 1 && !after[0].isProblem && after[0].line.contains("works again"), "\(after)")
        let db = try openSQLite(path)
        let reps = try StoreQueries.sessions(db)[0].reps
        #expect(reps.map(\.rep) == Array(1...40))
        #expect(zip(reps, (1...40).map(Self.rep)).allSatisfy(sameRep))
        #expect(writer.stored.reps == 40)
    }

    @Test("a database that cannot be opened at all: close reports what was not stored and why, in one line")
    func unreachableDatabaseReportsWhatWasNotStored() throws {
        let folder = scratchFolder("unopenable")
        let path = folder + "/file-not-folder"
        FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        let writer = StoreWriter(databaseName: "'\(path)/db.sqlite'") { () throws(StoreError) in try openSQLite(path + "/db.sqlite") }
        writer.submit(.begin(StoredSessionStart(id: "s", person: nil, source: .live, startedUnixNanoseconds: 1)))
        writer.submit(.rep(session: "s", Self.rep(1)))
        let (unstored, failure) = writer.close(waitingAtMost: 2)
        #expect(unstored == 2)
        #expect(failure?.contains(path) == true && failure?.contains("\n") == false, "\(failure ?? "nil")")
    }
}
