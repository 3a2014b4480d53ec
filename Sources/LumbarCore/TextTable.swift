/// Plain-text tables for terminals: left-aligned columns separated by two spaces, the header first
/// (`lumbar devices`, the benchmark drivers).
public enum TextTable {
    /// The table as lines joined by newlines (no trailing newline); cells are counted in characters.
    public static func format(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return all.map { row in
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 && i < widths.count { line += String(repeating: " ", count: widths[i] - cell.count + 2) }
            }
            return line
        }.joined(separator: "\n")
    }
}
