#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import LumbarThreads
import Synchronization

/// Stores a session's records on its own thread, so the session's thread never waits for a database.
///
/// The hand-off is a bounded buffer (`capacity` records) under a mutex: `submit` appends and wakes the
/// writer, never blocks and never does I/O. Should the buffer be full (the writer stuck in a slow database
/// call while more than `capacity` records arrive), the record waits in the submitting thread's own
/// overflow list and is handed over at the next `submit` or `flushOverflow`: nothing is dropped.
///
/// The writer stores what it took in one transaction per batch. A failed write (locked, disk full, server
/// gone) is retried (0.2 s, doubling to 5 s), the connection opened again where it broke; the first failure
/// and the recovery are each said once through `takeNotices()`, which the session's thread polls (so the
/// terminal and the dashboard hear it on their own threads). Every write is idempotent (StoreRecord), so
/// a retry after a failure whose outcome is unknown leaves the same rows.
public final class StoreWriter: @unchecked Sendable {
    // @unchecked: `overflow` is touched only by the one submitting thread (documented); everything the
    // writer thread shares is in `state` (a Mutex) or is immutable.

    /// Records the buffer holds before `submit` keeps them in the caller's overflow list.
    public let capacity: Int
    /// The database named in messages.
    public let databaseName: String

    private struct State {
        var queue: [StoreRecord] = []
        var notices: [StoreNotice] = []
        var closing = false
        var finished = false
        /// Records taken by the writer and not stored yet.
        var inFlight = 0
        var storedRecords = 0
        var storedReps = 0
        var lastFailure: String?
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var overflow: [StoreRecord] = []
    private let open: () throws(StoreError) -> any StoreConnection
    private var thread: OSThread?

    /// Starts the writer thread. `open` runs on it (and again after a failure) and must return a migrated
    /// connection (`StoreDatabase.open`).
    public init(databaseName: String, capacity: Int = 1024, open: @escaping () throws(StoreError) -> any StoreConnection) {
        self.databaseName = databaseName
        self.capacity = capacity
        self.open = open
        state.withLock { $0.queue.reserveCapacity(capacity) }
        thread = OSThread(name: "lumbar-store") { [self] in run() }
    }

    /// Hands a record to the writer. Call from one thread (the session's). Never blocks.
    public func submit(_ record: StoreRecord) {
        overflow.append(record)
        flushOverflow()
    }

    /// Hands over what waits in the overflow list, as far as the buffer has room.
    public func flushOverflow() {
        guard !overflow.isEmpty else { return }
        let taken = state.withLock { s -> Int in
            let n = min(overflow.count, capacity - s.queue.count)
            if n > 0 { s.queue.append(contentsOf: overflow.prefix(n)) }
            return max(n, 0)
        }
        if taken > 0 {
            overflow.removeFirst(taken)
            wake.signal()
        }
    }

    /// Lines to say once each (the first failure, the recovery), oldest first; empties the list.
    public func takeNotices() -> [StoreNotice] {
        state.withLock { s in
            defer { s.notices.removeAll() }
            return s.notices
        }
    }

    /// Records and reps stored so far.
    public var stored: (records: Int, reps: Int) { state.withLock { ($0.storedRecords, $0.storedReps) } }

    /// Stops taking records, lets the writer store what it has for at most `seconds`, and returns how many
    /// records were not stored (0 when everything was) with the last failure's line.
    public func close(waitingAtMost seconds: Double) -> (unstored: Int, failure: String?) {
        while !overflow.isEmpty {
            flushOverflow()
            if !overflow.isEmpty { usleep(10_000) }
        }
        state.withLock { $0.closing = true }
        wake.signal()
        let finished = done.wait(timeout: .now() + seconds) == .success
        if finished { thread?.join() }
        return state.withLock { s in
            if !finished { s.finished = true }  // the writer gives up at its next wake-up
            return (s.queue.count + s.inFlight, s.lastFailure)
        }
    }

    // MARK: The writer thread

    private func run() {
        var connection: (any StoreConnection)?
        var pending: [StoreRecord] = []
        var delay = 0.2
        var failing = false
        while true {
            if failing {
                _ = wake.wait(timeout: .now() + delay)
            } else if pending.isEmpty {
                _ = wake.wait(timeout: .now() + 1)
            }
            let (closing, giveUp) = state.withLock { s -> (Bool, Bool) in
                pending.append(contentsOf: s.queue)
                s.queue.removeAll(keepingCapacity: true)
                s.inFlight = pending.count
                return (s.closing, s.finished)
            }
            if giveUp { break }
            if pending.isEmpty {
                if closing { break }
                continue
            }
            do throws(StoreError) {
                if connection == nil { connection = try open() }
                let batch = pending
                try connection!.write(batch.flatMap(\.statements))
                pending.removeAll(keepingCapacity: true)
                let reps = batch.reduce(0) { $0 + $1.repCount }
                state.withLock { s in
                    s.inFlight = 0
                    s.storedRecords += batch.count
                    s.storedReps += reps
                    if failing {
                        s.notices.append(StoreNotice(
                            line: "Session database \(databaseName) works again: everything measured meanwhile is stored.", isProblem: false))
                        s.lastFailure = nil
                    }
                }
                failing = false
                delay = 0.2
            } catch {
                connection?.close()
                connection = nil
                if !failing {
                    let line = "\(error.message); retrying (nothing measured is lost, the session goes on)."
                    state.withLock { s in
                        s.notices.append(StoreNotice(line: line, isProblem: true))
                        s.lastFailure = error.message
                    }
                } else {
                    state.withLock { $0.lastFailure = error.message }
                }
                failing = true
                delay = min(delay * 2, 5)
            }
        }
        connection?.close()
        done.signal()
    }
}

/// A line the writer wants said once: a failure (`isProblem`: the terminal's error log and the dashboard's
/// problems) or the recovery from one.
public struct StoreNotice: Sendable, Hashable {
    public var line: String
    public var isProblem: Bool
}
