#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import LumbarCore
import LumbarIO
import LumbarSession
import LumbarStore

/// Which database and person a session is stored for (`live`, `replay --store`, `export --store`, `history`).
struct StoreOptions: ParsableArguments {
    @Option(help: "The session database: a SQLite file, or postgres://USER@HOST:PORT/DATABASE (password from the config's [database] password or PGPASSWORD, never here). Default: the config's [database] url, else $XDG_DATA_HOME/lumbar/lumbar.sqlite (~/.local/share/lumbar/lumbar.sqlite).")
    var database: String?

    @Option(help: "Whose session it is (a name; the same name is the same person on every station).")
    var person: String?

    /// The database named by `--database`, the config file or the default.
    func address(config: SensorConfiguration) throws -> StoreAddress {
        do {
            return try StoreAddress.resolve(option: database, config: config.database, environment: processEnvironment())
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// The `--person`, nil without one.
    func storedPerson() throws -> StoredPerson? {
        guard let person else { return nil }
        do { return try StoredPerson(name: person) } catch { throw ValidationError(error.message) }
    }
}

/// A session being stored: its writer thread and the pipeline output that feeds it. The database opens on
/// the writer's thread (never delaying the session); problems come back as lines through `notices()`.
final class SessionStoring {
    let address: StoreAddress
    let writer: StoreWriter
    var output: StoreSessionOutput

    init(address: StoreAddress, start: StoredSessionStart) {
        self.address = address
        writer = StoreWriter(databaseName: address.description) { () throws(StoreError) in try StoreDatabase.open(address) }
        output = StoreSessionOutput(writer: writer, start: start)
    }

    /// Lines to say once each (a failure, a recovery).
    func notices() -> [StoreNotice] {
        writer.flushOverflow()
        return writer.takeNotices()
    }

    /// The session ended normally: stores its end, waits (at most `seconds`) for everything to be stored and
    /// returns the lines to say: what was stored, or what was not and where the session still is.
    func finish(_ end: StoredSessionEnd?, recording: String?, waitingAtMost seconds: Double = 15) -> (lines: [String], failed: Bool) {
        if let end { output.finish(end) }
        let (unstored, failure) = writer.close(waitingAtMost: seconds)
        var lines = writer.takeNotices().map(\.line)
        let stored = writer.stored
        if unstored == 0 {
            lines.append("Session \(output.sessionID) stored in \(address) (\(stored.reps) reps).")
            return (lines, false)
        }
        var text = "Session \(output.sessionID): \(unstored) records were not stored in \(address) (\(failure ?? "no answer within \(Int(seconds)) s"))"
        if let recording {
            text += "; the recording '\(recording)' holds the whole session: 'lumbar export \(recording) --store --person NAME' stores it later."
        } else {
            text += "."
        }
        lines.append(text)
        return (lines, true)
    }
}

/// An absolute form of `path` (relative paths are resolved against the working directory).
func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return cwd + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
}

/// `--store` for `replay` and `export`: the session of a recording (or Sample CSV) into the database.
struct FileStoreOptions: ParsableArguments {
    @Flag(name: .customLong("store"), help: "Store the session in the session database (see --database, --person).")
    var store = false

    @OptionGroup(title: "Session database")
    var database: StoreOptions

    @Option(name: .customLong("config"), help: "The config file (its [database] section names the session database).")
    var config: String?

    func validate() throws {
        if !store && (database.database != nil || database.person != nil) {
            throw ValidationError("'--database' and '--person' name where and for whom to store: add '--store'.")
        }
        _ = try database.storedPerson()
    }

    /// Starts storing the session of `file` when `--store` was given.
    func start(source: StoredSource, file: String) throws -> SessionStoring? {
        guard store else { return nil }
        let address = try database.address(config: storeConfiguration(config))
        let path = absolutePath(file)
        let start = StoredSessionStart(
            id: StoreDatabase.newSessionID(), person: try database.storedPerson(), source: source,
            startedUnixNanoseconds: SessionFileRunner.recordedAt(file) ?? StoreDatabase.unixNanoseconds(),
            station: StoreDatabase.hostName(), recordingPath: path, recordingSHA256: RecordingHash.hex(ofFile: path))
        return SessionStoring(address: address, start: start)
    }
}

extension SessionStoring {
    /// Ends a replayed or exported session: stores its end and says on stderr what was stored.
    /// - Returns: false when something was not stored.
    func finishFile(exporter: SessionExporter, pipeline: SessionPipeline, file: String) -> Bool {
        for n in notices() { TerminalLines.standardError((n.isProblem ? "error: " : "") + n.line) }
        let end = StoredSessionEnd(
            endedUnixNanoseconds: StoreDatabase.unixNanoseconds(), summary: exporter.summary(duration: pipeline.sessionTime),
            thresholdDegrees: Double(pipeline.lumbarThresholdDegrees), recordingSHA256: nil,
            sensors: StoreSessionOutput.sensors(of: pipeline))
        let (lines, failed) = finish(end, recording: nil)
        for line in lines { TerminalLines.standardError((failed ? "error: " : "") + line) }
        return !failed
    }
}

/// The config file at `path` (its `[database]` section), or the defaults without one.
func storeConfiguration(_ path: String?) throws -> SensorConfiguration {
    guard let path else { return .default }
    do { return try SensorConfiguration.load(path: path) } catch { throw ValidationError(error.description) }
}
