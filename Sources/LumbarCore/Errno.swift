#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An `errno` value captured right after a failed system call, for one-line error messages: the one
/// errno type of every module that makes system calls (devices in LumbarIO, files in LumbarSession,
/// sockets in LumbarFeedback, the commands).
///
/// Like swift-system's `Errno`, a value (the C number) rather than a string, so callers can switch on it
/// (`EACCES` → "add the user to the dialout group") and still print it.
public struct Errno: Error, Sendable, Hashable, CustomStringConvertible {
    /// The C `errno` number (`EACCES`, `ENOENT`, ...).
    public var rawValue: Int32

    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's `errno` (read it at once after the failed call).
    public static var current: Errno { Errno(errno) }

    /// The C library's meaning, lower-cased to sit inside a sentence, with the C name where it is one a
    /// person may search for: `no space left on device (ENOSPC)`.
    public var description: String {
        let meaning = strerror(rawValue).map { String(cString: $0).lowercased() } ?? "error \(rawValue)"
        return name.map { "\(meaning) (\($0))" } ?? meaning
    }

    /// The C constant's name, for the failures a user can act on; nil for the others.
    public var name: String? {
        switch rawValue {
        case ENOENT: "ENOENT"
        case EEXIST: "EEXIST"
        case EPIPE: "EPIPE"
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
