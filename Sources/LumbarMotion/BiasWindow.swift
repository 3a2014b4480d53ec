import LumbarCore

/// A window of gyroscope samples whose mean rate is a candidate for the gyroscope's bias: a second of them, so that
/// the noise averages out, and at least 20, so that a 25 Hz sensor still fills it.
struct BiasWindow: Sendable {
    /// How long a window lasts before its mean is taken, s.
    static let duration: Double = 1.0
    /// The fewest samples whose mean is taken (25 Hz gives 25 in a second).
    static let minimumSampleCount = 20

    private var sum: Vector3 = .zero
    private var count = 0
    private var start: Double = 0

    var isEmpty: Bool { count == 0 }
    /// The window's mean rate, deg/s.
    var meanDps: Vector3 { sum / Float(count) }

    /// Empties the window; it starts at `time`, s.
    mutating func restart(at time: Double) {
        sum = .zero
        count = 0
        start = time
    }

    /// Adds one sample's rate, deg/s.
    mutating func add(_ gyroscopeDps: Vector3) {
        sum += gyroscopeDps
        count += 1
    }

    /// How long the window has run at `time`, s.
    func duration(at time: Double) -> Double { time - start }

    /// True when the window holds a second of samples and enough of them to take its mean.
    func isFull(at time: Double) -> Bool {
        duration(at: time) >= Self.duration && count >= Self.minimumSampleCount
    }
}
