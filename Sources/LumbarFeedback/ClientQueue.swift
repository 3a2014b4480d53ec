/// The bounded queue between the hub and one connected page or script: events are kept, trace points
/// are dropped oldest-first when the client falls behind.
///
/// A pure value; the hub holds one per client under its lock. Items carry the hub's sequence number
/// so that `drain()` returns events and traces in the order they were published.
struct ClientQueue: Sendable {
    /// One message, already framed for the wire.
    struct Item: Sendable {
        var sequence: UInt64
        var text: String
        /// A keep-alive comment: queued and dropped like a trace point, but not counted as a lost one.
        var isComment = false
    }

    /// Most trace points kept for a client that is not reading.
    let traceCapacity: Int
    /// Most events kept; a client further behind than this is cut off (it reconnects and gets a snapshot).
    let eventCapacity: Int

    private(set) var events: [Item] = []
    private(set) var traces: [Item] = []
    /// Trace points thrown away because the client did not keep up (keep-alive comments not counted).
    private(set) var droppedTraces = 0
    /// True once the client fell more than `eventCapacity` events behind: it must be disconnected.
    private(set) var overflowed = false

    init(traceCapacity: Int, eventCapacity: Int) {
        precondition(traceCapacity > 0 && eventCapacity > 0, "ClientQueue.init: capacities must be > 0")
        self.traceCapacity = traceCapacity
        self.eventCapacity = eventCapacity
    }

    var isEmpty: Bool { events.isEmpty && traces.isEmpty }

    /// Queues an event; never drops one (overflow marks the client for disconnection instead).
    mutating func enqueueEvent(_ item: Item) {
        guard !overflowed else { return }
        if events.count >= eventCapacity {
            overflowed = true
            events.removeAll()
            traces.removeAll()
            return
        }
        events.append(item)
    }

    /// Queues a trace point, dropping the oldest queued one when full.
    mutating func enqueueTrace(_ item: Item) {
        guard !overflowed else { return }
        if traces.count >= traceCapacity {
            if !traces.removeFirst().isComment { droppedTraces += 1 }
        }
        traces.append(item)
    }

    /// Everything queued, in publication order; the queue is empty afterwards.
    mutating func drain() -> [Item] {
        var merged: [Item] = []
        merged.reserveCapacity(events.count + traces.count)
        var e = 0
        var t = 0
        while e < events.count || t < traces.count {
            if t == traces.count || (e < events.count && events[e].sequence < traces[t].sequence) {
                merged.append(events[e])
                e += 1
            } else {
                merged.append(traces[t])
                t += 1
            }
        }
        events.removeAll(keepingCapacity: true)
        traces.removeAll(keepingCapacity: true)
        return merged
    }
}
