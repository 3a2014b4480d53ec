import Foundation
import Testing

/// Two `lumbar live` daemons on the same ports (issue 14, item 8). As root `TIOCEXCL` does not stop the
/// second open, so on main before the advisory lock the second daemon ran: each took about half of
/// the bytes, and its stop command at exit silenced the first daemon's sensors. This failed there
/// (the second daemon did not exit) and passes with `flock` on the port.
struct DeviceLockEndToEndTests {
    @Test func aSecondDaemonOnPortsInUseIsRefusedNamingEachPortAndTheFirstDaemonsPid() async throws {
        let scratch = ScratchDirectory()
        let simulator = try LumbarProcess(["simulate", "--pty", "--link-dir", scratch.path], in: scratch.path, name: "simulate")
        defer { simulator.terminate() }
        #expect(await simulator.wait(seconds: 30) { $0.stdout.contains("ready\n") })
        let names = simulator.stdout.split(separator: "\n").prefix { $0 != "ready" }.map { String($0.split(separator: " ")[0]) }
        let devices = names.flatMap { ["--device", scratch.path + "/" + $0] }
        let firstEvents = scratch.path + "/first.jsonl"
        let first = try LumbarProcess(
            ["live", "--no-status", "--events", firstEvents] + devices, in: scratch.path, name: "first")
        #expect(await first.wait(seconds: 30) { _ in
            readEvents(firstEvents).filter { $0.type == "sensor_connected" }.count == names.count
        })

        let second = try LumbarProcess(
            ["live", "--no-status", "--events", scratch.path + "/second.jsonl"] + devices, in: scratch.path, name: "second")
        let status = await second.waitForExit(seconds: 30)
        #expect(status == 1, "the second daemon ran on ports in use: \(second.stderr)")
        let refusals = second.stderr.split(separator: "\n").filter { $0.contains("in use") }
        #expect(
            refusals.sorted()
                == names.map {
                    "ERROR Unable to open '\(scratch.path)/\($0)': the port is in use by another program "
                        + "(pid \(first.process.processIdentifier), lumbar), which holds its lock."
                }.sorted(), "\(second.stderr)")

        // The first daemon was not disturbed: its session goes on to a counted rep.
        #expect(await first.wait(seconds: 120) { _ in readEvents(firstEvents).contains { $0.type == "rep_completed" } })
        #expect(!readEvents(firstEvents).contains { $0.type == "sensor_lost" })
        first.terminate()
        #expect(await first.waitForExit(seconds: 30) == 0)
    }
}
