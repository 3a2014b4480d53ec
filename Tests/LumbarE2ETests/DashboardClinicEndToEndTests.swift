import Foundation
import LoopbackSocket
import LumbarStore
import Testing

/// The dashboard of issue 18 through the real executable: `--tls-cert/--tls-key` on `replay --http` (the
/// printed URL is https and a real client follows it), a bad certificate file as one line, and on `live`
/// with the session database the person's "last time" beside "now" and choosing the person on the page
/// (the whole session becomes theirs, the reps already stored included). Served on 127.0.0.2, where the
/// per-run token is needed.
struct DashboardClinicEndToEndTests {
    static let root = StoreEndToEndTests.root

    /// curl: `-D -` puts the response head before the body; the HTTP status and the body.
    static func curl(_ arguments: [String]) async -> (code: Int?, body: String, raw: String, status: Int32) {
        let r = await runTool("/usr/bin/curl", ["-sS", "--max-time", "20", "-D", "-"] + arguments)
        let parts = r.stdout.components(separatedBy: "\r\n\r\n")
        let code = parts.first?.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        return (code, parts.dropFirst().joined(separator: "\r\n\r\n"), r.stdout + r.stderr, r.status)
    }

    /// The URL `lumbar` printed for the dashboard (with its token), once it did.
    static func printedURL(_ p: LumbarProcess) async -> String? {
        guard await p.wait(seconds: 90, until: { $0.stderr.contains("dashboard on ") }) else { return nil }
        let line = p.stderr.split(separator: "\n").first { $0.contains("dashboard on ") }!
        return line.split(separator: " ").last.map(String.init)
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    @Test("replay --http 127.0.0.2 with --tls-cert/--tls-key: the printed https URL logs in, plain HTTP gets nothing; a bad key file is one line")
    func replayServesHTTPSAndRefusesABadKey() async throws {
        let scratch = ScratchDirectory()
        let d = scratch.path
        let made = await runTool("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=lumbar",
            "-addext", "subjectAltName=IP:127.0.0.2", "-keyout", d + "/key.pem", "-out", d + "/cert.pem",
        ])
        try #require(made.status == 0, "\(made.stderr)")
        let replay = try LumbarProcess(
            ["replay", "\(Self.root)/recordings/clean-back-kick.lrec", "-q", "--http", "127.0.0.2:0", "--tls-cert", d + "/cert.pem",
             "--tls-key", d + "/key.pem"], in: d, name: "replay")
        defer { replay.terminate() }
        let url = try #require(await Self.printedURL(replay), "no URL printed: \(replay.stderr)")
        #expect(url.hasPrefix("https://127.0.0.2:") && url.contains("/?token="), "\(url)")
        let jar = d + "/cookies"
        let login = await Self.curl(["--cacert", d + "/cert.pem", "-c", jar, "-L", url])
        #expect(login.code == 303 && login.raw.contains("Secure") && login.body.contains("<title>Lumbar</title>"), "\(login.raw.prefix(600))")
        let base = String(url.prefix { $0 != "?" }).dropLast()
        _ = await replay.wait(seconds: 120) { _ in replay.stderr.contains("replay finished") }
        let token = String(url.split(separator: "=").last ?? "")
        #expect(!token.isEmpty && replay.stderr.components(separatedBy: token).count == 2, "the token is printed once: \(replay.stderr)")
        let session = await Self.curl(["--cacert", d + "/cert.pem", "-b", jar, base + "/api/session"])
        #expect(session.code == 200 && (Self.json(session.body)["reps"] as? [Any])?.count == 8, "\(session.raw.prefix(300))")
        let anonymous = await Self.curl(["--cacert", d + "/cert.pem", base + "/api/session"])
        #expect(anonymous.code == 401)
        let plain = await Self.curl(["-b", jar, base.replacingOccurrences(of: "https://", with: "http://") + "/api/session"])
        #expect(plain.status != 0 && !plain.raw.contains("\"reps\""), "\(plain.raw)")

        _ = await runTool("/usr/bin/openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", d + "/other.pem"])
        let mismatched = try LumbarProcess(
            ["replay", "\(Self.root)/recordings/clean-back-kick.lrec", "-q", "--http", "127.0.0.2:0", "--tls-cert", d + "/cert.pem",
             "--tls-key", d + "/other.pem"], in: d, name: "mismatch")
        #expect(await mismatched.waitForExit(seconds: 60) == 1)
        let lines = mismatched.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: TLS: '\(d)/other.pem' is not the private key of the certificate"), "\(mismatched.stderr)")
        let missing = try LumbarProcess(
            ["live", "--http", "127.0.0.2:0", "--tls-cert", d + "/none.pem", "--tls-key", d + "/key.pem", "--no-store"], in: d, name: "missing")
        #expect(await missing.waitForExit(seconds: 60) == 1)
        #expect(missing.stderr.contains("error: TLS: '\(d)/none.pem' cannot read the TLS certificate: No such file or directory"), "\(missing.stderr)")
        let half = try LumbarProcess(["replay", "x.lrec", "--http", "127.0.0.2:0", "--tls-cert", d + "/cert.pem"], in: d, name: "half")
        #expect(await half.waitForExit(seconds: 60) != 0)
        #expect(half.stderr.contains("'--tls-cert' needs its private key"), "\(half.stderr)")
    }

    @Test("live with the session database: Anna's last session beside now; choosing Bo on the page makes the whole session Bo's")
    func liveShowsLastTimeAndTakesThePersonFromThePage() async throws {
        let scratch = ScratchDirectory()
        let d = scratch.path
        let db = d + "/clinic.sqlite"
        let earlier = try LumbarProcess(
            ["export", "\(Self.root)/recordings/clean-back-kick.lrec", "--store", "--person", "Anna", "--database", db], in: d, name: "export")
        #expect(await earlier.waitForExit(seconds: 120) == 0, "\(earlier.stderr)")
        let stored = try StoreEndToEndTests.sessions(db)
        let previous = try #require(stored.first)

        let simulator = try LumbarProcess(
            ["simulate", "--pty", "--link-dir", d, "--sets", "1", "--reps", "6", "--seed", "7"], in: d, name: "simulate")
        defer { _ = simulator.process.isRunning ? kill(simulator.process.processIdentifier, SIGKILL) : 0 }
        try #require(await simulator.wait(seconds: 30, until: { $0.stdout.contains("ready\n") }), "\(simulator.stderr)")
        let names = simulator.stdout.split(separator: "\n").prefix { $0 != "ready" }.map { String($0.split(separator: " ")[0]) }
        var arguments = ["live", "--no-status", "--person", "Anna", "--database", db, "--http", "127.0.0.2:0", "--events", d + "/events.jsonl"]
        for name in names { arguments += ["--device", d + "/" + name] }
        let live = try LumbarProcess(arguments, in: d, name: "live")
        defer { _ = live.process.isRunning ? kill(live.process.processIdentifier, SIGKILL) : 0 }
        let url = try #require(await Self.printedURL(live), "\(live.stderr)")
        let token = String(url.split(separator: "=").last!)
        let base = String(url.prefix { $0 != "?" }.dropLast())
        let bearer = ["-H", "Authorization: Bearer \(token)"]

        // "last time": read off the live path, shown once read.
        var clinic: [String: Any] = [:]
        for _ in 0..<120 {
            let r = await Self.curl(bearer + [base + "/api/session"])
            clinic = Self.json(r.body)["clinic"] as? [String: Any] ?? [:]
            if clinic["last_time"] is [String: Any] { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        let last = try #require(clinic["last_time"] as? [String: Any], "\(clinic)")
        #expect(clinic["person"] as? String == "Anna" && (clinic["people"] as? [String]) == ["Anna"], "\(clinic)")
        #expect(last["reps"] as? Int == previous.reps.count && last["exercise"] as? String == previous.exercise, "\(last)")
        let clean = try #require(last["clean_rate"] as? Double)
        #expect(abs(clean - (previous.cleanRepRate ?? -1)) < 0.001)
        #expect(abs((last["lumbar_max_deg"] as? Double ?? -1) - (previous.lumbarMax ?? -2)) < 0.051)
        #expect(abs((last["rom_deg"] as? Double ?? -1) - (previous.meanLegROM ?? -2)) < 0.051)
        #expect((last["started"] as? String)?.hasPrefix(String(UTCTimestampProbe.day(previous.startedUnixNanoseconds))) == true, "\(last)")

        // Without the token, from another origin, or as a form: nothing read, nothing chosen.
        let json = ["-H", "Content-Type: application/json"]
        let noToken = await Self.curl(json + ["--data", #"{"name":"Eve"}"#, base + "/api/person"])
        #expect(noToken.code == 401)
        #expect(await Self.curl([base + "/api/people"]).code == 401)
        let crossOrigin = await Self.curl(bearer + json + ["-H", "Origin: http://evil.example", "--data", #"{"name":"Eve"}"#, base + "/api/person"])
        #expect(crossOrigin.code == 403)
        let form = await Self.curl(bearer + ["--data", "name=Eve", base + "/api/person"])
        #expect(form.code == 415)

        // Bo is chosen once a rep is stored: the session, its reps so far included, becomes Bo's.
        let repStored = await live.wait(seconds: 180) { _ in
            ((try? StoreEndToEndTests.sessions(db))?.first { $0.source == "live" }?.reps.count ?? 0) >= 1
        }
        #expect(repStored, "\(live.stderr)")
        let chosen = await Self.curl(bearer + json + ["-H", "Origin: \(base)", "--data", #"{"name":"Bo"}"#, base + "/api/person"])
        #expect(chosen.code == 200 && chosen.body == #"{"person":"Bo"}"#, "\(chosen.raw)")
        var people: [String: Any] = [:]
        for _ in 0..<40 {
            people = Self.json(await Self.curl(bearer + [base + "/api/people"]).body)
            if people["person"] as? String == "Bo" { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(people["person"] as? String == "Bo" && (people["people"] as? [String]) == ["Anna", "Bo"], "\(people)")

        #expect(await simulator.waitForExit(seconds: 240) == 0)
        _ = await live.wait(seconds: 5) { _ in false }
        live.terminate()
        #expect(await live.waitForExit(seconds: 60) == 0, "\(live.stderr)")
        let events = readEvents(d + "/events.jsonl").filter { $0.type == "rep_completed" }
        let sessions = try StoreEndToEndTests.sessions(db)
        let session = try #require(sessions.first { $0.source == "live" })
        #expect(session.person?.name == "Bo" && session.complete, "\(session)")
        #expect(session.reps.count == events.count && events.count >= 1)
        #expect(sessions.filter { $0.person?.name == "Anna" }.map(\.id) == [previous.id], "Anna keeps only her earlier session")
        #expect(live.stderr.contains("is Bo's (chosen on the dashboard"), "\(live.stderr)")
        #expect(live.stderr.components(separatedBy: token).count == 2, "the token is printed once, never logged again")
    }
}

/// The day of a time, `yyyy-mm-dd` (UTC), as the test checks the panel's date.
enum UTCTimestampProbe {
    static func day(_ ns: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(ns) / 1e9)
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }
}
