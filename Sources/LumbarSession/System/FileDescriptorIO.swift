#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place LumbarSession makes file syscalls: open, read, write-all, fsync, close, with errno
/// turned into a readable reason.
enum FileDescriptorIO {
    /// Opens `path` for reading.
    static func openForReading(_ path: String) -> Result<Int32, FileErrno> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        return fd >= 0 ? .success(fd) : .failure(FileErrno(errno))
    }

    /// Opens `path` for writing, creating it (mode 0644) and truncating it.
    static func openForWriting(_ path: String) -> Result<Int32, FileErrno> {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        return fd >= 0 ? .success(fd) : .failure(FileErrno(errno))
    }

    /// Reads up to `count` bytes into `buffer`; 0 at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Result<Int, FileErrno> {
        while true {
            let n = Glibc.read(fd, buffer, count)
            if n >= 0 { return .success(n) }
            if errno == EINTR { continue }
            return .failure(FileErrno(errno))
        }
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Void, FileErrno> {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return .failure(FileErrno(n == 0 ? EIO : errno))
            }
        }
        return .success(())
    }

    /// Forces written data to stable storage; devices that cannot sync (pipes, /dev/null) are fine.
    static func sync(_ fd: Int32) -> Result<Void, FileErrno> {
        if fsync(fd) == 0 || errno == EINVAL || errno == EROFS { return .success(()) }
        return .failure(FileErrno(errno))
    }

    /// The size of the open file, bytes (nil for pipes and devices that have none).
    static func size(_ fd: Int32) -> Int64? {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(st.st_size)
    }

    /// Creates `path` and missing parents (mode 0755); an existing folder is fine.
    static func makeDirectories(_ path: String) -> Result<Void, FileErrno> {
        let parts = path.split(separator: "/")
        for i in parts.indices {
            let prefix = (path.hasPrefix("/") ? "/" : "") + parts[...i].joined(separator: "/")
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { return .failure(FileErrno(errno)) }
        }
        var st = stat()
        guard stat(path, &st) == 0 else { return .failure(FileErrno(errno)) }
        return (st.st_mode & S_IFMT) == S_IFDIR ? .success(()) : .failure(FileErrno(ENOTDIR))
    }

    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// True when `fd` is a terminal.
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}

/// An errno value with its name and meaning, for one-line error messages.
public struct FileErrno: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int32

    public init(_ code: Int32) { self.code = code }

    /// E.g. `no space left on device (ENOSPC)`.
    public var description: String {
        let meaning = strerror(code).map { String(cString: $0).lowercased() } ?? "error \(code)"
        return name.map { "\(meaning) (\($0))" } ?? meaning
    }

    private var name: String? {
        switch code {
        case ENOENT: "ENOENT"
        case EACCES: "EACCES"
        case ENOSPC: "ENOSPC"
        case EDQUOT: "EDQUOT"
        case EIO: "EIO"
        case EISDIR: "EISDIR"
        case EROFS: "EROFS"
        case EBADF: "EBADF"
        case EPERM: "EPERM"
        case ENOTDIR: "ENOTDIR"
        default: nil
        }
    }
}
