import LumbarCore
import LumbarMotion

/// Per-rep traces of the lumbar deviation and the leg angle, sampled from the analysis' live state,
/// for the HTML report's plots. Memory: a 2 s pre-roll ring plus at most `maximumPoints` per rep.
public struct RepTraces: Sendable {
    /// One point of a trace.
    public struct Point: Sendable, Hashable {
        /// Session seconds.
        public var time: Double
        /// Lumbar deviation from the rep start, degrees.
        public var lumbarDeviation: Float
        /// Leg angle from rest, degrees.
        public var legAngle: Float
    }

    /// A completed rep with its trace and the moments the lumbar alert fired.
    public struct Rep: Sendable, Hashable {
        public var record: RepRecord
        public var points: [Point]
        /// `lumbar_moved` events of the rep: time and deviation, degrees.
        public var alerts: [(time: Double, deviation: Float)]

        public static func == (a: Rep, b: Rep) -> Bool {
            a.record == b.record && a.points == b.points && a.alerts.elementsEqual(b.alerts) { $0 == $1 }
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(record) }
    }

    /// Sampling interval of the traces, session seconds.
    public static let interval = 0.02
    /// Most points kept per rep (longer reps are thinned).
    public static let maximumPoints = 600

    public private(set) var reps: [Rep] = []
    private var recent: [Point] = []  // ring of the last 2 s
    private var recentStart = 0
    private var current: [Point] = []
    private var currentAlerts: [(time: Double, deviation: Float)] = []
    private var inRep = false

    public init() {}

    /// Takes one live-state sample.
    public mutating func add(_ s: MotionSnapshot) {
        let p = Point(time: s.time, lumbarDeviation: s.lumbarDeviationDegrees, legAngle: s.legAngleDegrees)
        let ringSize = Int(2 / Self.interval)
        if recent.count < ringSize {
            recent.append(p)
        } else {
            recent[recentStart] = p
            recentStart = (recentStart + 1) % ringSize
        }
        if inRep {
            if current.count >= 4 * Self.maximumPoints { current = stride(from: 0, to: current.count, by: 2).map { current[$0] } }
            current.append(p)
        }
    }

    /// Takes the events that start and end reps.
    public mutating func add(_ e: LumbarEvent) {
        switch e {
        case .repStarted:
            inRep = true
            current = Array(recent[recentStart...] + recent[..<recentStart])
            currentAlerts = []
        case .lumbarMoved(let t, _, let deviation, _):
            currentAlerts.append((t, deviation))
        case .repCompleted(_, let record):
            let from = record.startTime - 0.3
            let to = record.endTime + 0.3
            var points = current.filter { $0.time >= from && $0.time <= to }
            while points.count > Self.maximumPoints { points = stride(from: 0, to: points.count, by: 2).map { points[$0] } }
            reps.append(Rep(record: record, points: points, alerts: currentAlerts))
            inRep = false
            current = []
            currentAlerts = []
        default:
            break
        }
    }
}
