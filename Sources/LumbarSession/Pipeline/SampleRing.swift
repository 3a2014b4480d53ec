/// A fixed-capacity FIFO of session samples (one per sensor in the merge stage). Allocates only in `init`.
struct SampleRing {
    private var storage: [SessionSample]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        storage = Array(
            repeating: SessionSample(sensor: 0, placement: .unassigned, sample: .init(time: 0, accelerometer: .zero,
                                                                                      gyroscope: .zero),
                                     orientation: .identity), count: capacity)
    }

    var capacity: Int { storage.count }
    var isEmpty: Bool { count == 0 }
    var isFull: Bool { count == storage.count }

    /// The oldest sample. - Precondition: not empty.
    var first: SessionSample { storage[head] }

    mutating func append(_ s: SessionSample) {
        var i = head + count
        if i >= storage.count { i -= storage.count }
        storage[i] = s
        count += 1
    }

    mutating func removeFirst() -> SessionSample {
        let s = storage[head]
        head += 1
        if head == storage.count { head = 0 }
        count -= 1
        return s
    }
}
