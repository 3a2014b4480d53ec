#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import LumbarCore
import LumbarMotion
import LumbarSession

/// Runs a session file (recording or Sample CSV) through the pipeline into an exporter: the shared
/// body of `lumbar replay` and `lumbar export`. Paces by the input's own clock when asked, and draws
/// a progress bar on stderr when stderr is a terminal.
struct SessionFileRunner {
    var path: String
    var exercise: Exercise?
    /// Input seconds per wall second; nil = as fast as possible.
    var speed: Double?
    var showProgress: Bool
    /// How an unpaced replay spreads its work.
    var threads: SessionInput.ReplayThreads = .three

    /// The pipeline settings for this input: `--exercise`, else the recording's `setting.exercise`.
    func settings(for input: SessionInput) -> SessionPipeline.Settings {
        var s = SessionPipeline.Settings()
        if let exercise {
            s.motion.exercise = exercise
        } else if let word = input.recordingHeader?.settings["exercise"], let e = Exercise(rawValue: word) {
            s.motion.exercise = e
        }
        return s
    }

    /// Replays the whole input; returns the pipeline (for statistics and the exercise in force).
    ///
    /// - Parameter afterStep: called after each record or row (e.g. the dashboard's `refreshSensors`);
    ///   given, the replay runs one record at a time on this thread.
    func run<Output: SessionOutput>(
        into output: inout Output, terminal: TerminalLines?,
        afterStep: ((SessionPipeline, inout Output) -> Void)? = nil, finished: (SessionInput) -> Void = { _ in }
    ) throws -> SessionPipeline {
        let input = try SessionInput(path: path)
        let pipeline = SessionPipeline(settings: settings(for: input))
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
            while let t = try input.step(into: pipeline, output: &output) {
                afterStep?(pipeline, &output)
                if let speed, speed > 0 {
                    let due = start + .nanoseconds(Int64(t / speed * 1e9))
                    if due > ContinuousClock.now { try? blockingSleep(until: due) }
                }
                draw(input.progress)
            }
        } else {
            try input.replay(into: pipeline, output: &output, threads: threads, progress: draw)
        }
        pipeline.finish(into: &output)
        bar?.clearProgress()
        for w in input.warnings { terminal?.warning(w) ?? TerminalLines.standardError("warning: " + w) }
        finished(input)
        return pipeline
    }

    /// The lumbar alert threshold in force, degrees (for the HTML report).
    static func threshold(_ pipeline: SessionPipeline) -> Float {
        let motion = pipeline.settings.motion
        return pipeline.exercise.map { motion.profile(for: $0).lumbarThresholdDegrees }
            ?? ExerciseProfile.unknownExercise.lumbarThresholdDegrees
    }

    private func blockingSleep(until due: ContinuousClock.Instant) throws {
        let d = due - ContinuousClock.now
        let (s, attos) = d.components
        guard s > 0 || attos > 0 else { return }
        var ts = timespec(tv_sec: Int(s), tv_nsec: Int(attos / 1_000_000_000))
        _ = nanosleep(&ts, nil)
    }
}

/// Event lines on a stream, and a progress bar on stderr (terminals only) that event lines do not garble.
final class TerminalLines {
    private let eventsToStandardError: Bool
    private let bar = TerminalProgress(fd: 2)

    init(eventsToStandardError: Bool) {
        self.eventsToStandardError = eventsToStandardError
    }

    func event(_ e: LumbarEvent) {
        clearProgress()
        let line = EventText.line(e) + "\n"
        if eventsToStandardError { Self.write(2, line) } else { Self.write(1, line) }
    }

    func line(_ text: String) {
        clearProgress()
        Self.write(eventsToStandardError ? 2 : 1, text + "\n")
    }

    func warning(_ text: String) {
        clearProgress()
        Self.write(2, "warning: " + text + "\n")
    }

    /// Draws `[#####.....]  42%` on stderr (terminals only).
    func progress(_ fraction: Double) { bar.draw(fraction) }

    func clearProgress() { bar.clear() }

    static func standardError(_ text: String) { write(2, text + "\n") }

    static func write(_ fd: Int32, _ text: String) {
        var t = text
        t.withUTF8 { b in
            var off = 0
            while off < b.count {
                let n = Glibc.write(fd, b.baseAddress! + off, b.count - off)
                if n <= 0 { return }
                off += n
            }
        }
    }
}

