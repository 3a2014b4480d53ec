import LumbarCore

/// An export or output file could not be written: which file and why, one line.
public struct ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    /// The system's reason, when a system call failed (e.g. `EPIPE`: the reader went away).
    public var cause: Errno?

    public init(path: String, message: String, cause: Errno? = nil) {
        self.path = path
        self.message = message
        self.cause = cause
    }

    public var description: String { "'\(path)': \(message)" }
}
