#if canImport(Glibc)
import Glibc
#endif
import LumbarCore
import LumbarIO

/// Which database holds the sessions: a SQLite file (the default, under the user's data directory) or a
/// PostgreSQL server (`postgres://user@host:port/database`). Credentials never come from the command
/// line: a password in a `--database` URL is refused; it comes from the config file's `[database]
/// password` or the environment (`PGPASSWORD`), as libpq's own tools take it.
public enum StoreAddress: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresAddress)

    /// `$XDG_DATA_HOME/lumbar/lumbar.sqlite`, or `~/.local/share/lumbar/lumbar.sqlite`.
    public static func defaultSQLitePath(environment: [String: String]) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/lumbar/lumbar.sqlite" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
        return home + "/.local/share/lumbar/lumbar.sqlite"
    }

    /// The address from `--database` (a path or URL), else the config's `[database] url`, else the default.
    ///
    /// - Parameters:
    ///   - commandLine: true when `text` came from the command line (a password in it is refused there).
    /// - Throws: `StoreError` for a malformed URL or a password on the command line.
    public static func resolve(
        option: String?, config: [ConfigEntry], environment: [String: String]
    ) throws(StoreError) -> StoreAddress {
        let configURL = config.last { $0.key == "url" }?.value
        let password = config.last { $0.key == "password" }?.value ?? environment["PGPASSWORD"]
        guard let text = option ?? configURL else { return .sqlite(path: defaultSQLitePath(environment: environment)) }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            var address = try PostgresAddress(url: text, refusePassword: option != nil)
            if address.password == nil { address.password = password }
            if let user = environment["PGUSER"], address.user == nil { address.user = user }
            return .postgres(address)
        }
        if text.contains("://") {
            throw StoreError("'\(text)' is not a database this lumbar knows (a SQLite file path or postgres://user@host:port/database)")
        }
        return .sqlite(path: text.hasPrefix("sqlite:") ? String(text.dropFirst("sqlite:".count)) : text)
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "'\(path)'"
        case .postgres(let a): a.description
        }
    }
}

/// A PostgreSQL server and database; `description` never shows the password.
public struct PostgresAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var database: String

    public init(host: String, port: Int = 5432, user: String?, password: String?, database: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    /// Parses `postgres://[user[:password]@]host[:port]/database`.
    public init(url: String, refusePassword: Bool) throws(StoreError) {
        let rest = url.split(separator: "://", maxSplits: 1).last.map(String.init) ?? ""
        guard let slash = rest.firstIndex(of: "/") else {
            throw StoreError("'\(url)' names no database (expected postgres://user@host:port/database)")
        }
        let authority = rest[..<slash]
        database = String(rest[rest.index(after: slash)...].prefix { $0 != "?" })
        guard !database.isEmpty else { throw StoreError("'\(url)' names no database (expected postgres://user@host:port/database)") }
        var hostPart = Substring(authority)
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            hostPart = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                if refusePassword {
                    throw StoreError("'--database' must not carry a password (it would show in the process list): put it in the config file's [database] password or PGPASSWORD")
                }
                user = String(credentials[..<colon])
                password = String(credentials[credentials.index(after: colon)...])
            } else {
                user = String(credentials)
            }
        }
        if let colon = hostPart.lastIndex(of: ":") {
            guard let p = Int(hostPart[hostPart.index(after: colon)...]), (1...65535).contains(p) else {
                throw StoreError("'\(url)': '\(hostPart[hostPart.index(after: colon)...])' is not a port")
            }
            port = p
            host = String(hostPart[..<colon])
        } else {
            port = 5432
            host = String(hostPart)
        }
        if host.isEmpty { host = "localhost" }
    }

    public var description: String { "postgres://\(user.map { $0 + "@" } ?? "")\(host):\(port)/\(database)" }
}

/// The process's environment as a dictionary.
public func processEnvironment() -> [String: String] {
    var out: [String: String] = [:]
    var p = environ
    while let entry = p.pointee {
        let s = String(cString: entry)
        if let eq = s.firstIndex(of: "=") { out[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
        p += 1
    }
    return out
}
