#if canImport(Glibc)
import Glibc
#endif
import LumbarSession
import LumbarCore

/// An input given as a pipe (`cat s.lrec | lumbar replay /dev/stdin`), copied once into a temporary file:
/// telling a recording from a CSV peeks at the first bytes, and a pipe cannot be read twice (its first
/// bytes were gone and a recording was "not a Lumbar recording"). Regular files are used as they are.
final class SpooledInput {
    /// The path to read: the original, or the temporary copy.
    let path: String
    private let temporary: Bool

    /// - Throws: `SessionInputError` naming `original` when it cannot be read or copied.
    init(_ original: String) throws(SessionInputError) {
        var info = stat()
        guard stat(original, &info) == 0, info.st_mode & S_IFMT == S_IFIFO || info.st_mode & S_IFMT == S_IFCHR
            || info.st_mode & S_IFMT == S_IFSOCK
        else {
            path = original
            temporary = false
            return
        }
        let source = open(original, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { throw Self.error(original, "cannot open", errno) }
        defer { close(source) }
        var template = Array("/tmp/lumbar-input-XXXXXX".utf8CString)
        let copy = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard copy >= 0 else { throw Self.error(original, "cannot make a temporary copy of the pipe", errno) }
        let copyPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { close(copy) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                unlink(copyPath)
                throw Self.error(original, "read failed", errno)
            }
            if n == 0 { break }
            var offset = 0
            while offset < n {
                let w = buffer.withUnsafeBytes { write(copy, $0.baseAddress! + offset, n - offset) }
                if w < 0 && errno == EINTR { continue }
                guard w > 0 else {
                    unlink(copyPath)
                    throw Self.error(original, "cannot make a temporary copy of the pipe", errno)
                }
                offset += w
            }
        }
        path = copyPath
        temporary = true
    }

    deinit { if temporary { unlink(path) } }

    private static func error(_ path: String, _ what: String, _ code: Int32) -> SessionInputError {
        SessionInputError(message: "'\(path)': \(what): \(Errno(code))")
    }
}
