/// One value of a row or a statement parameter, as both databases (SQLite, PostgreSQL) hold it: the schema
/// uses only these four kinds, so the same rows read back the same from either.
public enum StoreValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    /// A finite number, or NULL for NaN and infinities (a measurement that was not made, e.g. the lumbar
    /// fields of a `lumbar_unknown` rep: never stored as a good zero).
    public static func measured(_ v: Double) -> StoreValue { v.isFinite ? .double(v) : .null }
    public static func measured(_ v: Float) -> StoreValue { measured(Double(v)) }
    public static func optional(_ s: String?) -> StoreValue { s.map { .text($0) } ?? .null }
    public static func optional(_ v: Int64?) -> StoreValue { v.map { .int($0) } ?? .null }
    public static func flag(_ b: Bool) -> StoreValue { .int(b ? 1 : 0) }

    public var int: Int64? {
        switch self {
        case .int(let v): v
        case .double(let d) where d.rounded() == d && abs(d) < 9e18: Int64(d)
        default: nil
        }
    }

    public var double: Double? {
        switch self {
        case .double(let d): d
        case .int(let v): Double(v)
        default: nil
        }
    }

    public var text: String? { if case .text(let s) = self { s } else { nil } }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .int(let v): String(v)
        case .double(let d): String(d)
        case .text(let s): "'" + s + "'"
        }
    }
}

/// One SQL statement with its parameters. The SQL uses `?` placeholders (SQLite's); the PostgreSQL
/// connection numbers them (`$1`, `$2`, ...), so both run the same text.
public struct StoreStatement: Sendable, Hashable {
    public var sql: String
    public var arguments: [StoreValue]
    public init(_ sql: String, _ arguments: [StoreValue] = []) {
        self.sql = sql
        self.arguments = arguments
    }
}

/// A failure of the session database, one line naming the database and what was wrong.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    /// True when trying again later may succeed (the database locked, the disk full, the server gone).
    public let isTransient: Bool
    public init(_ message: String, transient: Bool = false) {
        self.message = message
        self.isTransient = transient
    }
    public var description: String { message }
}
