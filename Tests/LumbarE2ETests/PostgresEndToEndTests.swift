import Foundation
import LumbarStore
import Testing
import ThrowawayPostgres

/// `lumbar live` storing into a real PostgreSQL server (a throwaway one, Debian's binaries) that is stopped
/// mid-set and started again: the daemon says the failure once and the recovery once, the session goes
/// on, and every rep is in the database at the end, the session complete.
struct PostgresEndToEndTests {
    static let skipReason: String? = {
        guard let reason = ThrowawayPostgres.unavailableReason, ProcessInfo.processInfo.environment["CI"] == nil else { return nil }
        FileHandle.standardError.write(Data("SKIP PostgreSQL end-to-end test: \(reason)\n".utf8))
        return reason
    }()

    @Test("live on PostgreSQL, the server stopped mid-set and restarted: failure and recovery said once each, every rep stored",
          .enabled(if: skipReason == nil, "PostgreSQL cannot start here (the reason is printed as SKIP)"))
    func serverRestartedUnderALiveSession() async throws {
        let server = try ThrowawayPostgres()
        defer { server.remove() }
        var url = server.address()
        url.password = nil  // a station's password comes from its config or PGPASSWORD, never the command line
        let scratch = ScratchDirectory()
        let directory = scratch.path
        let simulator = try LumbarProcess(
            ["simulate", "--pty", "--link-dir", directory, "--sets", "1", "--reps", "8", "--seed", "5"], in: directory, name: "simulate")
        defer { _ = simulator.process.isRunning ? kill(simulator.process.processIdentifier, SIGKILL) : 0 }
        guard await simulator.wait(seconds: 30, until: { $0.stdout.contains("ready\n") }) else {
            Issue.record("lumbar simulate did not get ready: \(simulator.stderr)")
            return
        }
        let names = simulator.stdout.split(separator: "\n").prefix { $0 != "ready" }.map { String($0.split(separator: " ")[0]) }
        var arguments = ["live", "--no-status", "--events", directory + "/events.jsonl", "--person", "Ed", "--database", url.description]
        for name in names { arguments += ["--device", directory + "/" + name] }
        let live = try LumbarProcess(arguments, in: directory, name: "live", environment: ["PGPASSWORD": server.password])
        defer { _ = live.process.isRunning ? kill(live.process.processIdentifier, SIGKILL) : 0 }
        func storedReps() -> Int {
            guard let db = try? StoreDatabase.open(.postgres(server.address())) else { return 0 }
            defer { db.close() }
            return (try? StoreQueries.sessions(db).first?.reps.count) ?? 0
        }
        // Correctness waits, generous for a loaded machine (not timing asserts).
        #expect(await live.wait(seconds: 180) { _ in storedReps() >= 2 }, "two reps never reached PostgreSQL: \(live.stderr)")
        server.stop(immediately: true)
        #expect(await live.wait(seconds: 120) { $0.stderr.contains("retrying") }, "the failure was not said: \(live.stderr)")
        try server.start()
        let simulatorStatus = await simulator.waitForExit(seconds: 240)
        #expect(simulatorStatus == 0, "lumbar simulate: \(simulator.stderr)")
        _ = await live.wait(seconds: 5) { _ in readEvents(directory + "/events.jsonl").filter { $0.type == "sensor_lost" }.count >= names.count }
        live.terminate()
        #expect(await live.waitForExit(seconds: 60) == 0, "\(live.stderr)")
        let said = live.stderr.split(separator: "\n")
        #expect(said.filter { $0.contains("retrying") }.count == 1, "the failure is said once: \(live.stderr)")
        #expect(said.filter { $0.contains("works again") }.count == 1, "the recovery is said once: \(live.stderr)")
        #expect(!live.stderr.contains(server.password), "the password is never said")
        let completed = readEvents(directory + "/events.jsonl").filter { $0.type == "rep_completed" }.compactMap(\.rep)
        let db = try StoreDatabase.open(.postgres(server.address()))
        defer { db.close() }
        let s = try #require(try StoreQueries.sessions(db).first)
        #expect(s.complete && s.person?.name == "Ed" && completed.count > 2, "\(completed)")
        #expect(s.reps.map(\.rep) == completed, "every rep the daemon completed is stored, the ones during the outage too")
    }
}
