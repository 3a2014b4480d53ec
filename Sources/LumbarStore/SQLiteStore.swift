#if canImport(Glibc)
import Glibc
#endif
import GRDB

/// The embedded default: a SQLite file through GRDB, in WAL mode (a `lumbar history` reads while a daemon
/// writes) with a busy timeout (two processes writing take turns), foreign keys on, writes in
/// `BEGIN IMMEDIATE` transactions (so a migration's read-then-write cannot interleave with another's).
public final class SQLiteStore: StoreConnection {
    public let name: String
    public var migrationLock: String? { nil }
    private var queue: DatabaseQueue?

    /// Opens (creating it, and its folder, when missing) the database file at `path`.
    ///
    /// - Parameter busyTimeout: how long a write waits for another process's, s.
    /// - Throws: `StoreError` naming the file and what was wrong.
    public init(path: String, busyTimeout: Double = 5) throws(StoreError) {
        name = "'\(path)'"
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try Self.makeDirectories(String(path[..<slash]), for: name)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.journalMode = .wal
        configuration.foreignKeysEnabled = true
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw Self.storeError(error, name: name)
        }
    }

    public func transaction(_ body: (any StoreExecutor) throws -> Void) throws(StoreError) {
        guard let queue else { throw StoreError("Session database \(name) is closed") }
        do {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try body(Executor(db: db))
                    return .commit
                }
            }
        } catch let e as StoreError {
            throw e
        } catch {
            throw Self.storeError(error, name: name)
        }
    }

    public func query(_ statement: StoreStatement) throws(StoreError) -> [[StoreValue]] {
        guard let queue else { throw StoreError("Session database \(name) is closed") }
        do {
            return try queue.read { db in try Executor(db: db).query(statement) }
        } catch {
            throw Self.storeError(error, name: name)
        }
    }

    public func close() {
        try? queue?.close()
        queue = nil
    }

    deinit { close() }

    private struct Executor: StoreExecutor {
        let db: Database
        func execute(_ s: StoreStatement) throws {
            try db.execute(sql: s.sql, arguments: StatementArguments(s.arguments.map(\.databaseValue)))
        }
        func query(_ s: StoreStatement) throws -> [[StoreValue]] {
            try Row.fetchAll(db, sql: s.sql, arguments: StatementArguments(s.arguments.map(\.databaseValue))).map { row in
                row.databaseValues.map { v in
                    switch v.storage {
                    case .null: .null
                    case .int64(let i): .int(i)
                    case .double(let d): .double(d)
                    case .string(let s): .text(s)
                    case .blob(let b): .text(String(decoding: b, as: UTF8.self))
                    }
                }
            }
        }
    }

    /// One line naming the file; busy, locked, full and I/O failures are transient (retried by the writer).
    static func storeError(_ error: any Error, name: String) -> StoreError {
        guard let e = error as? DatabaseError else { return StoreError("Session database \(name): \(error)") }
        let transient: [ResultCode] = [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_READONLY]
        let what = e.message ?? "\(e.resultCode)"
        return StoreError("Session database \(name): \(what) (\(e.resultCode))", transient: transient.contains { $0 == e.resultCode })
    }

    private static func makeDirectories(_ path: String, for name: String) throws(StoreError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw StoreError("Session database \(name): cannot create the folder '\(prefix)': \(String(cString: strerror(errno)))")
            }
        }
    }
}

extension StoreValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .int(let i): i.databaseValue
        case .double(let d): d.databaseValue
        case .text(let s): s.databaseValue
        }
    }
}
