/// A recording could not be read or written: which file, what went wrong, and what it means for the data.
public struct RecordingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The recording file.
    public var path: String
    /// What went wrong and what it means, one line.
    public var message: String
    /// The underlying errno, when a syscall failed.
    public var cause: FileErrno?

    public init(path: String, message: String, cause: FileErrno? = nil) {
        self.path = path
        self.message = message
        self.cause = cause
    }

    /// `'<path>': <message>`.
    public var description: String { "'\(path)': \(message)" }
}

/// A part of a recording that could not be read back: a torn tail after a crash, or a damaged record.
public struct RecordingDamage: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The file ends inside a record (the writer was killed or lost power mid-write).
        case tornTail
        /// Bytes in the middle that are not a valid record (checksum or framing wrong); skipped.
        case corrupt
    }

    public var kind: Kind
    /// Byte offset of the damage in the file.
    public var offset: Int64
    /// Number of bytes ignored.
    public var length: Int64

    public init(kind: Kind, offset: Int64, length: Int64) {
        self.kind = kind
        self.offset = offset
        self.length = length
    }

    public var description: String {
        switch kind {
        case .tornTail:
            "torn tail at byte \(offset): the last \(length) bytes are an incomplete record and were ignored "
                + "(recording not closed cleanly; everything before it was read)"
        case .corrupt:
            "\(length) damaged bytes at byte \(offset) skipped (checksum or framing wrong)"
        }
    }
}
