#if canImport(Glibc)
import Glibc
#endif

/// Opens the database an address names, migrated to the current schema.
public enum StoreDatabase {
    /// Opens the connection and applies the migrations it lacks.
    ///
    /// - Throws: `StoreError`, one line naming the database.
    public static func open(_ address: StoreAddress) throws(StoreError) -> any StoreConnection {
        let connection: any StoreConnection
        switch address {
        case .sqlite(let path): connection = try SQLiteStore(path: path)
        case .postgres(let a): connection = try PostgresStore(a)
        }
        do {
            try StoreSchema.migrate(connection, now: unixNanoseconds())
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    /// Wall-clock time, ns since 1970.
    public static func unixNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// A new session id: 16 random hex digits (getrandom), unique across stations without coordination.
    public static func newSessionID() -> String {
        var bytes = [UInt8](repeating: 0, count: 8)
        let fd = Glibc.open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        let n = fd < 0 ? -1 : bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, 8) }
        if fd >= 0 { close(fd) }
        if n != 8 {  // no entropy source: time and pid, still unique per process and moment
            var v = UInt64(bitPattern: unixNanoseconds()) ^ (UInt64(getpid()) << 48)
            for i in 0..<8 { bytes[i] = UInt8(v & 0xff); v >>= 8 }
        }
        return "s" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// This machine's name (the station that stored a session).
    public static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, 255) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }
}
