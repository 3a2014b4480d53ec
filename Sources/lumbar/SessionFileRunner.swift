#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import LumbarCore
import LumbarMotion
import LumbarReplay
import LumbarSession
import LumbarFeedback

/// Runs a session file (recording or Sample CSV) through the pipeline into an exporter: the shared
/// body of `lumbar replay` and `lumbar export`. Paces by the input's own clock when asked, and draws
/// a progress bar on stderr when stderr is a terminal.
struct SessionFileRunner {
    var path: String
    var exercise: Exercise?
    /// The prescribed tempo (`--tempo`), per set, for every exercise; nil = each profile's default.
    var tempo: TempoPrescription? = nil
    /// Where x-IMU3 logged devices were worn, by lowercased serial number or folder name (`--placement`).
    var placements: [String: SensorPlacement] = [:]
    /// Input seconds per wall second; nil = as fast as possible.
    var speed: Double?
    var showProgress: Bool

    /// Replays the whole input; returns the pipeline (for statistics and the exercise in force).
    ///
    /// - Parameter afterStep: called after each record or row (e.g. the dashboard's `refreshSensors`);
    ///   given, the replay runs one record at a time on this thread.
    func run<Output: SessionOutput>(
        into output: inout Output, terminal: TerminalLines?,
        afterStep: ((SessionPipeline, inout Output) -> Void)? = nil, finished: (SessionInput) -> Void = { _ in }
    ) throws -> SessionPipeline {
        let spooled = try SpooledInput(path)
        /// Messages name the input as given, not its temporary copy.
        func named(_ text: String) -> String { spooled.path == path ? text : text.replacing(spooled.path, with: path) }
        let input: SessionInput
        do { input = try SessionInput(path: spooled.path, placements: placements) } catch { throw SessionInputError(message: named(error.message)) }
        let pipeline = SessionPipeline(settings: input.pipelineSettings(exercise: exercise, tempo: tempo))
        let start = ContinuousClock.now
        var lastDraw = start
        let bar = showProgress ? terminal : nil
        func draw(_ fraction: Double) {
            guard let bar else { return }
            let now = ContinuousClock.now
            if now - lastDraw > .milliseconds(100) {
                lastDraw = now
                bar.progress(fraction)
            }
        }
        if speed != nil || afterStep != nil {
            // Paced, or watched after each step: one record or row at a time, each when its input time is due.
            var pacer = speed.map(ReplayPacer.init)
            var skippedGaps = 0
            while let t = try input.step(into: pipeline, output: &output) {
                afterStep?(pipeline, &output)
                if let step = pacer?.due(inputTime: t) {
                    if let gap = step.skippedGap {
                        skippedGaps += 1
                        if skippedGaps == 1 {
                            let text = "'\(path)': the input's time jumps by \(FixedDecimal.format(gap, decimals: 3)) s after "
                                + "\(FixedDecimal.format(t - gap, decimals: 3)) s; the replay does not wait through gaps longer "
                                + "than \(FixedDecimal.format(ReplayPacer.longestWait, decimals: 0)) s of wall time"
                            terminal?.warning(text) ?? TerminalLines.standardError("warning: " + text)
                        }
                    }
                    sleep(untilSecondsAfter: start, step.wallSeconds)
                }
                draw(input.progress)
            }
            if skippedGaps > 1 {
                let text = "'\(path)': \(skippedGaps) gaps in the input's time were not waited through"
                terminal?.warning(text) ?? TerminalLines.standardError("warning: " + text)
            }
        } else {
            try ParallelReplay.run(input, into: pipeline, output: &output, progress: draw)
        }
        pipeline.finish(into: &output)
        bar?.clearProgress()
        let plausibility = InputPlausibility.warnings(path: path, sensors: pipeline.sensors, statistics: pipeline.statistics)
        for w in input.warnings.map(named) + plausibility { terminal?.warning(w) ?? TerminalLines.standardError("warning: " + w) }
        finished(input)
        return pipeline
    }

    /// When the recording at `path` was started (its header's wall-clock time, ns since 1970); nil for a
    /// Sample CSV, an unreadable file, a header without it, or a pipe (which cannot be read twice).
    static func recordedAt(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, SessionInput.looksLikeRecording(path),
            let reader = try? RecordingReader(path: path)
        else { return nil }
        return reader.header.startUnixNanoseconds > 0 ? reader.header.startUnixNanoseconds : nil
    }

    /// Sleeps until `seconds` (wall, finite, ≥ 0) after `start`; at most `ReplayPacer.longestWait` at a time.
    private func sleep(untilSecondsAfter start: ContinuousClock.Instant, _ seconds: Double) {
        let elapsed = ContinuousClock.now - start
        let done = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let wait = min(seconds - done, ReplayPacer.longestWait)
        guard wait > 0 else { return }
        let whole = wait.rounded(.down)
        var ts = timespec(tv_sec: Int(whole), tv_nsec: Int((wait - whole) * 1e9))
        _ = nanosleep(&ts, nil)
    }
}

/// Event lines on a stream, and a progress bar on stderr (terminals only) that event lines do not garble.
///
/// When standard output fails (`> /dev/full`, a reader that closed the pipe), that is said at once on
/// stderr, in one line, and kept in `outputFailure` so that the command exits non-zero.
final class TerminalLines {
    private let eventsToStandardError: Bool
    private let bar = TerminalProgress(fd: 2)
    /// The first write error on standard output (nothing more is written there after it).
    private(set) var outputFailure: Errno?

    init(eventsToStandardError: Bool) {
        self.eventsToStandardError = eventsToStandardError
    }

    func event(_ e: LumbarEvent) {
        line(EventText.line(e))
    }

    func line(_ text: String) {
        clearProgress()
        if eventsToStandardError {
            Self.write(2, text + "\n")
        } else if outputFailure == nil, let code = Self.write(1, text + "\n") {
            outputFailure = Errno(code)
            Self.write(2, "error: writing to standard output failed: \(Errno(code)); nothing more is written there\n")
        }
    }

    func warning(_ text: String) {
        clearProgress()
        Self.write(2, "warning: " + text + "\n")
    }

    /// Draws `[#####.....]  42%` on stderr (terminals only).
    func progress(_ fraction: Double) { bar.draw(fraction) }

    func clearProgress() { bar.clear() }

    static func standardError(_ text: String) { write(2, text + "\n") }

    /// The dashboard URL's QR code on stderr, for a phone to scan: terminals only (a log file or a pipe
    /// gets the URL line alone).
    static func printQRCode(_ url: String) {
        guard isatty(2) == 1, let qr = TerminalQRCode(url) else { return }
        write(2, qr.text + "\n")
    }

    /// Writes all of `text`. - Returns: the errno of a failed write, nil when written.
    @discardableResult
    static func write(_ fd: Int32, _ text: String) -> Int32? {
        var t = text
        return t.withUTF8 { b in
            var off = 0
            while off < b.count {
                let n = Glibc.write(fd, b.baseAddress! + off, b.count - off)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return n < 0 ? errno : EIO }
                off += n
            }
            return nil
        }
    }
}

