import Foundation
import LumbarStore
import Testing

/// The session database through the real executable: `live` stores as it happens, a `kill -9` mid-set
/// leaves the session incomplete with its reps, `replay --store` and `history` (text, HTML, a person's
/// export and deletion).
struct StoreEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func sessions(_ path: String) throws -> [StoredSession] {
        let db = try StoreDatabase.open(.sqlite(path: path))
        defer { db.close() }
        return try StoreQueries.sessions(db)
    }

    @Test("lumbar live stores the session as it happens: person, every rep of the events, sensors, complete at the end")
    func liveStoresTheSession() async throws {
        let scratch = ScratchDirectory()
        let db = scratch.path + "/clinic.sqlite"
        let run = try await simulateAndLive(
            ["--sets", "1", "--reps", "3", "--seed", "11"], liveArguments: ["--person", "Ann Smith", "--database", db])
        #expect(run.liveStatus == 0, "\(run.liveStderr)")
        let completed = run.of("rep_completed")
        #expect(completed.count == 3)
        let sessions = try Self.sessions(db)
        #expect(sessions.count == 1)
        let s = try #require(sessions.first)
        #expect(s.complete && s.source == "live" && s.person?.name == "Ann Smith")
        #expect(s.reps.map(\.rep) == completed.compactMap(\.rep))
        #expect(zip(s.reps, completed).allSatisfy { r, e in abs(r.endTime - ((e.fields["end_s"] as? Double) ?? -1)) < 0.0015 })
        #expect(run.liveStderr.contains("stored in '\(db)' (3 reps)"), "\(run.liveStderr)")
    }

    @Test("kill -9 of the daemon mid-set: the session stays in the database, marked incomplete, with the reps it had")
    func killedDaemonLeavesAnIncompleteSession() async throws {
        let scratch = ScratchDirectory()
        let directory = scratch.path
        let db = directory + "/clinic.sqlite"
        let simulator = try LumbarProcess(
            ["simulate", "--pty", "--link-dir", directory, "--sets", "1", "--reps", "10", "--seed", "5"], in: directory, name: "simulate")
        defer { _ = simulator.process.isRunning ? kill(simulator.process.processIdentifier, SIGKILL) : 0 }
        guard await simulator.wait(seconds: 30, until: { $0.stdout.contains("ready\n") }) else {
            Issue.record("lumbar simulate did not get ready: \(simulator.stderr)")
            return
        }
        let names = simulator.stdout.split(separator: "\n").prefix { $0 != "ready" }.map { String($0.split(separator: " ")[0]) }
        var arguments = ["live", "--no-status", "--person", "Bo", "--database", db, "--record", directory + "/s.lrec"]
        for name in names { arguments += ["--device", directory + "/" + name] }
        let live = try LumbarProcess(arguments, in: directory, name: "live")
        // Wait (a correctness wait, generous for a loaded machine) until two reps are in the database.
        let stored = await live.wait(seconds: 180) { _ in ((try? Self.sessions(db))?.first?.reps.count ?? 0) >= 2 }
        #expect(stored, "two reps never reached the database: \(live.stderr)")
        kill(live.process.processIdentifier, SIGKILL)
        live.process.waitUntilExit()
        #expect(live.process.terminationReason == .uncaughtSignal)
        let sessions = try Self.sessions(db)
        #expect(sessions.count == 1)
        let s = try #require(sessions.first)
        #expect(!s.complete && s.endedUnixNanoseconds == nil && s.person?.name == "Bo")
        #expect(s.reps.count >= 2 && s.reps.count < 10 && s.reps.map(\.rep) == Array(1...s.reps.count))
        #expect(s.recordingPath == directory + "/s.lrec")
        let history = try LumbarProcess(["history", "--database", db], in: directory, name: "history")
        #expect(await history.waitForExit(seconds: 60) == 0)
        #expect(history.stdout.contains("INCOMPLETE") && history.stdout.contains("1 session INCOMPLETE"), "\(history.stdout)")
    }

    @Test("replay --store and export --store, then history: text, HTML report, a person's export and deletion")
    func replayStoreAndHistory() async throws {
        let scratch = ScratchDirectory()
        let d = scratch.path
        let db = d + "/h.sqlite"
        func lumbar(_ args: [String]) async throws -> LumbarProcess {
            let p = try LumbarProcess(args, in: d, name: "run-\(UUID().uuidString.prefix(6))")
            let status = await p.waitForExit(seconds: 120)
            #expect(status == 0, "lumbar \(args.joined(separator: " ")): \(p.stderr)")
            return p
        }
        _ = try await lumbar(["replay", "\(Self.root)/recordings/fatigue-back-kick.lrec", "-q", "--store", "--person", "Cy", "--database", db])
        _ = try await lumbar(["export", "\(Self.root)/recordings/clean-back-kick.lrec", "--store", "--person", "cy", "--database", db])
        _ = try await lumbar(["replay", "\(Self.root)/recordings/clean-back-kick.lrec", "-q", "--store", "--person", "Di", "--database", db])
        let sessions = try Self.sessions(db)
        #expect(sessions.map(\.reps.count) == [10, 8, 8] || Set(sessions.map(\.reps.count)) == [10, 8])
        #expect(sessions.allSatisfy { $0.complete && $0.recordingSHA256?.count == 64 })
        let text = try await lumbar(["history", "--person", "CY", "--database", db])
        #expect(text.stdout.contains("Sessions of Cy") && !text.stdout.contains("Di "), "\(text.stdout)")
        _ = try await lumbar(["history", "--person", "Cy", "--database", db, "--html", d + "/cy.html"])
        let html = try String(contentsOfFile: d + "/cy.html", encoding: .utf8)
        #expect(html.contains("data-points=\"2\"") && html.contains("Lumbar progress: Cy"))
        _ = try await lumbar(["history", "--person", "Cy", "--database", db, "--export-person", d + "/cy.json"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/cy.json"))) as? [String: Any]
        #expect((json?["reps"] as? [Any])?.count == 18)
        _ = try await lumbar(["history", "--person", "Cy", "--database", db, "--delete-person"])
        #expect(try Self.sessions(db).map { $0.person?.name } == ["Di"])
        let refused = try LumbarProcess(["replay", "x.lrec", "--store", "--database", "postgres://u:pw@h/db"], in: d, name: "pw")
        #expect(await refused.waitForExit(seconds: 60) != 0)
        #expect(refused.stderr.contains("must not carry a password"), "\(refused.stderr)")
    }
}
