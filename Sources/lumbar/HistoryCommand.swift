import ArgumentParser
import LumbarCore
import LumbarSession
import LumbarStore

/// `lumbar history`: the stored sessions and the trend across weeks; a progress report; a person's data
/// exported or deleted.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Lists the stored sessions with their key figures and the trend across weeks.",
        discussion: """
            Per session: when, who, the exercise, reps, the clean-rep rate, the lumbar maximum of each set, the \
            mean leg range of motion and tempo, and whether it is complete (a daemon that was killed leaves its \
            session incomplete with the reps it had). Then per week (from Monday, UTC) the same figures, and the \
            trend from the first week to the last. --html writes a self-contained progress report with plots. \
            --export-person writes everything stored of --person as JSON; --delete-person deletes it.
            """
    )

    @OptionGroup(title: "Session database")
    var store: StoreOptions

    @Option(help: "The config file (its [database] section names the session database).")
    var config: String?

    @Option(help: "Write a self-contained HTML progress report (plots of clean reps, lumbar maximum, ROM, tempo) to FILE.")
    var html: String?

    @Option(name: .customLong("export-person"), help: "Write everything stored of --person (every row of every table) to FILE as JSON.")
    var exportPerson: String?

    @Flag(name: .customLong("delete-person"), help: "Delete --person and every session, rep and sensor fact stored of them.")
    var deletePerson = false

    @Flag(help: "List the people stored, with their number of sessions.")
    var people = false

    func validate() throws {
        if (exportPerson != nil || deletePerson) && store.person == nil {
            throw ValidationError("'--export-person' and '--delete-person' need '--person NAME'.")
        }
        _ = try store.storedPerson()
    }

    func run() throws {
        let address = try store.address(config: storeConfiguration(config))
        let asked = try store.storedPerson()
        let connection: any StoreConnection
        do { connection = try StoreDatabase.open(address) } catch {
            TerminalLines.standardError("error: \(error.message)")
            throw ExitCode.failure
        }
        defer { connection.close() }
        do {
            // The name as first stored (the id folds case and spacing; the report shows the stored spelling).
            let person = try asked.map { try StoreQueries.find(connection, $0) ?? $0 }
            if people {
                let list = try StoreQueries.people(connection)
                print(list.isEmpty ? "No people stored in \(address)." :
                    TextTable.format(header: ["person", "id", "sessions"], rows: list.map { [$0.person.name, $0.person.id, String($0.sessions)] }))
                return
            }
            if let person, (exportPerson != nil || deletePerson), try StoreQueries.find(connection, person) == nil {
                TerminalLines.standardError("error: no person '\(person.name)' in the session database \(address)")
                throw ExitCode.failure
            }
            if let path = exportPerson, let person {
                try write(PersonExport.json(connection, person: person), to: path)
                TerminalLines.standardError("Everything stored of \(person.name) written to '\(path)'.")
            }
            if deletePerson, let person {
                let (sessions, reps) = try StoreQueries.delete(connection, person)
                TerminalLines.standardError("Deleted \(person.name): \(sessions) sessions, \(reps) reps, from \(address).")
                return
            }
            if exportPerson != nil { return }
            let sessions = try StoreQueries.sessions(connection, person: person)
            if let path = html {
                try write(HistoryHTML.document(sessions, person: person), to: path)
                TerminalLines.standardError("Progress report of \(sessions.count) sessions written to '\(path)'.")
            } else {
                print(HistoryReport.text(sessions, person: person), terminator: "")
            }
        } catch let error as StoreError {
            TerminalLines.standardError("error: \(error.message)")
            throw ExitCode.failure
        }
    }

    private func write(_ text: String, to path: String) throws {
        do {
            let writer = try ByteFileWriter(path: path)
            writer.write(text)
            try writer.close()
        } catch {
            TerminalLines.standardError("error: cannot write '\(path)': \(error)")
            throw ExitCode.failure
        }
    }
}
