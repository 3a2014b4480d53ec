#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small read-only file helpers for sysfs and config files (no Foundation in the daemon's I/O layer).
enum FileSystem {
    /// The names in directory `path` (no `.`/`..`), sorted; empty when it cannot be read.
    static func entries(of path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// True when something exists at `path` (following symbolic links).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The whole file at `path` as bytes, at most `limit` bytes; nil when it cannot be read.
    static func contents(of path: String, limit: Int = 1 << 20) -> [UInt8]? {
        guard case .success(let fd) = system_open(path, O_RDONLY | O_CLOEXEC) else { return nil }
        defer { system_close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let result = buffer.withUnsafeMutableBytes { system_read(fd, $0) }
            guard case .success(let count) = result else { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        return bytes
    }

    /// A sysfs attribute: the file's text without the trailing newline; nil when absent.
    static func attribute(_ path: String) -> String? {
        guard let bytes = contents(of: path, limit: 4096) else { return nil }
        var text = String(decoding: bytes, as: UTF8.self)
        while let last = text.last, last == "\n" || last == " " { text.removeLast() }
        return text
    }
}
