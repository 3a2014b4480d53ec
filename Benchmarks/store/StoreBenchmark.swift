#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import LumbarCore
import LumbarStore
import ThrowawayPostgres

/// `lumbar-store-bench` (`make bench-store`; a benchmark driver of its own, not part of the user's `lumbar`):
/// what storing the session costs, on SQLite and on PostgreSQL (a throwaway server it starts itself from
/// Debian's binaries, or `--postgres`).
///
/// 1. Cost per stored rep, through the same `StoreWriter` that `lumbar live` uses: the hand-off on the
///    session's thread (`submit`, ns per call, p50 and p99), the writer's time per rep when reps come one at
///    a time as in a session (submit to stored, ms: one transaction per rep), per rep of a backlog stored
///    in batches (after an outage), and the database's growth per rep (bytes).
/// 2. Alert latency with storing on and off: `lumbar-live-bench` (beside this driver) runs `lumbar live` on
///    emulated sensors with `--no-store`, with SQLite and with PostgreSQL, the same scripted session each.
@main
struct StoreBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lumbar-store-bench", abstract: "The session database's cost per rep and its effect on alert latency (release build).")

    @Option(help: "Reps stored one at a time (as in a session).")
    var reps: Int = 300

    @Option(help: "Reps stored as one backlog (in batches).")
    var backlog: Int = 3000

    @Option(help: "Seconds of `lumbar live` per latency mode (0: no latency table).")
    var liveSeconds: Double = 120

    @Option(help: "A PostgreSQL database to use instead of a throwaway server (postgres://USER@HOST:PORT/DB; password from PGPASSWORD).")
    var postgres: String?

    struct Row {
        var name: String
        var handOff: (p50: Double, p99: Double)
        var pacedMs: Double
        var batchMs: Double
        var bytesPerRep: Double
    }

    static func rep(_ n: Int) -> RepRecord {
        RepRecord(
            rep: n, set: 1 + n / 10, leg: n % 2 == 0 ? .left : .right, startTime: Double(n) * 3, peakTime: Double(n) * 3 + 1,
            endTime: Double(n) * 3 + 2.4, concentricDuration: 1.1, holdDuration: 0.4, eccentricDuration: 0.9,
            legROMDegrees: 60 + Float(n % 7), peakLegAngularVelocityDps: 110, lumbarMaxDeviationDegrees: 3 + Float(n % 5),
            lumbarExtensionDegrees: 2.5, lumbarLateralDegrees: 0.7, lumbarRotationDegrees: -0.4, lumbarMoved: n % 4 == 0,
            faults: n % 4 == 0 ? [.lumbarExtension] : [])
    }

    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    func measure(_ name: String, open: @escaping () throws(StoreError) -> any StoreConnection, size: @escaping () -> Int) throws -> Row {
        let writer = StoreWriter(databaseName: name, open: open)
        writer.submit(.begin(StoredSessionStart(id: "bench", person: try StoredPerson(name: "Bench"), source: .live, startedUnixNanoseconds: 1)))
        while writer.stored.records < 1 { usleep(1000) }
        let before = size()
        // One rep at a time: the hand-off timed on this (the session's) thread, then submit-to-stored.
        var handOff: [Double] = []
        var paced: [Double] = []
        for n in 1...reps {
            let stored = writer.stored.reps
            let t0 = Self.now()
            writer.submit(.rep(session: "bench", Self.rep(n)))
            let t1 = Self.now()
            while writer.stored.reps == stored { usleep(50) }
            paced.append(Double(Self.now() - t0) / 1e6)
            handOff.append(Double(t1 - t0))
        }
        // A backlog: every rep at once (the writer takes what waits, one transaction per batch).
        let t0 = Self.now()
        for n in reps + 1...reps + backlog { writer.submit(.rep(session: "bench", Self.rep(n))) }
        let (unstored, failure) = writer.close(waitingAtMost: 600)
        guard unstored == 0 else { throw ValidationError("\(name): \(unstored) records not stored: \(failure ?? "")") }
        let batchMs = Double(Self.now() - t0) / 1e6 / Double(backlog)
        let bytes = Double(size() - before) / Double(reps + backlog)
        handOff.sort()
        paced.sort()
        return Row(name: name, handOff: (Self.quantile(0.5, handOff), Self.quantile(0.99, handOff)),
                   pacedMs: Self.quantile(0.5, paced), batchMs: batchMs, bytesPerRep: bytes)
    }

    static func quantile(_ p: Double, _ sorted: [Double]) -> Double {
        sorted.isEmpty ? .nan : sorted[max(0, min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
    }

    func run() throws {
        let dir = NSTemporaryDirectory() + "lumbar-store-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bench.sqlite"
        func fileSize(_ p: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? Int) ?? 0 }
        var rows = [try measure("SQLite (GRDB, WAL)", open: { () throws(StoreError) in try StoreDatabase.open(.sqlite(path: path)) },
                                size: { fileSize(path) + fileSize(path + "-wal") })]

        // PostgreSQL: the given database, or a throwaway server.
        var server: ThrowawayPostgres?
        defer { server?.remove() }
        var pgURL: String?
        var pgAddress: StoreAddress?
        if let postgres {
            pgAddress = try StoreAddress.resolve(option: postgres, config: [], environment: processEnvironment())
            pgURL = postgres
        } else {
            do {
                let s = try ThrowawayPostgres()
                server = s
                pgAddress = .postgres(s.address())
                var shown = s.address()
                shown.password = nil
                pgURL = shown.description
                setenv("PGPASSWORD", s.password, 1)  // for lumbar live below, as a station would have it
            } catch {
                print("SKIP PostgreSQL: \(error)")
            }
        }
        if let pgAddress {
            let sizeConnection = try StoreDatabase.open(pgAddress)
            defer { sizeConnection.close() }
            let size = { () -> Int in
                Int((try? sizeConnection.query(StoreStatement("SELECT pg_database_size(current_database())")))?.first?.first?.int ?? 0)
            }
            rows.append(try measure("PostgreSQL (postgres-nio)", open: { () throws(StoreError) in try StoreDatabase.open(pgAddress) }, size: size))
        }

        print("Cost per stored rep, release build, \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage())")
        print("hand-off: StoreWriter.submit on the session's thread; paced: \(reps) reps one at a time, submit → stored (one"
            + " transaction each, as in a session); backlog: \(backlog) reps at once, stored in batches; bytes: database growth / reps")
        print(TextTable.format(
            header: ["database", "hand-off p50 (ns)", "hand-off p99 (ns)", "paced (ms/rep)", "backlog (ms/rep)", "bytes/rep"],
            rows: rows.map { r in
                [r.name, FixedDecimal.format(r.handOff.p50, decimals: 0), FixedDecimal.format(r.handOff.p99, decimals: 0),
                 FixedDecimal.format(r.pacedMs, decimals: 3), FixedDecimal.format(r.batchMs, decimals: 3), FixedDecimal.format(r.bytesPerRep, decimals: 0)]
            }))
        fflush(nil)  // the table before the live bench's output (all streams: stdout is not concurrency-safe to name)

        guard liveSeconds > 0 else { return }
        let me = CommandLine.arguments[0].hasPrefix("/")
            ? CommandLine.arguments[0] : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0]
        let bench = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("lumbar-live-bench").path
        let live = Process()
        live.executableURL = URL(fileURLWithPath: bench)
        live.arguments = ["--seconds", String(liveSeconds), "--modes", pgURL == nil ? "nostore,normal" : "nostore,normal,postgres"]
            + (pgURL.map { ["--postgres", $0] } ?? [])
        try live.run()
        live.waitUntilExit()
        guard live.terminationStatus == 0 else { throw ValidationError("lumbar-live-bench failed (status \(live.terminationStatus))") }
    }

    func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        return getloadavg(&loads, 3) == 3 ? loads.map { FixedDecimal.format($0, decimals: 2) }.joined(separator: ", ") : "?"
    }
}
