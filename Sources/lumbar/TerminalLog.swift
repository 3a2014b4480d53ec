#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization

/// The terminal's bottom line while live (sensors, rates, loss, calibration, reps, last alert), and
/// the log lines above it: both go to standard error, which must not interleave them.
final class TerminalLog: Sendable {
    /// True when standard error is a terminal and the status line is wanted.
    let showsStatus: Bool
    private let state = Mutex<String?>(nil)

    init(showsStatus: Bool) { self.showsStatus = showsStatus && isatty(STDERR_FILENO) == 1 }

    /// Redraws the status line.
    func status(_ line: String) {
        guard showsStatus else { return }
        state.withLock { current in
            current = line
            Self.write("\r\u{1B}[2K" + line)
        }
    }

    /// Writes a log line above the status line.
    func log(_ line: String) {
        state.withLock { current in
            if showsStatus, let status = current {
                Self.write("\r\u{1B}[2K" + line + "\n" + status)
            } else {
                Self.write(line + "\n")
            }
        }
    }

    /// Ends the status line (before the summary).
    func finish() {
        state.withLock { current in
            if showsStatus, current != nil { Self.write("\r\u{1B}[2K") }
            current = nil
        }
    }

    private static func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}

/// A swift-log handler that prints `LEVEL message key=value ...` through a `TerminalLog`.
struct TerminalLogHandler: LogHandler {
    let terminal: TerminalLog
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = "\(event.level.rawValue.uppercased()) \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() { line += " \(key)=\(merged[key]!)" }
        terminal.log(line)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
import ArgumentParser
