import Dispatch
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// A clinic's shared database: PostgreSQL through postgres-nio, behind the same `StoreConnection` as SQLite
/// and running the same SQL (the `?` placeholders numbered `$1`, `$2`, ...).
///
/// One connection on NIO's process-wide event loop group (`MultiThreadedEventLoopGroup.singleton`, whose
/// threads live as long as the process and are never shut down by us, so nothing waits for them at exit).
/// The store's callers are plain threads (the writer thread, a command's main thread), so every call waits
/// for postgres-nio's future on the caller's thread, and every wait is bounded: a server that stops
/// answering (stopped, frozen, the network gone) is a transient `StoreError` after `answerTimeout` s, the
/// connection is closed, and the writer opens a new one on its next retry. Waiting on an event loop's
/// own thread would deadlock, so it is refused by a precondition.
///
/// Why bounded: postgres-nio 1.33 never completes a query written to a connection the server has closed
/// (the write's failure is dropped), so an unbounded `wait()` hangs the writer, and a test, for ever once
/// the server restarts. A statement is therefore never sent on a closed connection, and a wait that still
/// outlives `answerTimeout` closes the connection.
public final class PostgresStore: StoreConnection {
    public let name: String
    /// Two processes migrating one database at once take turns (a transaction-scoped advisory lock).
    public var migrationLock: String? { "SELECT pg_advisory_xact_lock(1818583650)" }
    private var connection: PostgresConnection?
    private let logger: Logger
    /// How long one statement, the connection or the close may take before the server counts as gone, s.
    private let answerTimeout: Double

    /// Connects (at most `connectTimeout` s) and authenticates with the address's user and password.
    ///
    /// - Parameter answerTimeout: how long one statement may take before the server counts as gone, s.
    /// - Throws: `StoreError` naming the server (never its password) and what was wrong.
    public init(_ address: PostgresAddress, connectTimeout: Int64 = 5, answerTimeout: Double = 30) throws(StoreError) {
        name = address.description
        self.answerTimeout = answerTimeout
        var logger = Logger(label: "lumbar.store.postgres")
        logger.logLevel = .critical
        self.logger = logger
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user ?? Self.systemUser(), password: address.password,
            database: address.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(connectTimeout)
        let future = PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger)
        do {
            connection = try Self.wait(for: future, seconds: Double(connectTimeout) + 5, name: name, what: "connecting")
        } catch {
            // A connection that arrives after we gave up is closed when it does.
            future.whenSuccess { let _: EventLoopFuture<Void> = $0.close() }
            throw Self.storeError(error, name: name)
        }
    }

    public func transaction(_ body: (any StoreExecutor) throws -> Void) throws(StoreError) {
        let executor = try executor()
        do {
            _ = try executor.run(StoreStatement("BEGIN"))
            try body(executor)
            _ = try executor.run(StoreStatement("COMMIT"))
        } catch {
            _ = try? executor.run(StoreStatement("ROLLBACK"))
            let failure = Self.storeError(error, name: name)
            if failure.isTransient { close() }  // the writer opens a new connection on its retry
            throw failure
        }
    }

    public func query(_ statement: StoreStatement) throws(StoreError) -> [[StoreValue]] {
        let executor = try executor()
        do { return try executor.run(statement) } catch {
            let failure = Self.storeError(error, name: name)
            if failure.isTransient { close() }
            throw failure
        }
    }

    public func close() {
        guard let c = connection else { return }
        connection = nil
        _ = try? Self.wait(for: c.close(), seconds: answerTimeout, name: name, what: "closing")
    }

    deinit { close() }

    private func executor() throws(StoreError) -> Executor {
        guard let connection else { throw StoreError("Session database \(name): the connection was closed", transient: true) }
        return Executor(connection: connection, logger: logger, name: name, timeout: answerTimeout)
    }

    private struct Executor: StoreExecutor {
        let connection: PostgresConnection
        let logger: Logger
        let name: String
        let timeout: Double

        func execute(_ s: StoreStatement) throws { _ = try run(s) }
        func query(_ s: StoreStatement) throws -> [[StoreValue]] { try run(s) }

        func run(_ s: StoreStatement) throws -> [[StoreValue]] {
            // postgres-nio writes a query to a channel that has closed (the server stopped or restarted)
            // without failing the query's promise, so its future would never complete: ask first. A close
            // between this check and the write is caught by the bounded wait below.
            guard !connection.isClosed else {
                throw StoreError("Session database \(name): the server closed the connection", transient: true)
            }
            var binds = PostgresBindings(capacity: s.arguments.count)
            for a in s.arguments {
                switch a {
                case .null: binds.appendNull()
                case .int(let i): binds.append(i)
                case .double(let d): binds.append(d)
                case .text(let t): binds.append(t)
                }
            }
            let future = connection.query(PostgresQuery(unsafeSQL: PostgresStore.numbered(s.sql), binds: binds), logger: logger)
            let result = try PostgresStore.wait(for: future, seconds: timeout, name: name, what: "waiting for an answer") {
                let _: EventLoopFuture<Void> = connection.close()
            }
            return try result.rows.map { row in try row.map(PostgresStore.value) }
        }
    }

    /// The future's value, waited for on this (non-event-loop) thread for at most `seconds`; on time-out
    /// `onTimeout` runs and a transient `StoreError` is thrown.
    static func wait<T>(
        for future: EventLoopFuture<T>, seconds: Double, name: String, what: String, onTimeout: () -> Void = {}
    ) throws -> T {
        precondition(MultiThreadedEventLoopGroup.currentEventLoop == nil, "PostgresStore must not wait on an event loop's thread")
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        future.whenComplete { result in
            box.set(result)
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success, let result = box.get() else {
            onTimeout()
            throw StoreError("Session database \(name): no answer for \(Int(seconds)) s while \(what)", transient: true)
        }
        return try result.get()
    }

    /// A result handed from an event loop to the waiting thread.
    private final class ResultBox<T>: @unchecked Sendable {
        // @unchecked: written once by the event loop before the semaphore is signalled, read only after a
        // successful wait on it (the semaphore orders the two); after a timed-out wait it is never read.
        private var result: Result<T, any Error>?
        func set(_ r: Result<T, any Error>) { result = r }
        func get() -> Result<T, any Error>? { result }
    }

    /// The SQL with each `?` replaced by `$1`, `$2`, ... (the store's SQL has no `?` inside literals).
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        for c in sql {
            if c == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// A cell as a store value: integers of any width as `.int`, floats as `.double`, text as `.text`; the
    /// schema's four kinds only.
    static func value(_ cell: PostgresCell) throws -> StoreValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .int(try cell.decode(Int64.self))
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .void: return .null
        case .text, .varchar, .bpchar, .name: return .text(try cell.decode(String.self))
        default:  // the schema has none (NUMERIC would come from SUM/AVG over integers: the store's SQL casts)
            throw StoreError("column '\(cell.columnName)' has PostgreSQL type \(cell.dataType), which the session database does not use")
        }
    }

    /// One line naming the server: the server's own message (SQLSTATE), or what the connection said.
    /// Connection failures and the server shutting down or refusing for lack of resources are transient.
    static func storeError(_ error: any Error, name: String) -> StoreError {
        if let e = error as? StoreError { return e }
        guard let p = error as? PSQLError else { return StoreError("Session database \(name): \(error)", transient: true) }
        if let message = p.serverInfo?[.message] {
            let state = p.serverInfo?[.sqlState] ?? ""
            // 08: connection exception, 53: insufficient resources, 57P: shut down, 40001/40P01: retry the transaction.
            let transient = state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P") || state == "40001" || state == "40P01"
            let line = "\(message) (SQLSTATE \(state))".split(whereSeparator: \.isNewline).joined(separator: " ")
            return StoreError("Session database \(name): \(line)", transient: transient)
        }
        var what = "\(p.code)"
        if let underlying = p.underlying { what += ": \(underlying)" }
        return StoreError("Session database \(name): \(what.split(whereSeparator: \.isNewline).joined(separator: " "))", transient: true)
    }

    /// The user name libpq would use without one: $PGUSER, else $USER, else "postgres".
    static func systemUser() -> String {
        let env = processEnvironment()
        return env["PGUSER"] ?? env["USER"] ?? "postgres"
    }
}
