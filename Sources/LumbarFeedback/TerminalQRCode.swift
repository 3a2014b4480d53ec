import CQREncode

/// A QR code of a short text (the dashboard's URL with its token) drawn with Unicode half blocks, two
/// modules per character row, for a phone to scan off the terminal.
///
/// The symbol comes from libqrencode (error correction level M, 8-bit mode); drawn light-on-dark the way
/// `qrencode -t UTF8` does it: light modules and the 2-module quiet zone are blocks, dark modules spaces, so
/// a terminal with a dark background shows dark modules on light ones, which is what scanners read.
///
/// ```swift
/// if let qr = TerminalQRCode(runner.url) { TerminalLines.standardError(qr.text) }
/// ```
public struct TerminalQRCode: Sendable, Hashable {
    /// Modules per side of the symbol, without the quiet zone.
    public let width: Int
    /// Row-major modules, true = dark.
    public let modules: [Bool]
    /// Light modules around the symbol on each side.
    public static let quietZone = 2

    /// nil when libqrencode cannot encode the text (too long for a QR code).
    public init?(_ text: String) {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let data = UnsafeBufferPointer(start: code.pointee.data, count: width * width)
        self.width = width
        modules = data.map { $0 & 1 == 1 }  // bit 0: dark; the other bits say what the module is for
    }

    /// Whether the module at (`row`, `column`) is dark; the quiet zone (outside the symbol) is light.
    public func isDark(row: Int, column: Int) -> Bool {
        guard (0..<width).contains(row), (0..<width).contains(column) else { return false }
        return modules[row * width + column]
    }

    /// The drawing: one line per two module rows, each line `width + 2 × quietZone` characters.
    public var text: String {
        let q = Self.quietZone
        var lines: [String] = []
        for top in stride(from: -q, to: width + q, by: 2) {
            var line = ""
            for column in -q..<(width + q) {
                let upperLight = !isDark(row: top, column: column)
                let lowerLight = !isDark(row: top + 1, column: column)
                line += upperLight ? (lowerLight ? "█" : "▀") : (lowerLight ? "▄" : " ")
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
