#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import LumbarCore
import LumbarIO
import LumbarProtocol
import LumbarSim
import LumbarSimDevices
import Synchronization

/// `lumbar-live-bench` (`make bench-live`; a benchmark driver of its own, not part of the user's `lumbar`):
/// the daemon's latency and footprint, measured on the real executable, with default scheduling and with `--realtime` (one run each, `--seconds` long). Plays a bird-dog session (lumbar + both ankles, 400 Hz, a lumbar fault in every
/// rep) through pseudo-terminals in real time, runs `lumbar live --device ... --events -` as a child
/// process, and measures:
/// - latency: from the write of the frame that completed a lumbar crossing (the last frame of any
///   sensor written before the `lumbar_moved` line arrived) to the arrival of that line on the pipe;
/// - the daemon's CPU share (utime + stime from /proc) and resident memory (VmRSS), sampled every
///   10 s, with growth between the first and last minute.
@main
struct LiveBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lumbar-live-bench", abstract: "Measures lumbar live's latency, CPU and memory (release build).")

    @Option(help: "How long to stream per mode, seconds.")
    var seconds: Double = 600

    @Option(help: "Which daemon modes to measure, comma-separated: normal (default scheduling), realtime (--realtime), nostore (--no-store: no session database), postgres (the session stored in --postgres). normal and realtime store the session in a fresh SQLite file in the run's folder.")
    var modes: String = "normal,realtime"

    @Option(help: "The PostgreSQL database of the postgres mode (postgres://USER@HOST:PORT/DB; the password from PGPASSWORD).")
    var postgres: String?

    @Option(help: "The lumbar executable to measure (default: `lumbar` beside this driver).")
    var executable: String?

    func validate() throws {
        guard seconds > 0 else { throw ValidationError("'--seconds' must be positive, got '\(seconds)'.") }
        for mode in modes.split(separator: ",") where !["normal", "realtime", "nostore", "postgres"].contains(mode) {
            throw ValidationError("'\(mode)' is not a mode (normal, realtime, nostore, postgres).")
        }
        if modes.split(separator: ",").contains("postgres") && postgres == nil {
            throw ValidationError("the postgres mode needs '--postgres postgres://USER@HOST:PORT/DB'.")
        }
    }

    func run() throws {
        let me = CommandLine.arguments[0].hasPrefix("/")
            ? CommandLine.arguments[0] : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0]
        let lumbar = executable ?? URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("lumbar").path
        guard FileManager.default.isExecutableFile(atPath: lumbar) else {
            throw ValidationError("'\(lumbar)' is not an executable: build it (swift build -c release --product lumbar) or pass --executable")
        }
        let loadBefore = loadAverage()
        var results: [(mode: String, result: BenchLiveResult)] = []
        for mode in modes.split(separator: ",").map(String.init) {
            let database: String? = switch mode {
            case "nostore": nil
            case "postgres": postgres
            default: ""  // a fresh SQLite file in the run's folder
            }
            results.append((mode, try BenchLiveRun(seconds: seconds, executable: lumbar, realtime: mode == "realtime", database: database).measure()))
        }
        let loadAfter = loadAverage()
        print("lumbar live benchmark: 3 sensors × 400 Hz (bird dog, lumbar + both ankles), \(FixedDecimal.format(seconds, decimals: 0)) s per mode, release build")
        print("load average (1, 5, 15 min) before: \(loadBefore), after: \(loadAfter); 2 cores = load 2")
        print("latency: write of the frame completing a lumbar crossing → lumbar_moved line read from the daemon's stdout"
            + (results.first?.result.measuringThreadsRealtime == true ? " (emulator and event reader threads SCHED_FIFO 20)" : ""))
        func column(_ value: (BenchLiveResult) -> String) -> [String] { results.map { value($0.result) } }
        let rows: [[String]] = [
            ["lumbar_moved events"] + column { "\($0.latencies.count)" } + [""],
            ["frames written"] + column { "\($0.frames)" } + [""],
            ["latency p50 (ms)"] + column { FixedDecimal.format($0.percentile(0.50), decimals: 3) } + [""],
            ["latency p90 (ms)"] + column { FixedDecimal.format($0.percentile(0.90), decimals: 3) } + [""],
            ["latency p99 (ms)"] + column { FixedDecimal.format($0.percentile(0.99), decimals: 3) } + ["<= 2"],
            ["latency max (ms)"] + column { FixedDecimal.format($0.percentile(1.0), decimals: 3) } + [""],
            ["every event: count"] + column { "\($0.allEventLatencies.count)" } + [""],
            ["every event: p50 / p90 / p99 / max (ms)"] + column { r in
                [0.5, 0.9, 0.99, 1.0].map { FixedDecimal.format(BenchLiveResult.quantile($0, of: r.allEventLatencies), decimals: 3) }
                    .joined(separator: " / ")
            } + [""],
            ["ambiguous (two frames < 2 ms before)"] + column { "\($0.ambiguous)" } + [""],
            ["CPU (% of one core, after warm-up)"] + column { FixedDecimal.format($0.cpuShare, decimals: 2) } + ["< 5"],
            ["RSS max (MB)"] + column { FixedDecimal.format(Double($0.rssMax) / 1024, decimals: 1) } + ["< 30"],
            ["RSS max first minute (MB)"] + column { FixedDecimal.format(Double($0.rssFirstMinute) / 1024, decimals: 1) } + [""],
            ["RSS max last minute (MB)"] + column { FixedDecimal.format(Double($0.rssLastMinute) / 1024, decimals: 1) } + ["no growth"],
        ]
        let names = ["realtime": "live --realtime", "nostore": "live --no-store", "normal": "live (SQLite)", "postgres": "live (PostgreSQL)"]
        print(TextTable.format(header: ["measure"] + results.map { names[$0.mode] ?? $0.mode } + ["target"], rows: rows))
    }
}

/// What one benchmark run measured.
struct BenchLiveResult {
    /// `lumbar_moved` latencies, sorted, seconds.
    var latencies: [Double]
    /// Latencies of every sample-triggered event, sorted, seconds.
    var allEventLatencies: [Double]
    var frames: Int
    var ambiguous: Int
    var cpuShare: Double
    var rssMax: Int
    var rssFirstMinute: Int
    var rssLastMinute: Int
    var measuringThreadsRealtime: Bool

    /// The `p` quantile (0…1) of the `lumbar_moved` latencies, ms.
    func percentile(_ p: Double) -> Double { Self.quantile(p, of: latencies) }

    /// The `p` quantile (0…1) of sorted latencies (s), ms.
    static func quantile(_ p: Double, of sorted: [Double]) -> Double {
        sorted.isEmpty ? .nan : sorted[max(0, min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1))] * 1000
    }
}

/// One run of the daemon against emulated sensors on pseudo-terminals.
struct BenchLiveRun {
    var seconds: Double
    var executable: String
    var realtime: Bool
    /// Where the daemon stores the session: nil for `--no-store`, "" for a fresh SQLite file in the run's
    /// folder (never the user's own database), else a `--database` address.
    var database: String?

    func storeArguments(directory: String) -> [String] {
        guard let database else { return ["--no-store"] }
        return ["--database", database.isEmpty ? directory + "/sessions.sqlite" : database]
    }

    func measure() throws -> BenchLiveResult {
        let directory = NSTemporaryDirectory() + "lumbar-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Enough reps to outlast the run; every rep faulty so every rep gives a lumbar_moved.
        var script = SessionScript.random(.birdDog, seed: 7, sets: max(1, Int(seconds / 45) + 1), repsPerSet: 10, faultProbability: 1)
        script.endStillSeconds = 2
        let demux = SimulationDemux(script)
        let infos = demux.deviceInfos
        let sensors = script.sensors.indices.map { i in
            EmulatedSensor(
                name: script.sensors[i].site.rawValue, deviceInfo: infos[i],
                source: SimulatedSensorSource(demux: demux, index: i, ignored: []))
        }
        let writes = WriteLog()
        let emulator = SensorEmulator(sensors: sensors, settings: .init(lingerSeconds: 0)) { sensor throws(DeviceError) -> any SensorLine in
            let terminal = try PseudoTerminal()
            replaceSymbolicLink(directory + "/" + sensor.name, pointingTo: terminal.devicePath)
            return terminal
        }
        // The measuring threads run above the daemon (when the system allows), so that what is measured
        // is the daemon's delay, not the benchmark's own wait for a time slice.
        let measuringRealtime = Atomic<Bool>(true)
        let emulatorDone = Atomic<Bool>(false)
        let emulatorThread = Thread {
            if (try? RealtimeScheduling.makeCurrentThreadRealtime(priority: 20)) == nil { measuringRealtime.store(false, ordering: .relaxed) }
            try? emulator.run { event in
                if case .batchWritten(_, _, let hostTime) = event { writes.record(hostTime) }
            }
            emulatorDone.store(true, ordering: .releasing)
        }
        emulatorThread.start()
        while !FileManager.default.fileExists(atPath: directory + "/" + sensors.last!.name) { usleep(10_000) }

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: executable)
        daemon.arguments = ["live", "--events", "-", "--no-status", "--log-level", "warning"] + (realtime ? ["--realtime"] : [])
            + storeArguments(directory: directory)
            + sensors.flatMap { ["--device", directory + "/" + $0.name] }
        let pipe = Pipe()
        daemon.standardOutput = pipe
        daemon.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try daemon.run()
        let pid = daemon.processIdentifier

        // Read the events as they come, stamping their arrival.
        let arrivals = ArrivalLog()
        // Every event a sample triggers (rep_started, lumbar_moved, lumbar_settled, rep_completed): 4× the count.
        let allArrivals = ArrivalLog()
        let reader = Thread {
            if (try? RealtimeScheduling.makeCurrentThreadRealtime(priority: 20)) == nil { measuringRealtime.store(false, ordering: .relaxed) }
            let fd = pipe.fileHandleForReading.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 65536)
            var line: [UInt8] = []
            while true {
                let n = read(fd, &buffer, buffer.count)
                guard n > 0 else { break }
                let now = HostClock.now()
                for byte in buffer[..<n] {
                    if byte == 0x0A {
                        let text = String(decoding: line, as: UTF8.self)
                        if text.contains("\"type\":\"lumbar_moved\"") { arrivals.record(now) }
                        if !text.contains("\"type\":\"sensor_") && !text.contains("\"type\":\"calibrated\"") { allArrivals.record(now) }
                        line.removeAll(keepingCapacity: true)
                    } else {
                        line.append(byte)
                    }
                }
            }
        }
        reader.start()

        // Footprint samples every 10 s.
        var samples: [(time: Double, cpu: Double, rss: Int)] = []
        let start = HostClock.now()
        while HostClock.now() - start < seconds && !emulatorDone.load(ordering: .acquiring) {
            if let usage = processUsage(pid) { samples.append((HostClock.now() - start, usage.cpuSeconds, usage.rssKiB)) }
            usleep(UInt32(min(10, max(0.01, seconds - (HostClock.now() - start))) * 1_000_000))
        }
        if let usage = processUsage(pid) { samples.append((HostClock.now() - start, usage.cpuSeconds, usage.rssKiB)) }
        emulator.stop()
        kill(pid, SIGTERM)
        daemon.waitUntilExit()
        while !emulatorDone.load(ordering: .acquiring) { usleep(10_000) }

        // Latency: each arrival against the last frame written before it.
        let frameTimes = writes.times.sorted()
        let (latencies, ambiguous) = Self.latencies(of: arrivals.times, after: frameTimes)
        let (allLatencies, _) = Self.latencies(of: allArrivals.times, after: frameTimes)
        // CPU after the start-up (calibration, first allocations): after 60 s, or a quarter of a short run.
        let warm = samples.first { $0.time >= min(60, seconds / 4) } ?? samples.first
        let last = samples.last
        var cpuShare = Double.nan
        if let warm, let last, last.time > warm.time { cpuShare = 100 * (last.cpu - warm.cpu) / (last.time - warm.time) }
        return BenchLiveResult(
            latencies: latencies, allEventLatencies: allLatencies, frames: frameTimes.count, ambiguous: ambiguous, cpuShare: cpuShare,
            rssMax: samples.map(\.rss).max() ?? 0,
            rssFirstMinute: samples.filter { $0.time <= 60 }.map(\.rss).max() ?? 0,
            rssLastMinute: samples.filter { $0.time >= (last?.time ?? 0) - 60 }.map(\.rss).max() ?? 0,
            measuringThreadsRealtime: measuringRealtime.load(ordering: .relaxed))
    }
}

extension BenchLiveRun {
    /// Each arrival (s) against the last frame written before it (`frameTimes` sorted): the latencies,
    /// sorted, and how many were ambiguous (the frame before was also less than 2 ms before).
    static func latencies(of arrivals: [Double], after frameTimes: [Double]) -> ([Double], Int) {
        var latencies: [Double] = []
        var ambiguous = 0
        for arrival in arrivals {
            var lo = 0, hi = frameTimes.count
            while lo < hi { let mid = (lo + hi) / 2; if frameTimes[mid] <= arrival { lo = mid + 1 } else { hi = mid } }
            guard lo > 0 else { continue }
            latencies.append(arrival - frameTimes[lo - 1])
            if lo > 1, arrival - frameTimes[lo - 2] < 0.002 { ambiguous += 1 }
        }
        return (latencies.sorted(), ambiguous)
    }
}

/// The system's load averages over 1, 5 and 15 minutes, as `/proc/loadavg` gives them.
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
    return text.split(separator: " ").prefix(3).joined(separator: ", ")
}

/// Host times of frame writes, from the emulator thread.
final class WriteLog: Sendable {
    private let storage = Mutex<[Double]>([])
    func record(_ time: Double) { storage.withLock { $0.append(time) } }
    var times: [Double] { storage.withLock { $0 } }
}

/// Host times at which `lumbar_moved` lines arrived.
typealias ArrivalLog = WriteLog

/// CPU seconds (user + system) and resident KiB of a process, from /proc.
func processUsage(_ pid: Int32) -> (cpuSeconds: Double, rssKiB: Int)? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // After the command: state is field 3; utime and stime are fields 14 and 15 (1-based in proc(5)).
    guard fields.count > 13, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
    return ((utime + stime) / ticks, rss)
}
