#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore

/// Reads a text file one line at a time through C stdio's buffer, so files of any size stream in
/// constant memory. Lines come without their `\n` (and without a trailing `\r`).
public final class TextLineReader {
    /// The path as given.
    public let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    /// Bytes of the file consumed so far, line ends included (for progress).
    public private(set) var bytesRead: Int64 = 0
    /// The file's size in bytes when opened (0 when unknown, e.g. a pipe).
    public let fileSize: Int64

    /// Opens `path` for reading.
    /// - Throws: `CSVError` naming the file and the system's reason.
    public init(path: String) throws(CSVError) {
        self.path = path
        guard let f = fopen(path, "r") else {
            throw CSVError(file: path, message: "cannot open the file: \(Errno.current)")
        }
        file = f
        fileSize = FileDescriptorIO.size(fileno(f)) ?? 0
    }

    deinit {
        free(buffer)
        fclose(file)
    }

    /// The next line, or nil at the end of the file.
    public func next() throws(CSVError) -> String? {
        let n = getline(&buffer, &capacity, file)
        if n < 0 {
            if ferror(file) != 0 {
                throw CSVError(file: path, message: "cannot read the file: \(Errno.current)")
            }
            return nil
        }
        bytesRead &+= Int64(n)
        var count = n
        guard let buffer else { return nil }
        while count > 0 && (buffer[count - 1] == 0x0A || buffer[count - 1] == 0x0D) { count -= 1 }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }
}

/// Writes text to a file through C stdio's buffer.
final class TextFileWriter {
    let path: String
    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) private var file: UnsafeMutablePointer<FILE>?
    @exclusivity(unchecked) private var isStandardOutput = false

    /// Creates or truncates `path`; `-` writes to standard output.
    /// - Throws: `CSVError` naming the file and the system's reason.
    init(path: String) throws(CSVError) {
        self.path = path
        if path == "-" {
            file = fdopen(STDOUT_FILENO, "w")
            isStandardOutput = true
            return
        }
        guard let f = fopen(path, "w") else {
            throw CSVError(file: path, message: "cannot create the file: \(Errno.current)")
        }
        file = f
    }

    deinit { try? close() }

    func write(_ text: String) throws(CSVError) {
        guard let file else { throw CSVError(file: path, message: "write after close") }
        var text = text
        let ok = text.withUTF8 { bytes in fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count }
        if !ok { throw CSVError(file: path, message: "cannot write: \(Errno.current)") }
    }

    func write(_ bytes: [UInt8]) throws(CSVError) {
        guard let file else { throw CSVError(file: path, message: "write after close") }
        let ok = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) == $0.count }
        if !ok { throw CSVError(file: path, message: "cannot write: \(Errno.current)") }
    }

    /// Flushes and closes the file (standard output is flushed only).
    func close() throws(CSVError) {
        guard let f = file else { return }
        file = nil
        let failed = isStandardOutput ? fflush(f) != 0 : fclose(f) != 0
        if failed { throw CSVError(file: path, message: "cannot write: \(Errno.current)") }
    }
}
