import LumbarCore

/// A recording could not be read or written: which file, what went wrong, and what it means for the data.
public struct RecordingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The recording file.
    public var path: String
    /// What went wrong and what it means, one line.
    public var message: String
    /// The underlying errno, when a syscall failed.
    public var cause: Errno?

    public init(path: String, message: String, cause: Errno? = nil) {
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
    /// Receive time (host monotonic ns) of the last intact record before the damage; nil when none.
    public var receivedAfter: Int64?
    /// Receive time (host monotonic ns) of the first intact record after the damage; nil for a torn tail.
    public var receivedBefore: Int64?

    public init(kind: Kind, offset: Int64, length: Int64, receivedAfter: Int64? = nil, receivedBefore: Int64? = nil) {
        self.kind = kind
        self.offset = offset
        self.length = length
        self.receivedAfter = receivedAfter
        self.receivedBefore = receivedBefore
    }

    public var description: String {
        switch kind {
        case .tornTail:
            "torn tail at byte \(offset): the last \(length) bytes are an incomplete record and were ignored "
                + "(recording not closed cleanly; everything before it was read)"
        case .corrupt:
            "\(length) damaged bytes at byte \(offset) skipped (checksum or framing wrong; reading resumed at the "
                + "next intact record, byte \(offset + length))"
        }
    }

    /// The description and what the skipped bytes held in session time: seconds since `start` (host ns,
    /// e.g. the header's `startHostNanoseconds`), e.g. "… what was received between 12.345 s and 12.678 s is lost".
    public func description(sessionStart start: Int64) -> String {
        func seconds(_ t: Int64) -> String { FixedDecimal.format(Double(t &- start) * 1e-9, decimals: 3) + " s" }
        switch (receivedAfter, receivedBefore) {
        case (let a?, let b?): return description + "; what was received between \(seconds(a)) and \(seconds(b)) is lost"
        case (nil, let b?): return description + "; what was received before \(seconds(b)) is lost"
        case (let a?, nil): return description + "; what was received after \(seconds(a)) is lost"
        case (nil, nil): return description
        }
    }
}
