import Glibc
import LumbarCore
import Synchronization

/// Fans the session's events and trace points out to every connected page and script, without ever
/// making the pipeline wait for them.
///
/// The pipeline calls `publish(_:)` from wherever it runs; the call takes a lock for a few
/// microseconds and returns. Each client has its own bounded `ClientQueue`: a page that is slow or
/// stalled (a phone that went to sleep, a tab in the background) loses its oldest trace points,
/// never an event; one more than `Settings.eventCapacity` events behind is cut off and, being an
/// `EventSource`, reconnects and starts again from a fresh `SessionSnapshot`.
///
/// ```swift
/// let hub = DashboardHub()
/// hub.publish(.calibrated(time: 2.1, posture: "quadruped", exercise: "donkey_kick"))
/// hub.publish(trace)               // ≥ 30 per second while the session runs
/// let server = DashboardServer(hub: hub, address: try HTTPAddress("127.0.0.1:8080"), logger: logger)
/// try await server.run()
/// ```
public final class DashboardHub: Sendable {
    /// How the hub thins traces and bounds each client's backlog.
    ///
    /// | name | unit | default | nil / meaning |
    /// |---|---|---|---|
    /// | `traceInterval` | s of session time | 1/60 | nil: forward every trace point |
    /// | `traceCapacity` | trace points per client | 240 (4 s at 60 Hz) | oldest dropped beyond it |
    /// | `eventCapacity` | events per client | 10 000 | client cut off beyond it |
    public struct Settings: Sendable {
        public var traceInterval: Double?
        public var traceCapacity: Int
        public var eventCapacity: Int

        public init(traceInterval: Double? = 1.0 / 60, traceCapacity: Int = 240, eventCapacity: Int = 10_000) {
            self.traceInterval = traceInterval
            self.traceCapacity = traceCapacity
            self.eventCapacity = eventCapacity
        }

        public static let `default` = Settings()
    }

    /// What a client subscribes to.
    public enum Stream: Sendable {
        /// `GET /events`: the events only, each as `data: <JSON line>`.
        case events
        /// The page's stream: a `state` snapshot first, then `trace` and `lumbar` (timestamped event) messages.
        case dashboard
    }

    /// One client's backlog, for logs and tests.
    public struct ClientStatistics: Sendable, Hashable {
        public var stream: Stream
        public var queuedEvents: Int
        public var queuedTraces: Int
        public var droppedTraces: Int
        public var overflowed: Bool
    }

    private struct Client {
        var stream: Stream
        var queue: ClientQueue
        var waiter: CheckedContinuation<String?, Never>?
    }

    private struct State {
        var snapshot = SessionSnapshot()
        var clients: [Int: Client] = [:]
        var nextClientID = 0
        var sequence: UInt64 = 0
        var lastForwardedTraceTime: Double?
        var closed = false
    }

    public let settings: Settings
    private let wallClockMilliseconds: @Sendable () -> Double
    private let state = Mutex(State())

    /// - Parameters:
    ///   - settings: trace thinning and per-client bounds.
    ///   - wallClockMilliseconds: Unix time in ms, stamped on events for the page's latency figure.
    public init(
        settings: Settings = .default,
        wallClockMilliseconds: @escaping @Sendable () -> Double = DashboardHub.realtimeMilliseconds
    ) {
        self.settings = settings
        self.wallClockMilliseconds = wallClockMilliseconds
    }

    /// `CLOCK_REALTIME` in milliseconds since the Unix epoch (the clock a browser's `Date.now()` reads).
    public static let realtimeMilliseconds: @Sendable () -> Double = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
    }

    // MARK: Mute (the page's button also mutes the daemon's own sound, `live --sound`)

    private let mute = Mutex<(muted: Bool, handlers: [@Sendable (Bool) -> Void])>((false, []))

    /// Calls `handler` with every mute change from a page (`POST /api/mute`), on the server's thread.
    public func onMute(_ handler: @escaping @Sendable (Bool) -> Void) {
        mute.withLock { $0.handlers.append(handler) }
    }

    /// Mutes or unmutes the daemon's sound (the page's button), telling every `onMute` handler.
    public func setMuted(_ muted: Bool) {
        let handlers = mute.withLock { m in
            m.muted = muted
            return m.handlers
        }
        for handler in handlers { handler(muted) }
    }

    /// The last state a page asked for (false until one does).
    public var isMuted: Bool { mute.withLock { $0.muted } }

    // MARK: Publishing (called by the pipeline; never waits)

    /// Sends an event to every client and folds it into the session snapshot. Never blocks, never drops.
    public func publish(_ event: LumbarEvent) {
        let line = event.jsonLine
        let plain = "data: " + line + "\n\n"
        let emitted = FixedDecimal.format(wallClockMilliseconds(), decimals: 3)
        let stamped = "event: lumbar\ndata: {\"emitted_ms\":" + emitted + ",\"event\":" + line + "}\n\n"
        state.withLock { s in
            let exercise = s.snapshot.exercise
            s.snapshot.apply(event)
            s.sequence += 1
            for id in s.clients.keys {
                let text = s.clients[id]!.stream == .events ? plain : stamped
                s.clients[id]!.queue.enqueueEvent(.init(sequence: s.sequence, text: text))
                Self.wake(&s.clients[id]!)
            }
            if s.snapshot.exercise != exercise { Self.sendClinic(&s) }
        }
    }

    /// Shows whose session it is, the people to choose from and their "last time" on every page, at once
    /// and after a reconnect (`clinic` in the snapshot). Called by the daemon off the live path.
    public func publish(clinic: ClinicPanel) {
        state.withLock { s in
            s.snapshot.clinic = clinic
            Self.sendClinic(&s)
        }
    }

    /// A `clinic` message (the panel for the exercise known now) to every page.
    private static func sendClinic(_ s: inout State) {
        let text = "event: clinic\ndata: " + s.snapshot.clinic.json(exercise: s.snapshot.exercise) + "\n\n"
        s.sequence += 1
        for (id, client) in s.clients where client.stream == .dashboard {
            s.clients[id]!.queue.enqueueEvent(.init(sequence: s.sequence, text: text))
            Self.wake(&s.clients[id]!)
        }
    }

    // MARK: Choosing the person (`POST /api/person`)

    private let personChooser = Mutex<(@Sendable (String) -> Result<String, PersonChoiceRefusal>)?>(nil)

    /// Lets pages choose the session's person: `chooser` gets the name as typed and returns the name as
    /// stored, or why not. Without one, `POST /api/person` answers 409 (nothing is stored for a person).
    public func onChoosePerson(_ chooser: @escaping @Sendable (String) -> Result<String, PersonChoiceRefusal>) {
        personChooser.withLock { $0 = chooser }
    }

    /// Chooses the session's person (from a page); nil when this dashboard stores nothing.
    public func choosePerson(_ name: String) -> Result<String, PersonChoiceRefusal>? {
        personChooser.withLock { $0 }.map { $0(name) }
    }

    /// Says a problem the person must see (an output that failed, e.g. the recording stopped by a full
    /// disk) on every dashboard page, at once and after a reconnect (`problems` in the snapshot). A line
    /// already said is not said again. Never blocks.
    public func publish(problem: String) {
        var o = JSONObjectWriter()
        o.string("text", problem)
        let text = "event: problem\ndata: " + o.finish() + "\n\n"
        state.withLock { s in
            guard !s.snapshot.problems.contains(problem) else { return }
            s.snapshot.problems.append(problem)
            s.sequence += 1
            for (id, client) in s.clients where client.stream == .dashboard {
                s.clients[id]!.queue.enqueueEvent(.init(sequence: s.sequence, text: text))
                Self.wake(&s.clients[id]!)
            }
        }
    }

    /// Sends a trace point to the dashboard pages, thinned to `settings.traceInterval`; a client that
    /// is behind loses its oldest queued points. Never blocks.
    public func publish(_ trace: DashboardTrace) {
        let forward = state.withLock { s -> Bool in
            let exercise = s.snapshot.exercise
            s.snapshot.apply(trace)
            if s.snapshot.exercise != exercise { Self.sendClinic(&s) }
            if let interval = settings.traceInterval, let last = s.lastForwardedTraceTime,
                trace.time >= last, trace.time - last < interval - 1e-6  // 1 µs: sample times are sums of periods
            {
                return false
            }
            s.lastForwardedTraceTime = trace.time
            return s.clients.values.contains { $0.stream == .dashboard }
        }
        guard forward else { return }
        let text = "event: trace\ndata: " + trace.json + "\n\n"
        state.withLock { s in
            s.sequence += 1
            for (id, client) in s.clients where client.stream == .dashboard {
                s.clients[id]!.queue.enqueueTrace(.init(sequence: s.sequence, text: text))
                Self.wake(&s.clients[id]!)
            }
        }
    }

    /// Sends an SSE comment to every idle client so that dead connections are noticed (a write to a
    /// closed socket fails). The server calls it every few seconds.
    public func heartbeat() {
        state.withLock { s in
            s.sequence += 1
            for (id, client) in s.clients where client.queue.isEmpty {
                s.clients[id]!.queue.enqueueTrace(.init(sequence: s.sequence, text: ": heartbeat\n\n", isComment: true))
                Self.wake(&s.clients[id]!)
            }
        }
    }

    /// Ends every client's stream (the server is shutting down); later subscriptions end at once.
    public func close() {
        state.withLock { s in
            s.closed = true
            for id in s.clients.keys {
                s.clients[id]!.waiter?.resume(returning: nil)
                s.clients[id]!.waiter = nil
            }
        }
    }

    // MARK: Reading

    /// The session so far.
    public var snapshot: SessionSnapshot {
        state.withLock { $0.snapshot }
    }

    /// Every connected client's backlog.
    public var clientStatistics: [ClientStatistics] {
        state.withLock { s in
            s.clients.keys.sorted().map { id in
                let c = s.clients[id]!
                return ClientStatistics(
                    stream: c.stream, queuedEvents: c.queue.events.count, queuedTraces: c.queue.traces.count,
                    droppedTraces: c.queue.droppedTraces, overflowed: c.queue.overflowed)
            }
        }
    }

    /// Registers a client; its first message is an SSE `retry` hint (and, for `.dashboard`, the snapshot).
    public func subscribe(_ stream: Stream) -> DashboardSubscription {
        let id = state.withLock { s -> Int in
            let id = s.nextClientID
            s.nextClientID += 1
            var queue = ClientQueue(traceCapacity: settings.traceCapacity, eventCapacity: settings.eventCapacity)
            s.sequence += 1
            var first = "retry: 1000\n\n"
            if stream == .dashboard {
                first += "event: state\ndata: " + s.snapshot.json + "\n\n"
            }
            queue.enqueueEvent(.init(sequence: s.sequence, text: first))
            s.clients[id] = Client(stream: stream, queue: queue, waiter: nil)
            return id
        }
        return DashboardSubscription(hub: self, id: id)
    }

    /// The client's queued text, waiting until there is some; nil when the stream must end.
    func next(_ id: Int) async -> String? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<String?, Never>) in
                state.withLock { s in
                    guard !s.closed, !Task.isCancelled, s.clients[id] != nil, !s.clients[id]!.queue.overflowed
                    else {
                        c.resume(returning: nil)
                        return
                    }
                    if s.clients[id]!.queue.isEmpty {
                        s.clients[id]!.waiter = c
                    } else {
                        c.resume(returning: Self.joined(s.clients[id]!.queue.drain()))
                    }
                }
            }
        } onCancel: {
            state.withLock { s in
                s.clients[id]?.waiter?.resume(returning: nil)
                s.clients[id]?.waiter = nil
            }
        }
    }

    func unsubscribe(_ id: Int) {
        state.withLock { s in
            s.clients[id]?.waiter?.resume(returning: nil)
            s.clients[id] = nil
        }
    }

    /// Hands a waiting client everything it has queued (or the end of its stream, when it overflowed).
    private static func wake(_ client: inout Client) {
        guard let waiter = client.waiter else { return }
        client.waiter = nil
        waiter.resume(returning: client.queue.overflowed ? nil : joined(client.queue.drain()))
    }

    private static func joined(_ items: [ClientQueue.Item]) -> String {
        var text = ""
        for item in items { text += item.text }
        return text
    }
}

/// One client's place in the hub: read it with `next()` until nil; it leaves the hub when released.
public final class DashboardSubscription: Sendable {
    private let hub: DashboardHub
    private let id: Int

    init(hub: DashboardHub, id: Int) {
        self.hub = hub
        self.id = id
    }

    /// The next chunk of SSE text (one or more whole messages); nil when the stream must end
    /// (hub closed, client cut off for falling too far behind, or the task was cancelled).
    public func next() async -> String? {
        await hub.next(id)
    }

    deinit {
        hub.unsubscribe(id)
    }
}
