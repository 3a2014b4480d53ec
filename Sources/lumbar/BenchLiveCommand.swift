#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import LumbarCore
import LumbarIO
import LumbarProtocol
import LumbarSim
import Synchronization

/// `lumbar bench-live` (hidden; `make bench-live`): the daemon's latency and footprint, measured on the
/// real executable. Plays a bird-dog session (lumbar + both ankles, 400 Hz, a lumbar fault in every
/// rep) through pseudo-terminals in real time, runs `lumbar live --device ... --events -` as a child
/// process, and measures:
/// - latency: from the write of the frame that completed a lumbar crossing (the last frame of any
///   sensor written before the `lumbar_moved` line arrived) to the arrival of that line on the pipe;
/// - the daemon's CPU share (utime + stime from /proc) and resident memory (VmRSS), sampled every
///   10 s, with growth between the first and last minute.
struct BenchLiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-live", abstract: "Measures lumbar live's latency, CPU and memory (release build).",
        shouldDisplay: false)

    @Option(help: "How long to stream, seconds.")
    var seconds: Double = 600

    @Option(help: "The lumbar executable to measure (default: this one).")
    var executable: String?

    func run() throws {
        let directory = NSTemporaryDirectory() + "lumbar-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Enough reps to outlast the run; every rep faulty so every rep gives a lumbar_moved.
        var script = SessionScript.random(.birdDog, seed: 7, sets: max(1, Int(seconds / 45) + 1), repsPerSet: 10, faultProbability: 1)
        script.endStillSeconds = 2
        let demux = SimulationDemux(script)
        let infos = demux.deviceInfos
        let all = Array(script.sensors.indices)
        let sensors = script.sensors.indices.map { i in
            EmulatedSensor(
                name: script.sensors[i].site.rawValue, deviceInfo: infos[i],
                source: SimulatedSensorSource(demux: demux, index: i, ignored: all.filter { _ in false }))
        }
        let writes = WriteLog()
        let emulator = SensorEmulator(sensors: sensors, settings: .init(lingerSeconds: 0)) { sensor throws(DeviceError) -> any SensorLine in
            let terminal = try PseudoTerminal()
            link(terminal.devicePath, as: directory + "/" + sensor.name)
            return terminal
        }
        let emulatorDone = Atomic<Bool>(false)
        let emulatorThread = Thread {
            try? emulator.run { event in
                if case .batchWritten(_, _, let hostTime) = event { writes.record(hostTime) }
            }
            emulatorDone.store(true, ordering: .releasing)
        }
        emulatorThread.start()
        while !FileManager.default.fileExists(atPath: directory + "/" + sensors.last!.name) { usleep(10_000) }

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: executable ?? (CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0] : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0]))
        daemon.arguments = ["live", "--events", "-", "--no-status", "--log-level", "warning"] + sensors.flatMap { ["--device", directory + "/" + $0.name] }
        let pipe = Pipe()
        daemon.standardOutput = pipe
        daemon.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try daemon.run()
        let pid = daemon.processIdentifier

        // Read the events as they come, stamping their arrival.
        let arrivals = ArrivalLog()
        let reader = Thread {
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
            usleep(10_000_000)
        }
        if let usage = processUsage(pid) { samples.append((HostClock.now() - start, usage.cpuSeconds, usage.rssKiB)) }
        emulator.stop()
        kill(pid, SIGTERM)
        daemon.waitUntilExit()
        while !emulatorDone.load(ordering: .acquiring) { usleep(10_000) }

        // Latency: each arrival against the last frame written before it.
        let frameTimes = writes.times.sorted()
        var latencies: [Double] = []
        var ambiguous = 0
        for arrival in arrivals.times {
            var lo = 0, hi = frameTimes.count
            while lo < hi { let mid = (lo + hi) / 2; if frameTimes[mid] <= arrival { lo = mid + 1 } else { hi = mid } }
            guard lo > 0 else { continue }
            let latency = arrival - frameTimes[lo - 1]
            latencies.append(latency)
            // Ambiguous when the frame before was also recent enough to be the one that completed it.
            if lo > 1, arrival - frameTimes[lo - 2] < 0.002 { ambiguous += 1 }
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)] * 1000
        }
        let warm = samples.first { $0.time >= 60 } ?? samples.first
        let last = samples.last
        var cpuShare = Double.nan
        if let warm, let last, last.time > warm.time { cpuShare = 100 * (last.cpu - warm.cpu) / (last.time - warm.time) }
        let rssMax = samples.map(\.rss).max() ?? 0
        let firstMinute = samples.filter { $0.time <= 60 }.map(\.rss).max() ?? 0
        let lastMinute = samples.filter { $0.time >= (last?.time ?? 0) - 60 }.map(\.rss).max() ?? 0
        let duration = last?.time ?? 0
        print("lumbar live benchmark: 3 sensors × 400 Hz (bird dog, lumbar + both ankles), \(FixedDecimal.format(duration, decimals: 0)) s, release build")
        print(formatTable(
            header: ["measure", "value", "target"],
            rows: [
                ["lumbar_moved events", "\(latencies.count)", ""],
                ["frames written", "\(frameTimes.count)", ""],
                ["latency p50 (ms)", FixedDecimal.format(percentile(0.50), decimals: 3), ""],
                ["latency p99 (ms)", FixedDecimal.format(percentile(0.99), decimals: 3), "<= 2"],
                ["latency max (ms)", FixedDecimal.format(percentile(1.0), decimals: 3), ""],
                ["ambiguous (two frames < 2 ms before)", "\(ambiguous)", ""],
                ["CPU (% of one core, after 60 s)", FixedDecimal.format(cpuShare, decimals: 2), "< 5"],
                ["RSS max (MB)", FixedDecimal.format(Double(rssMax) / 1024, decimals: 1), "< 30"],
                ["RSS max first minute (MB)", FixedDecimal.format(Double(firstMinute) / 1024, decimals: 1), ""],
                ["RSS max last minute (MB)", FixedDecimal.format(Double(lastMinute) / 1024, decimals: 1), "no growth"],
            ]))
    }
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
