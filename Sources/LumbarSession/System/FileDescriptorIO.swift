#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore

/// The one place LumbarSession makes file syscalls: open, read, write-all, fsync, close, with errno
/// turned into a readable reason.
package enum FileDescriptorIO {
    /// Opens `path` for reading.
    static func openForReading(_ path: String) -> Result<Int32, Errno> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        return fd >= 0 ? .success(fd) : .failure(Errno(errno))
    }

    /// Opens `path` for writing, creating it (mode 0644) and truncating it.
    static func openForWriting(_ path: String) -> Result<Int32, Errno> {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        return fd >= 0 ? .success(fd) : .failure(Errno(errno))
    }

    /// Creates a file that must not replace an existing one (a recording): `path` itself when it does not
    /// exist, else the first free numbered name (`session.lrec` → `session-1.lrec`, `session-2.lrec`, …).
    /// A path that exists but is no regular file (`/dev/full`, a pipe) is opened as it is. With `overwrite`,
    /// an existing file is truncated instead.
    ///
    /// - Returns: the descriptor and the path it was created under.
    static func createUnused(_ path: String, overwrite: Bool) -> Result<(fd: Int32, path: String), Errno> {
        if overwrite {
            return openForWriting(path).map { ($0, path) }
        }
        for number in 0...9999 {
            let candidate = number == 0 ? path : numbered(path, number)
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { return .success((fd, candidate)) }
            guard errno == EEXIST else { return .failure(Errno(errno)) }
            var st = stat()
            if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG {
                let fd = open(candidate, O_WRONLY | O_CLOEXEC)
                return fd >= 0 ? .success((fd, candidate)) : .failure(Errno(errno))
            }
        }
        return .failure(Errno(EEXIST))
    }

    /// `dir/name-N.ext` for `dir/name.ext` (`name-N` without an extension).
    static func numbered(_ path: String, _ number: Int) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        if let dot = path[slash...].lastIndex(of: "."), dot > slash {
            return String(path[..<dot]) + "-\(number)" + String(path[dot...])
        }
        return path + "-\(number)"
    }

    /// True when `a` and `b` name the same existing file (same device and inode, whatever the spelling).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// True when `path` is a regular file that starts with the recording magic's first 7 bytes (never opens
    /// a pipe or device, which could block or consume input).
    static func isRecording(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, case .success(let fd) = openForReading(path) else {
            return false
        }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 7)
        let n = head.withUnsafeMutableBytes { b in (try? read(fd, into: b.baseAddress!, count: 7).get()) ?? 0 }
        return n == 7 && head == Array(RecordingFormat.magic[0..<7])
    }

    /// Reads up to `count` bytes into `buffer`; 0 at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Result<Int, Errno> {
        while true {
            let n = Glibc.read(fd, buffer, count)
            if n >= 0 { return .success(n) }
            if errno == EINTR { continue }
            return .failure(Errno(errno))
        }
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Void, Errno> {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return .failure(Errno(n == 0 ? EIO : errno))
            }
        }
        return .success(())
    }

    /// Forces written data to stable storage; devices that cannot sync (pipes, /dev/null) are fine.
    static func sync(_ fd: Int32) -> Result<Void, Errno> {
        if fsync(fd) == 0 || errno == EINVAL || errno == EROFS { return .success(()) }
        return .failure(Errno(errno))
    }

    /// The size of the open file, bytes (nil for pipes and devices that have none).
    static func size(_ fd: Int32) -> Int64? {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(st.st_size)
    }

    /// Creates `path` and missing parents (mode 0755); an existing folder is fine.
    static func makeDirectories(_ path: String) -> Result<Void, Errno> {
        let parts = path.split(separator: "/")
        for i in parts.indices {
            let prefix = (path.hasPrefix("/") ? "/" : "") + parts[...i].joined(separator: "/")
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { return .failure(Errno(errno)) }
        }
        var st = stat()
        guard stat(path, &st) == 0 else { return .failure(Errno(errno)) }
        return (st.st_mode & S_IFMT) == S_IFDIR ? .success(()) : .failure(Errno(ENOTDIR))
    }

    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// True when `fd` is a terminal.
    package static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}

/// Folders the commands create (`lumbar simulate --link-dir`), with the reason when they cannot.
public enum Folder {
    /// Creates `path` and its missing parents (mode 0755); an existing folder is fine.
    ///
    /// - Throws: the reason (`ENOTDIR` when a part of the path is a file).
    public static func create(_ path: String) throws(Errno) {
        if case .failure(let e) = FileDescriptorIO.makeDirectories(path) { throw e }
    }
}
