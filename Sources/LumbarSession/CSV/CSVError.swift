/// A problem with a CSV file, located as precisely as it is known: which file, which line, which column.
///
/// `description` is the one-line message for the user, e.g.
/// `walk.csv:12: column 4 'acc_y_g': expected a number, found 'abc'`.
public struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's path as given.
    public var file: String
    /// 1-based line number, nil for problems with the whole file (cannot open it, empty).
    public var line: Int?
    /// 1-based column number, nil when the problem is not in one field.
    public var column: Int?
    /// The column's header name, when known.
    public var columnName: String?
    /// What was wrong and what was expected.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.columnName = columnName
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let column {
            text += "column \(column)"
            if let columnName { text += " '\(columnName)'" }
            text += ": "
        }
        return text + message
    }
}
