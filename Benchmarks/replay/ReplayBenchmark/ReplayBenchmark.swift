#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import LumbarCore
import LumbarReplay
import LumbarSession

/// `lumbar-replay-bench FILE --exports LIST --into DIR [--threads N]` (driven by `Benchmarks/replay/run`,
/// `make bench-replay`): what `lumbar export` does, as fast as possible, then one `timing …` line on stderr
/// with the samples, wall and CPU seconds, each replay thread's CPU seconds and peak memory. A benchmark
/// driver of its own, so the user's `lumbar` binary carries no benchmark flags.
@main
struct ReplayBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lumbar-replay-bench",
        abstract: "Replays a recording or Sample CSV through the pipeline and exports, timed (release build).")

    /// An export `lumbar export` can write, and its file (or folder) name in `--into`.
    enum Export: String, CaseIterable, ExpressibleByArgument {
        case events, reps, repsJSON = "reps-json", summary, opensense, orientation, html
    }

    @Argument(help: "The recording (.lrec) or Sample CSV.")
    var file: String

    @Option(parsing: .upToNextOption,
            help: "Exports to write (none = the pipeline only): \(Export.allCases.map(\.rawValue).joined(separator: ", ")).")
    var exports: [Export] = []

    @Option(help: "Folder the exports are written into (named after the export).")
    var into = "."

    @Option(help: "Threads for the replay: 3 (read | fuse | merge), 2 (read and fuse | merge) or 1.")
    var threads = 3

    func validate() throws {
        if !(1...3).contains(threads) { throw ValidationError("'--threads' must be 1, 2 or 3, got '\(threads)'") }
    }

    func run() throws {
        func path(_ export: Export, _ name: String) -> String? { exports.contains(export) ? into + "/" + name : nil }
        let options = SessionExporter.Options(
            events: path(.events, "events.jsonl"), reps: path(.reps, "reps.csv"), repsJSON: path(.repsJSON, "reps.json"),
            orientationDirectory: path(.orientation, "orientation"), openSense: path(.opensense, "session.sto"),
            summary: path(.summary, "summary.txt"), html: path(.html, "report.html"))
        var exporter = try SessionExporter(options: options)
        let start = ContinuousClock.now
        let (cpuAtStart, threadCPUAtStart) = (Usage.cpuSeconds, Usage.threadCPUSeconds)
        let input = try SessionInput(path: file)
        let pipeline = SessionPipeline(settings: input.pipelineSettings())
        exporter.recordedAtUnixNanoseconds = input.recordingHeader.flatMap {
            $0.startUnixNanoseconds > 0 ? $0.startUnixNanoseconds : nil
        }
        var replayCPU: [Double]
        if threads == 1 {
            let mainAtStart = Usage.threadCPUSeconds
            try input.replay(into: pipeline, output: &exporter)
            replayCPU = [Usage.threadCPUSeconds - mainAtStart]
        } else {
            replayCPU = try ParallelReplay.run(input, into: pipeline, output: &exporter, threads: threads == 2 ? .two : .three)
        }
        pipeline.finish(into: &exporter)
        exporter.exercise = pipeline.exercise
        try exporter.finish(title: file, duration: pipeline.sessionTime, thresholdDegrees: pipeline.lumbarThresholdDegrees)

        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let samples = pipeline.statistics.samples
        // The calling thread runs the merge stage (merge, analysis, outputs); the rest of the run's CPU
        // time is the per-sensor stage's workers (read, decode, align, fuse).
        let stageCPU = replayCPU + (exporter.perSampleWriterCPUSeconds.map { [$0] } ?? [])
        let stages = stageCPU.map { FixedDecimal.format($0, decimals: 3) }.joined(separator: "/")
        let mergeCPU = Usage.threadCPUSeconds - threadCPUAtStart
        let sensorCPU = max(0, Usage.cpuSeconds - cpuAtStart - mergeCPU)
        let line = "timing samples=\(samples) seconds=\(FixedDecimal.format(seconds, decimals: 4)) "
            + "samples_per_second=\(FixedDecimal.format(Double(samples) / seconds, decimals: 0)) "
            + "peak_rss_kib=\(Usage.peakKibibytes) cpu_seconds=\(FixedDecimal.format(Usage.cpuSeconds, decimals: 4)) "
            + "merge_stage_cpu_seconds=\(FixedDecimal.format(mergeCPU, decimals: 4)) "
            + "sensor_stage_cpu_seconds=\(FixedDecimal.format(sensorCPU, decimals: 4)) "
            + "stage_cpu_seconds=\(stages) "
            + "reps=\(exporter.reps.count)\n"
        var text = line
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}

/// The process's resource use (getrusage, the calling thread's CPU clock).
enum Usage {
    /// Peak resident memory (`ru_maxrss`), KiB.
    static var peakKibibytes: Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss)
    }

    /// User plus system CPU time of the process so far, s (on a loaded machine, closer to the cost than wall time).
    static var cpuSeconds: Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
    }

    /// CPU time of the calling thread so far, s (`CLOCK_THREAD_CPUTIME_ID`).
    static var threadCPUSeconds: Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
