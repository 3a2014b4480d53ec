import LumbarFeedback
import Testing

/// The dashboard URL's QR code (issue 18: "the daemon prints the URL with the token and a QR code").
struct TerminalQRCodeTests {
    static let url = "http://192.168.1.20:8080/?token=0123456789abcdef0123456789abcdef"

    @Test func theSymbolHasAQRCodesSizeAndItsThreeFinderPatterns() throws {
        let qr = try #require(TerminalQRCode(Self.url))
        #expect(qr.width >= 21 && (qr.width - 17) % 4 == 0, "version v is 17 + 4v modules wide: \(qr.width)")
        // A finder pattern: a dark 7x7 ring, a light 5x5 ring, a dark 3x3 centre, and a light separator.
        func finder(at row: Int, _ column: Int) -> Bool {
            for r in -1...7 {
                for c in -1...7 {
                    let ring = max(abs(r - 3), abs(c - 3))
                    let dark = ring == 3 || ring <= 1
                    if qr.isDark(row: row + r, column: column + c) != dark { return false }
                }
            }
            return true
        }
        #expect(finder(at: 0, 0) && finder(at: 0, qr.width - 7) && finder(at: qr.width - 7, 0))
        #expect(!finder(at: qr.width - 7, qr.width - 7), "the fourth corner has none")
    }

    @Test func theDrawingPacksTwoModuleRowsPerLineWithAQuietZone() throws {
        let qr = try #require(TerminalQRCode(Self.url))
        let lines = qr.text.split(separator: "\n")
        let side = qr.width + 2 * TerminalQRCode.quietZone
        #expect(lines.count == (side + 1) / 2)
        #expect(lines.allSatisfy { $0.count == side })
        #expect(lines[0].allSatisfy { $0 == "█" }, "the quiet zone is light")
        // Line 1 holds module rows 0 and 1 (after the 2-row quiet zone): the finder's dark top edge.
        let row = Array(lines[1])
        #expect(row[2] == " " && row[8] == " " && row[9] == "█")
        #expect(TerminalQRCode(Self.url + "0")?.modules != qr.modules)
    }
}
