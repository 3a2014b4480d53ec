/// Merges the fused samples of all sensors into one stream in session-time order, with a small,
/// bounded reorder buffer per sensor.
///
/// Sensors deliver in bursts (a USB packet carries several samples), so the lumbar sensor's burst may
/// arrive before the ankle's older samples. A sample is released once no other active sensor can still
/// deliver an older one: every active sensor has a later sample buffered or already released, or it has
/// been silent for `maximumDelay` of session time (a stalled sensor delays the others by at most that).
/// A full buffer releases its oldest sample. Deterministic: decisions depend on the sample times only.
///
/// The buffers are one block of memory, `capacity` samples per sensor, allocated when a sensor is
/// added; pushing and releasing allocate nothing (this runs once per sample of every sensor).
final class SessionMerger {
    /// Session seconds a silent sensor may hold back the others.
    let maximumDelay: Double
    private let capacity: Int
    // @exclusivity(unchecked) on the stored properties of this per-sample class: it has one owner thread
    // at a time, and no method accesses a property while another access to it is open (the dynamic checks
    // found none in every test run before); the checks cost ~12% of replay time in release. Per property,
    // because `-enforce-exclusivity=unchecked` is an unsafe flag (see Package.swift).
    @exclusivity(unchecked) private var queues: [SensorQueue] = []
    /// `queues.count × capacity` samples: sensor `i`'s ring is `storage[i * capacity ..< (i + 1) * capacity]`.
    @exclusivity(unchecked) private var storage: UnsafeMutablePointer<SessionSample>
    @exclusivity(unchecked) private var newest = -Double.infinity

    /// One sensor's ring buffer and what the release rule needs to know about it.
    private struct SensorQueue {
        var head = 0
        var count = 0
        /// Delivering: an empty queue of an active sensor holds the others back.
        var active = false
        /// Host-relative time of the newest sample pushed (−∞ before any).
        var lastPushed = -Double.infinity
        /// Time of the oldest buffered sample (+∞ when empty), kept so that choosing costs no loads from the ring.
        var firstTime = Double.infinity
    }

    init(maximumDelay: Double, capacity: Int) {
        precondition(capacity > 0, "SessionMerger.init: 'capacity' must be > 0")
        self.maximumDelay = maximumDelay
        self.capacity = capacity
        storage = .allocate(capacity: 0)
    }

    deinit {
        storage.deinitialize(count: queues.count * capacity)
        storage.deallocate()
    }

    /// Makes room for sensor `index` and marks it active.
    func addSensor(_ index: Int) {
        if index >= queues.count {
            let grown = UnsafeMutablePointer<SessionSample>.allocate(capacity: (index + 1) * capacity)
            grown.moveInitialize(from: storage, count: queues.count * capacity)
            let fill = SessionSample(
                sensor: 0, placement: .unassigned, sample: .init(time: 0, accelerometer: .zero, gyroscope: .zero),
                orientation: .identity)
            (grown + queues.count * capacity).initialize(repeating: fill, count: (index + 1 - queues.count) * capacity)
            storage.deallocate()
            storage = grown
            queues.append(contentsOf: repeatElement(SensorQueue(), count: index + 1 - queues.count))
        }
        queues[index].active = true
    }

    /// The sensor no longer delivers: it stops holding the others back.
    func deactivate(_ index: Int) {
        if index < queues.count { queues[index].active = false }
    }

    /// Adds a sample of `s.sensor`; then releases what can be released, oldest first.
    @inline(__always)
    func push(_ s: SessionSample, release: (SessionSample) -> Void) {
        let i = s.sensor
        queues.withUnsafeMutableBufferPointer { q in
            if q[i].count == capacity { release(removeFirst(i, &q)) }
            var slot = q[i].head + q[i].count
            if slot >= capacity { slot -= capacity }
            storage[i * capacity + slot] = s
            if q[i].count == 0 { q[i].firstTime = s.time }
            q[i].count += 1
            q[i].lastPushed = s.time
            if s.time > newest { newest = s.time }
            drain(&q, all: false, release: release)
        }
    }

    /// Releases every buffered sample (end of input).
    func flush(release: (SessionSample) -> Void) {
        queues.withUnsafeMutableBufferPointer { q in drain(&q, all: true, release: release) }
    }

    @inline(__always)
    private func removeFirst(_ i: Int, _ q: inout UnsafeMutableBufferPointer<SensorQueue>) -> SessionSample {
        let base = storage + i * capacity
        let s = base[q[i].head]
        q[i].head += 1
        if q[i].head == capacity { q[i].head = 0 }
        q[i].count -= 1
        q[i].firstTime = q[i].count > 0 ? base[q[i].head].time : .infinity
        return s
    }

    @inline(__always)
    private func drain(
        _ q: inout UnsafeMutableBufferPointer<SensorQueue>, all: Bool, release: (SessionSample) -> Void
    ) {
        while true {
            var best = -1
            var bestTime = Double.infinity
            for i in q.indices where q[i].firstTime < bestTime {
                bestTime = q[i].firstTime
                best = i
            }
            if best < 0 { return }
            if !all && newest - bestTime < maximumDelay {
                for j in q.indices
                where j != best && q[j].active && q[j].count == 0 && q[j].lastPushed < bestTime {
                    return
                }
            }
            release(removeFirst(best, &q))
        }
    }
}
