#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import LumbarCore
import LumbarMotion
import LumbarSession

/// `lumbar export FILE --reps PATH ...`: the session's results as files.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Runs a recording (.lrec) or Sample CSV through the pipeline and writes the files named.",
        discussion: """
            --reps writes the per-rep metrics CSV (columns in the README's Formats section), --reps-json the same as JSON, \
            --events the events as JSON Lines, --orientation one Orientation CSV per sensor into a folder, \
            --opensense an OpenSim OpenSense quaternion .sto file (pelvis_imu, tibia_r_imu, tibia_l_imu), \
            --summary a text summary (reps per set and leg, faults, tempo, trend), --html a self-contained \
            report with a plot per rep. The same input always gives byte-identical files.
            """
    )

    @Argument(help: "The recording (.lrec) or Sample CSV.")
    var file: String

    @Option(help: "Per-rep metrics CSV.")
    var reps: String?
    @Option(name: .customLong("reps-json"), help: "Per-rep metrics as JSON.")
    var repsJSON: String?
    @Option(help: "Events as JSON Lines ('-' = standard output).")
    var events: String?
    @Option(help: "Folder for one Orientation CSV per sensor (created if missing).")
    var orientation: String?
    @Option(help: "OpenSim OpenSense quaternion file (.sto).")
    var opensense: String?
    @Option(help: "Session summary (text).")
    var summary: String?
    @Option(help: "Self-contained HTML report.")
    var html: String?
    @Option(help: "Force the exercise: \(Exercise.allCases.map(\.rawValue).joined(separator: ", ")).")
    var exercise: Exercise?

    @Option(help: ArgumentHelp(
        "The prescribed tempo, CONCENTRIC-HOLD-ECCENTRIC seconds (e.g. 2-1-2): a rep faster than it is too_fast.",
        valueName: "C-H-E"))
    var tempo: Tempo?

    @Flag(help: ArgumentHelp("Print samples, seconds, samples per second and peak memory to stderr (benchmarks).",
                             visibility: .hidden))
    var timing = false

    @Option(help: ArgumentHelp("Threads for the replay: 3 (read | fuse | merge), 2 (read and fuse | merge) or 1 (benchmarks).",
                               visibility: .hidden))
    var threads = 3

    func validate() throws {
        if !(1...3).contains(threads) { throw ValidationError("'--threads' must be 1, 2 or 3, got '\(threads)'") }
        if timing { return }
        if [reps, repsJSON, events, orientation, opensense, summary, html].allSatisfy({ $0 == nil }) {
            throw ValidationError("nothing to export: name at least one of --reps, --reps-json, --events, "
                + "--orientation, --opensense, --summary, --html")
        }
    }

    func run() throws {
        let options = SessionExporter.Options(
            events: events, reps: reps, repsJSON: repsJSON, orientationDirectory: orientation, openSense: opensense,
            summary: summary, html: html)
        try options.refuseOverwriting(input: file)
        var exporter = try SessionExporter(options: options)
        exporter.failureLine = { TerminalLines.standardError("error: \($0); the export goes on") }
        let terminal = TerminalLines(eventsToStandardError: true)
        var runner = SessionFileRunner(path: file, exercise: exercise, tempo: tempo, speed: nil, showProgress: !timing)
        runner.threads = [.one, .two, .three][threads - 1]
        let start = ContinuousClock.now
        let (cpuAtStart, threadCPUAtStart) = (PeakMemory.cpuSeconds, PeakMemory.threadCPUSeconds)
        var stageCPU: [Double] = []
        exporter.recordedAtUnixNanoseconds = SessionFileRunner.recordedAt(file)
        let pipeline = try runner.run(into: &exporter, terminal: terminal, finished: { stageCPU = $0.replayStageCPUSeconds })
        exporter.exercise = pipeline.exercise
        try exporter.finish(title: file, duration: pipeline.sessionTime, thresholdDegrees: SessionFileRunner.threshold(pipeline))
        if timing {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let samples = pipeline.statistics.samples
            // The calling thread runs the merge stage (merge, analysis, outputs); the rest of the run's CPU
            // time is the per-sensor stage's worker (read, decode, align, fuse).
            let threads = stageCPU + (exporter.perSampleWriterCPUSeconds.map { [$0] } ?? [])
            let stages = threads.map { FixedDecimal.format($0, decimals: 3) }.joined(separator: "/")
            let mergeCPU = PeakMemory.threadCPUSeconds - threadCPUAtStart
            let sensorCPU = max(0, PeakMemory.cpuSeconds - cpuAtStart - mergeCPU)
            TerminalLines.standardError(
                "timing samples=\(samples) seconds=\(FixedDecimal.format(seconds, decimals: 4)) "
                    + "samples_per_second=\(FixedDecimal.format(Double(samples) / seconds, decimals: 0)) "
                    + "peak_rss_kib=\(PeakMemory.kibibytes) cpu_seconds=\(FixedDecimal.format(PeakMemory.cpuSeconds, decimals: 4)) "
                    + "merge_stage_cpu_seconds=\(FixedDecimal.format(mergeCPU, decimals: 4)) "
                    + "sensor_stage_cpu_seconds=\(FixedDecimal.format(sensorCPU, decimals: 4)) "
                    + "stage_cpu_seconds=\(stages) "
                    + "reps=\(exporter.reps.count)")
        }
    }
}

/// The process's peak resident memory (getrusage `ru_maxrss`), KiB.
enum PeakMemory {
    static var kibibytes: Int {
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
