/// Streams the records of a Sample CSV file (FORMATS.md §1) line by line, in constant memory.
///
/// ```swift
/// let reader = try SampleCSVReader(path: "walk.csv")
/// while let record = try reader.next() {
///     filter.update(record.sample)         // g and deg/s, whatever units the file used
/// }
/// ```
/// Errors are `CSVError`s naming the file, line and column, e.g.
/// `walk.csv:12: column 4 'acc_y_g': expected a number, found 'abc'`.
public final class SampleCSVReader {
    /// The path as given.
    public let path: String
    private let lines: TextLineReader
    private var parser: SampleCSVParser
    private var lineNumber = 0

    /// Opens `path` and reads up to its header row.
    /// - Throws: `CSVError` if the file cannot be opened, is empty, or its header lacks a required column.
    public init(path: String) throws(CSVError) {
        self.path = path
        lines = try TextLineReader(path: path)
        parser = SampleCSVParser(file: path)
        while parser.header == nil {
            guard let line = try lines.next() else {
                throw CSVError(file: path, message: "no header row (the file is empty or only comments)")
            }
            lineNumber += 1
            _ = try parser.parse(line: line, number: lineNumber)
        }
    }

    /// Fraction of the file read so far, 0…1 (0 when its size is unknown).
    public var progress: Double {
        lines.fileSize > 0 ? min(1, Double(lines.bytesRead) / Double(lines.fileSize)) : 0
    }

    /// The header: which columns and units the file uses, whether it has a `sensor` column.
    public var header: SampleCSVHeader { parser.header! }

    /// The next data row, or nil at the end of the file.
    /// - Throws: `CSVError` for a malformed row.
    public func next() throws(CSVError) -> SampleCSVRecord? {
        while let line = try lines.next() {
            lineNumber += 1
            if let record = try parser.parse(line: line, number: lineNumber) { return record }
        }
        return nil
    }
}
