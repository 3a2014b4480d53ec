/// When each step of a paced replay (`--speed`) is due: wall seconds since the replay started, from the
/// input's own clock (seconds since its first record or row).
///
/// Input times come from files and are not trusted: a CSV whose time jumps by 10^13 s, or a recording
/// whose receive times are far apart, would otherwise ask for a wait longer than any clock can hold
/// (converting it to integer nanoseconds trapped). A gap that would take longer than `longestWait` of
/// wall time is not waited through: it is skipped, and reported once by the caller.
///
/// ```swift
/// var pacer = ReplayPacer(speed: 2)
/// let step = pacer.due(inputTime: t)          // step.wallSeconds since the start; step.skippedGap, if any
/// ```
public struct ReplayPacer: Sendable {
    /// Input seconds per wall second (> 0, finite).
    public let speed: Double
    /// The longest wall-time wait between two consecutive steps, s; a longer gap in the input is skipped.
    public static let longestWait: Double = 10

    /// Input seconds of the gaps skipped so far (subtracted from every later input time).
    private var skipped: Double = 0
    /// The previous step's input time, s.
    private var last: Double?

    public init(speed: Double) {
        precondition(speed > 0 && speed.isFinite, "ReplayPacer: 'speed' must be positive and finite")
        self.speed = speed
    }

    /// When the step at `inputTime` (s since the input's first record or row) is due.
    ///
    /// - Returns: `wallSeconds`: seconds after the replay's start (finite, never negative);
    ///   `skippedGap`: the input seconds of a gap before this step that is not waited through, if any.
    public mutating func due(inputTime: Double) -> (wallSeconds: Double, skippedGap: Double?) {
        guard inputTime.isFinite else { return (0, nil) }
        var gap: Double?
        if let last, (inputTime - last) / speed > Self.longestWait {
            gap = inputTime - last
            skipped += inputTime - last
        }
        last = inputTime
        let wall = (inputTime - skipped) / speed
        return (wall.isFinite ? max(0, wall) : 0, gap)
    }
}
