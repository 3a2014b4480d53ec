import LumbarSession

/// A progress bar redrawn in place on a terminal (stderr by default): `[##########..............]  42%`.
///
/// Silent when the descriptor is not a terminal (a pipe, a file, a CI log), so redirected output never
/// fills with carriage returns. The line itself is a pure function of the fraction (`line(fraction:)`).
///
/// ```swift
/// let bar = TerminalProgress()          // stderr
/// bar.draw(input.progress)              // a few times per second
/// bar.clear()                           // before printing anything else, and at the end
/// ```
public final class TerminalProgress {
    /// The descriptor drawn on.
    public let fd: Int32
    /// Whether `fd` is a terminal; when not, `draw` and `clear` do nothing.
    public let isTerminal: Bool
    /// A bar is on the screen (drawn and not cleared since).
    public private(set) var isShown = false

    /// Draws on `fd` (default 2, stderr) when it is a terminal.
    public init(fd: Int32 = 2) {
        self.fd = fd
        isTerminal = FileDescriptorIO.isTerminal(fd)
    }

    /// Bar cells.
    public static let width = 40

    /// The bar for `fraction` (0…1; outside or NaN is clamped): a carriage return, `width` cells of `#`
    /// (done, rounded down) and `.`, and the whole percent right-aligned in four columns.
    public static func line(fraction: Double) -> String {
        let f = fraction.isNaN ? 0 : min(1, max(0, fraction))
        let filled = Int((f * Double(width)).rounded(.down))
        let percent = String(Int((f * 100).rounded(.down)))
        return "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + String(repeating: " ", count: 3 - percent.count) + percent + "%"
    }

    /// Draws (redraws) the bar at `fraction`.
    public func draw(_ fraction: Double) {
        guard isTerminal else { return }
        write(Self.line(fraction: fraction))
        isShown = true
    }

    /// Erases the bar, so that the next line starts clean.
    public func clear() {
        guard isShown else { return }
        write("\r\u{1B}[K")
        isShown = false
    }

    private func write(_ text: String) {
        var t = text
        t.withUTF8 { _ = FileDescriptorIO.writeAll(fd, UnsafeRawBufferPointer($0)) }
    }
}
