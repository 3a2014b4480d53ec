import Dispatch
import LumbarFeedback
import LumbarMotion
import LumbarStore
import LumbarThreads
import Synchronization

/// The live dashboard's clinic panel: whose session it is, the people stored, and that person's previous
/// session ("last time") beside the live figures. Reads the session database on its own thread (at start
/// and after each choice), never on the session's thread nor on the server's event loops.
///
/// Choosing a person on the dashboard (`POST /api/person`) makes the whole session theirs: the reps already
/// stored are re-attributed with it (one `UPDATE` of the session's row), because a physiotherapist who picks
/// the person after the warm-up (or corrects a wrong pick) means "this session is Anna's", not "Anna's from
/// rep 4 on". The choice reaches the database through the session's own writer (`takeChoice()`, polled by the
/// session thread each tick), in order after everything already measured.
final class DashboardClinic: Sendable {
    private struct Shared {
        var person: StoredPerson?
        /// Chosen on the dashboard and not yet handed to the session's writer.
        var chosen: StoredPerson?
        var readWanted = true
        var stopping = false
    }

    private let hub: DashboardHub
    private let address: StoreAddress
    private let sessionID: String
    private let shared: Mutex<Shared>
    private let wake = DispatchSemaphore(value: 0)
    private let thread = Mutex<OSThread?>(nil)

    /// Starts reading the people and the person's sessions; the panel says "reading…" until then.
    init(hub: DashboardHub, address: StoreAddress, sessionID: String, person: StoredPerson?) {
        self.hub = hub
        self.address = address
        self.sessionID = sessionID
        shared = Mutex(Shared(person: person))
        hub.publish(clinic: ClinicPanel(unavailable: nil, person: person?.name, people: person.map { [$0.name] } ?? [], loading: true))
        thread.withLock { $0 = OSThread(name: "lumbar-clinic") { [self] in run() } }
        hub.onChoosePerson { [weak self] name in
            self?.choose(name) ?? .failure(PersonChoiceRefusal("The session has ended"))
        }
        wake.signal()
    }

    /// A page chose the session's person (the server's thread): checked, kept for the session thread, and
    /// their sessions read.
    func choose(_ name: String) -> Result<String, PersonChoiceRefusal> {
        let person: StoredPerson
        do throws(StoreError) { person = try StoredPerson(name: name) } catch { return .failure(PersonChoiceRefusal(error.message)) }
        shared.withLock { s in
            s.person = person
            s.chosen = person
            s.readWanted = true
        }
        var panel = hub.snapshot.clinic
        panel.person = person.name
        panel.people = Self.withPerson(panel.people, person.name)
        panel.previous = []
        panel.loading = true
        panel.readFailure = nil
        hub.publish(clinic: panel)
        wake.signal()
        return .success(person.name)
    }

    /// The person chosen since the last call (the session thread stores it), nil when none.
    func takeChoice() -> StoredPerson? {
        shared.withLock { s in
            defer { s.chosen = nil }
            return s.chosen
        }
    }

    /// Stops the reader (at the end of the session).
    func stop() {
        shared.withLock { $0.stopping = true }
        wake.signal()
        thread.withLock { $0 }?.join()
    }

    // MARK: The reader thread

    private func run() {
        var connection: (any StoreConnection)?
        defer { connection?.close() }
        while true {
            wake.wait()
            let (wanted, person, stopping) = shared.withLock { s in
                defer { s.readWanted = false }
                return (s.readWanted, s.person, s.stopping)
            }
            if stopping { return }
            guard wanted else { continue }
            var panel = ClinicPanel(unavailable: nil, person: person?.name)
            do throws(StoreError) {
                if connection == nil { connection = try StoreDatabase.open(address) }
                let c = connection!
                panel.people = Self.withPerson(try StoreQueries.people(c).map(\.person.name), person?.name)
                if let person {
                    let earlier = try StoreQueries.sessions(c, person: person).filter { $0.id != sessionID && !$0.reps.isEmpty }
                    panel.previous = ClinicPanel.latestPerExercise(earlier.map(PreviousSession.init))
                }
            } catch {
                connection?.close()
                connection = nil
                panel.readFailure = error.message
                panel.people = Self.withPerson([], person?.name)
            }
            // A newer choice while reading: its own read follows; this one is stale.
            guard shared.withLock({ $0.person == person && !$0.readWanted }) else { continue }
            hub.publish(clinic: panel)
        }
    }

    /// `names` with `name` in it (a person just chosen has no row yet), sorted as the database sorts them.
    static func withPerson(_ names: [String], _ name: String?) -> [String] {
        guard let name, !names.contains(name) else { return names }
        return (names + [name]).sorted()
    }
}

extension PreviousSession {
    /// A stored session's key figures, as `lumbar history` computes them.
    init(_ s: StoredSession) {
        self.init(
            startedUnixNanoseconds: s.startedUnixNanoseconds, exercise: s.exercise, reps: s.reps.count, cleanRepRate: s.cleanRepRate,
            lumbarMaxDegrees: s.lumbarMax, legROMDegrees: s.meanLegROM,
            tempo: s.meanTempo.map { Tempo(concentric: $0.concentric, hold: $0.hold, eccentric: $0.eccentric) }, complete: s.complete)
    }
}
