/// What the store needs of a database: statements and queries inside one transaction. SQLite (GRDB) and
/// PostgreSQL (postgres-nio) implement it; the schema, migrations, writes and history queries above it are
/// the same text for both.
///
/// Used from one thread at a time (the writer thread, or a command's own thread).
public protocol StoreConnection: AnyObject {
    /// Names the database in messages: the SQLite file's path, or the PostgreSQL URL without its password.
    var name: String { get }
    /// A statement to run first inside the migration transaction so that two processes migrating the same
    /// database at once take turns (PostgreSQL's advisory lock); nil where the transaction already
    /// serialises writers (SQLite's `BEGIN IMMEDIATE`).
    var migrationLock: String? { get }
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction(_ body: (any StoreExecutor) throws -> Void) throws(StoreError)
    /// Rows of a read-only query.
    func query(_ statement: StoreStatement) throws(StoreError) -> [[StoreValue]]
    /// Ends the connection (idempotent).
    func close()
}

/// Statements inside a transaction.
public protocol StoreExecutor {
    func execute(_ statement: StoreStatement) throws
    func query(_ statement: StoreStatement) throws -> [[StoreValue]]
}

extension StoreConnection {
    /// Runs the statements in one transaction.
    public func write(_ statements: [StoreStatement]) throws(StoreError) {
        try transaction { db in for s in statements { try db.execute(s) } }
    }
}
