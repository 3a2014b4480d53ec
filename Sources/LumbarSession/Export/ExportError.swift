/// An export or output file could not be written: which file and why, one line.
public struct ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "'\(path)': \(message)" }
}
