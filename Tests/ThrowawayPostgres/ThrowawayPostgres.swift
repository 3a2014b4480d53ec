#if canImport(Glibc)
import Glibc
#endif
import LumbarStore

/// A throwaway PostgreSQL server for tests and `make bench-store`: Debian's `postgresql` binaries (which
/// `make deps` installs), a fresh data folder under /tmp, loopback TCP on a free port plus a Unix socket in
/// the same folder, password (SCRAM) authentication for the `lumbar` role. PostgreSQL refuses to run as
/// root, so as root the server tools run as the `postgres` user (`runuser`), which Debian's package creates.
///
/// Every tool runs through posix_spawn and waitpid with its output in a log file, bounded by `timeout`:
/// no pipe is left open for the server that `pg_ctl start` leaves running, no run loop is spun, and no
/// call waits without a bound. `stop()` (immediate or fast) and `start()` take the server down and up again
/// with its data; `remove()` stops it and deletes the folder.
public final class ThrowawayPostgres: @unchecked Sendable {
    // @unchecked: `running` changes only from the one thread that drives the server (a serialized suite, a bench).
    public let directory: String
    public let port: Int
    public let bin: String
    public let password = "lumbar-test-password"
    public private(set) var running = false
    private let asPostgres: [String]

    /// Why no server can be made here, or nil when Debian's server binaries (and, as root, the `postgres`
    /// user to run them as) are present.
    public static var unavailableReason: String? {
        guard serverBin() != nil else {
            return "no PostgreSQL server binaries under /usr/lib/postgresql (make deps installs Debian's postgresql)"
        }
        if getuid() == 0 && getpwnam("postgres") == nil {
            return "running as root and there is no 'postgres' user to run the server as (Debian's postgresql creates it)"
        }
        return nil
    }

    /// Makes the data folder (initdb), starts the server, and creates the database `lumbar`.
    ///
    /// - Throws: `ThrowawayPostgres.Failure` saying which step failed, with the end of its log.
    public init() throws(Failure) {
        if let reason = Self.unavailableReason { throw Failure(reason) }
        bin = Self.serverBin()!
        asPostgres = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
        var template = Array("/tmp/lumbar-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure("cannot make a folder under /tmp: \(String(cString: strerror(errno)))") }
        directory = String(cString: made)
        guard let free = Self.freeLoopbackPort() else { throw Failure("no free TCP port on 127.0.0.1") }
        port = free
        chmod(directory, 0o777)  // the server (as `postgres`) writes its data, socket and log here
        let pwfile = directory + "/pw"
        guard let f = fopen(pwfile, "w") else { throw Failure("cannot write '\(pwfile)'") }
        fputs(password + "\n", f)
        fclose(f)
        chmod(pwfile, 0o644)
        try tool(["initdb", "-D", directory + "/data", "-U", "lumbar", "--pwfile", pwfile, "--auth", "scram-sha-256",
                  "-E", "UTF8", "--no-locale"], what: "initdb")
        try start()
        try createDatabase("lumbar")
    }

    /// `postgres://lumbar@127.0.0.1:PORT/DATABASE` with the password (as the config file would give it).
    public func address(_ database: String = "lumbar") -> PostgresAddress {
        PostgresAddress(host: "127.0.0.1", port: port, user: "lumbar", password: password, database: database)
    }

    /// Starts the server and waits (at most 60 s) until it accepts connections.
    public func start() throws(Failure) {
        try tool([
            "pg_ctl", "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60",
            "-o", "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        ], what: "pg_ctl start")
        running = true
    }

    /// Stops the server: `immediate` as a crash or a pulled cable would (connections cut, no checkpoint),
    /// `fast` as an administrator would.
    public func stop(immediately: Bool = false) {
        guard running else { return }
        _ = try? tool(["pg_ctl", "-D", directory + "/data", "-m", immediately ? "immediate" : "fast", "-w", "-t", "60", "stop"],
                      what: "pg_ctl stop")
        running = false
    }

    /// A fresh database on the server.
    public func createDatabase(_ name: String) throws(Failure) {
        try tool(["createdb", "-h", "127.0.0.1", "-p", String(port), "-U", "lumbar", name], what: "createdb \(name)")
    }

    /// Stops the server and deletes its folder.
    public func remove() {
        stop()
        _ = try? Self.run(["/bin/rm", "-rf", directory], log: "/dev/null")
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }

    /// Runs one of the server's tools (as `postgres` when root), at most 120 s, PGPASSWORD set.
    private func tool(_ arguments: [String], what: String) throws(Failure) {
        let log = directory + "/tools.log"
        // In /tmp: the `postgres` user may not enter the caller's folder.
        let argv = ["/usr/bin/env", "-C", "/tmp", "/usr/bin/timeout", "-k", "10", "120"] + asPostgres + ["/usr/bin/env", "PGPASSWORD=\(password)", bin + "/" + arguments[0]]
            + arguments.dropFirst()
        let status: Int32
        do { status = try Self.run(argv, log: log) } catch { throw Failure("\(what): \(error)") }
        guard status == 0 else {
            throw Failure("\(what) failed (exit status \(status)): \(Self.tail(log)) | server log: \(Self.tail(directory + "/server.log"))")
        }
    }

    /// Runs `argv` (no shell) to its end, as `spawn` and `wait` do; returns its exit status.
    public static func run(_ argv: [String], log: String) throws(Failure) -> Int32 {
        wait(try spawn(argv, log: log))
    }

    /// Starts `argv` (no shell) with stdin from /dev/null and stdout+stderr appended to `log`.
    public static func spawn(_ argv: [String], log: String) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ)
        guard spawned == 0 else { throw Failure("cannot run \(argv[0]): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// Waits for a spawned process; its exit status (128+N for signal N, -1 when it cannot be waited for).
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return -1 }
        }
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// The last lines of a log file, on one line.
    public static func tail(_ path: String) -> String {
        guard let f = fopen(path, "r") else { return "(no log)" }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes.suffix(600), as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " / ")
    }

    /// The newest /usr/lib/postgresql/N/bin with initdb in it.
    static func serverBin() -> String? {
        guard let dir = opendir("/usr/lib/postgresql") else { return nil }
        defer { closedir(dir) }
        var versions: [Int] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let v = Int(name), access("/usr/lib/postgresql/\(v)/bin/initdb", X_OK) == 0 { versions.append(v) }
        }
        return versions.max().map { "/usr/lib/postgresql/\($0)/bin" }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now (bound to port 0, then released).
    public static func freeLoopbackPort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        a.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &a) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        return ok ? Int(UInt16(bigEndian: a.sin_port)) : nil
    }
}
