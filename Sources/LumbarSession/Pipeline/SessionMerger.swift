/// Merges the fused samples of all sensors into one stream in session-time order, with a small,
/// bounded reorder buffer per sensor.
///
/// Sensors deliver in bursts (a USB packet carries several samples), so the lumbar sensor's burst may
/// arrive before the ankle's older samples. A sample is released once no other active sensor can still
/// deliver an older one: every active sensor has a later sample buffered or already released, or it has
/// been silent for `maximumDelay` of session time (a stalled sensor delays the others by at most that).
/// A full buffer releases its oldest sample. Deterministic: decisions depend on the sample times only.
struct SessionMerger {
    /// Session seconds a silent sensor may hold back the others.
    let maximumDelay: Double
    private var rings: [SampleRing] = []
    private var active: [Bool] = []
    /// Host-relative time of the newest sample pushed per sensor (−∞ before any).
    private var lastPushed: [Double] = []
    private var newest = -Double.infinity
    private let capacity: Int

    init(maximumDelay: Double, capacity: Int) {
        self.maximumDelay = maximumDelay
        self.capacity = capacity
    }

    /// Makes room for sensor `index`.
    mutating func addSensor(_ index: Int) {
        while rings.count <= index {
            rings.append(SampleRing(capacity: capacity))
            active.append(false)
            lastPushed.append(-.infinity)
        }
        active[index] = true
    }

    /// The sensor no longer delivers: it stops holding the others back.
    mutating func deactivate(_ index: Int) {
        if index < active.count { active[index] = false }
    }

    /// Adds a sample of `s.sensor`; then releases what can be released, oldest first.
    @inline(__always)
    mutating func push(_ s: SessionSample, release: (SessionSample) -> Void) {
        let i = s.sensor
        if rings[i].isFull { release(rings[i].removeFirst()) }
        rings[i].append(s)
        lastPushed[i] = s.time
        if s.time > newest { newest = s.time }
        drain(all: false, release: release)
    }

    /// Releases every buffered sample (end of input).
    mutating func flush(release: (SessionSample) -> Void) {
        drain(all: true, release: release)
    }

    private mutating func drain(all: Bool, release: (SessionSample) -> Void) {
        while true {
            var best = -1
            var bestTime = Double.infinity
            for i in rings.indices where !rings[i].isEmpty {
                let t = rings[i].first.time
                if t < bestTime {
                    bestTime = t
                    best = i
                }
            }
            if best < 0 { return }
            if !all && newest - bestTime < maximumDelay {
                for j in rings.indices where j != best && active[j] && rings[j].isEmpty && lastPushed[j] < bestTime {
                    return
                }
            }
            release(rings[best].removeFirst())
        }
    }
}
