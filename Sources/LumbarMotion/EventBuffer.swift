import LumbarCore

/// A caller-owned, reusable list of the events one `MotionAnalyzer.update` produced.
///
/// Keeps its storage between samples (`removeAll()` keeps capacity), so the per-sample path does not
/// allocate. Typical use: one buffer per pipeline, cleared after the caller has forwarded its events.
/// ```swift
/// var events = EventBuffer()
/// analyzer.update(placement: .lumbar, sample: s, orientation: q, into: &events)
/// for e in events.events { print(e.jsonLine) }
/// events.removeAll()
/// ```
public struct EventBuffer: Sendable {
    /// The events in the order they happened.
    public private(set) var events: [LumbarEvent]

    /// - Parameter capacity: events reserved up front; one sample yields at most a handful.
    public init(capacity: Int = 16) {
        events = []
        events.reserveCapacity(capacity)
    }

    public var isEmpty: Bool { events.isEmpty }
    public var count: Int { events.count }

    public mutating func append(_ event: LumbarEvent) { events.append(event) }

    /// Forgets the events, keeping the storage.
    public mutating func removeAll() { events.removeAll(keepingCapacity: true) }
}
