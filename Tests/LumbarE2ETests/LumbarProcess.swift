import Foundation
import Testing

/// The `lumbar` executable built next to this test bundle.
let lumbarExecutable: String = {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = bundle.deletingLastPathComponent()
    // swift test runs .build/<triple>/debug/LumbarPackageTests.xctest; the executable sits beside it.
    for _ in 0..<3 {
        let candidate = directory.appendingPathComponent("lumbar").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/lumbar")
        .standardized.path
}()

/// A running `lumbar` process with its output collected into files.
final class LumbarProcess: @unchecked Sendable {
    // @unchecked: every stored property is a `let` set in init; `Process` is thread-safe for the calls the
    // tests make (waiting, signalling, reading its status).
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    /// Runs `lumbar ARGUMENTS`, through `launcher` when given (e.g. `["/usr/bin/prlimit", "--nofile=128:128"]`,
    /// which execs it with the same pid).
    /// The session database defaults to `DIRECTORY/data/lumbar/lumbar.sqlite` (XDG_DATA_HOME): a test never
    /// writes to the user's own; `environment` adds or replaces variables.
    init(_ arguments: [String], in directory: String, name: String, launcher: [String] = [], environment: [String: String] = [:]) throws {
        stdoutPath = directory + "/\(name).out"
        stderrPath = directory + "/\(name).err"
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: launcher.first ?? lumbarExecutable)
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [lumbarExecutable] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        var env = scratchEnvironment(directory)
        for (k, v) in environment { env[k] = v }
        process.environment = env
        try process.run()
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits until `condition` holds on the output, at most `seconds`; false on timeout or exit.
    func wait(seconds: Double, until condition: (LumbarProcess) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(self)
    }

    /// Waits for the process to exit, at most `seconds` (then kills it); returns its status, nil when killed.
    func waitForExit(seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// SIGTERM, as systemd stops the daemon.
    func terminate() { kill(process.processIdentifier, SIGTERM) }
}

/// A scratch directory, removed at the end.
final class ScratchDirectory {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "lumbar-e2e-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// One event line, parsed.
struct Event {
    let fields: [String: Any]
    var type: String { fields["type"] as? String ?? "" }
    var time: Double { fields["t"] as? Double ?? -1 }
    var rep: Int? { fields["rep"] as? Int }
    var sensor: String? { fields["sensor"] as? String }
    var string: (String) -> String? { { self.fields[$0] as? String } }
}

func readEvents(_ path: String) -> [Event] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { line in
        (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).map(Event.init)
    }
}

/// This process's environment with the session database under `DIRECTORY/data` (XDG_DATA_HOME): a `lumbar`
/// started by a test, with `LumbarProcess` or a bare `Process`, never stores into the user's own database.
func scratchEnvironment(_ directory: String) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["XDG_DATA_HOME"] = directory + "/data"
    return env
}

/// What a simulated session through `lumbar live` produced.
struct LiveRun {
    let events: [Event]
    let liveStderr: String
    let liveStatus: Int32?
    let names: [String]

    func of(_ type: String) -> [Event] { events.filter { $0.type == type } }
}

/// Plays `lumbar simulate --pty SIMULATE-ARGS` to its end through `lumbar live`, then stops the daemon
/// with SIGTERM. `liveArguments` are added to `lumbar live`'s; `read` picks the emulated sensors the daemon reads (all by default).
/// `eventsPath` replaces the events file the run reads back (e.g. `/dev/full`); the events are then empty.
/// `device` turns a sensor's link path into its `--device` argument (e.g. `lumbar=PATH:ximu3`).
func simulateAndLive(
    _ simulateArguments: [String], liveArguments: [String] = [], eventsPath: String? = nil, read: (String) -> Bool = { _ in true },
    device: (_ name: String, _ path: String) -> String = { _, path in path }
) async throws -> LiveRun {
    let scratch = ScratchDirectory()
    let directory = scratch.path
    // Sensors of other families get no start command: without --wait-for-host-bytes their session would
    // start at `ready`, and a daemon started late on a loaded host (once: after the whole 40 s session, its
    // ports gone) would miss it. The daemon writes to a port it does not know yet as soon as it opens it.
    let simulator = try LumbarProcess(
        ["simulate", "--pty", "--link-dir", directory, "--wait-for-host-bytes"] + simulateArguments, in: directory, name: "simulate")
    guard await simulator.wait(seconds: 30, until: { $0.stdout.contains("ready\n") }) else {
        _ = await simulator.waitForExit(seconds: 0)
        Issue.record("lumbar simulate did not get ready: \(simulator.stderr)")
        return LiveRun(events: [], liveStderr: "", liveStatus: nil, names: [])
    }
    let names = simulator.stdout.split(separator: "\n").prefix { $0 != "ready" }.map { String($0.split(separator: " ")[0]) }
    let readable = eventsPath == nil
    let eventsPath = eventsPath ?? directory + "/events.jsonl"
    var arguments = ["live", "--events", eventsPath, "--no-status"] + liveArguments
    for name in names where read(name) { arguments += ["--device", device(name, directory + "/" + name)] }
    let live = try LumbarProcess(arguments, in: directory, name: "live")
    let simulatorStatus = await simulator.waitForExit(seconds: 240)
    #expect(simulatorStatus == 0, "lumbar simulate: \(simulator.stderr)")
    // Its sensors' links went with it: a link left behind would point at a pseudo-terminal number the
    // system hands to the next program, and the daemon, reopening its --device paths, would join it.
    let leftLinks = names.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + $0)) != nil }
    #expect(leftLinks.isEmpty, "lumbar simulate left its links behind: \(leftLinks)")
    // The daemon sees every line hang up; give it a moment to report, then stop it like systemd does.
    _ = await live.wait(seconds: readable ? 5 : 2) { _ in
        readable && readEvents(eventsPath).filter { $0.type == "sensor_lost" }.count >= names.filter(read).count
    }
    live.terminate()
    let status = await live.waitForExit(seconds: 30)
    return LiveRun(events: readable ? readEvents(eventsPath) : [], liveStderr: live.stderr, liveStatus: status, names: names)
}
