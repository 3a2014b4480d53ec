/// A fixed-capacity ring of time-stamped values, allocated once: the newest `capacity` entries, in time order.
///
/// Entries closer than `minimumSpacing` seconds to the previous one are skipped, so that the ring spans
/// the same time at any sample rate.
struct TimedRing<Value: Sendable>: Sendable {
    private var times: [Double]
    private var values: [Value]
    private var head = 0
    private(set) var count = 0
    let minimumSpacing: Double

    init(capacity: Int, minimumSpacing: Double, filler: Value) {
        precondition(capacity > 0, "TimedRing.init: 'capacity' must be > 0")
        times = Array(repeating: -.infinity, count: capacity)
        values = Array(repeating: filler, count: capacity)
        self.minimumSpacing = minimumSpacing
    }

    var capacity: Int { times.count }

    mutating func append(time: Double, _ value: Value) {
        if count > 0, time - self.time(at: count - 1) < minimumSpacing { return }
        times[head] = time
        values[head] = value
        head = (head + 1) % capacity
        count = min(count + 1, capacity)
    }

    mutating func removeAll() {
        count = 0
        head = 0
    }

    /// The i-th oldest entry's index in storage.
    private func slot(_ i: Int) -> Int { (head - count + i + capacity) % capacity }

    func time(at i: Int) -> Double { times[slot(i)] }
    func value(at i: Int) -> Value { values[slot(i)] }

    /// The newest value stamped at or before `t`; the oldest value when all are later; nil when empty.
    func value(atOrBefore t: Double) -> Value? {
        guard count > 0 else { return nil }
        var i = count - 1
        while i > 0 && time(at: i) > t { i -= 1 }
        return value(at: i)
    }
}
