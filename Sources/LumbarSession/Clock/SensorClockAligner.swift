/// Maps one sensor's device clock onto the host clock, from nothing but the device timestamps of the
/// samples and the host times at which the bytes carrying them were received.
///
/// USB delivers bytes late by a latency that is never negative and is jittery (0.1–20 ms, rarely more),
/// so every observation `receiveTime − deviceTime` is an upper bound of the true clock offset. The
/// aligner keeps the lower envelope of those bounds: the minimum per window of `windowDuration`
/// device seconds, a ring of the last `windowCount` minima, and a least-squares line through them
/// (offset and drift, so a 100 ppm crystal error is followed), lowered to support them from below.
/// The line is lowered further when the open window shows an observation below it, so a sample is
/// never stamped after it was received.
///
/// Pure and deterministic: the same (device time, receive time) pairs give the same mapping, which is
/// what makes replay of a recording agree with the live session it recorded. No allocation after `init`.
///
/// ```swift
/// var aligner = SensorClockAligner(settings: .default)
/// aligner.observe(deviceTime: lastSampleDeviceTime, receiveTime: hostTime)
/// let hostTime = aligner.hostTime(forDeviceTime: sample.time)
/// ```
public struct SensorClockAligner: Sendable {
    /// How the aligner trades responsiveness for noise rejection.
    ///
    /// | name | unit | default | meaning |
    /// |---|---|---|---|
    /// | `windowDuration` | s (device) | 1.0 | span over which one envelope point (minimum offset) is taken |
    /// | `windowCount` | — | 30 | envelope points in the drift fit (30 s of history) |
    /// | `maximumDrift` | s/s | 0.001 | fits steeper than 1000 ppm are treated as noise (drift 0) |
    /// | `resyncThreshold` | s | 0.5 | an observation this far below the estimate means the device clock jumped (reset) |
    public struct Settings: Sendable, Hashable {
        /// Device seconds per envelope window.
        public var windowDuration: Double
        /// Envelope points kept for the offset/drift fit (at least 2).
        public var windowCount: Int
        /// Largest plausible clock-rate error, seconds per second.
        public var maximumDrift: Double
        /// An observation this many seconds below (or 20× this above) the estimate restarts alignment.
        public var resyncThreshold: Double

        public init(windowDuration: Double, windowCount: Int, maximumDrift: Double, resyncThreshold: Double) {
            precondition(windowDuration > 0, "SensorClockAligner.Settings: 'windowDuration' must be > 0")
            precondition(windowCount >= 2, "SensorClockAligner.Settings: 'windowCount' must be >= 2")
            self.windowDuration = windowDuration
            self.windowCount = windowCount
            self.maximumDrift = maximumDrift
            self.resyncThreshold = resyncThreshold
        }

        /// 1 s windows, 30 of them, drift up to 1000 ppm, resync on a 0.5 s jump: suits 50–2000 Hz sensors on USB.
        public static let `default` = Settings(
            windowDuration: 1.0, windowCount: 30, maximumDrift: 0.001, resyncThreshold: 0.5)
    }

    public let settings: Settings

    // Envelope points: device time (relative to `reference`) and minimum offset, in a ring.
    private var pointTimes: [Double]
    private var pointOffsets: [Double]
    private var pointCount = 0
    private var pointNext = 0
    /// Scratch for the lower hull's vertices (ring indices), `windowCount` long.
    private var hull: [Int]

    // The open window.
    /// How far the line lies above the open window's observations at most (0 when below them all): the
    /// line is lowered by this much, so that no sample is stamped after it was received.
    private var violation = 0.0
    private var windowStart = 0.0
    private var windowMinimumOffset = Double.infinity
    private var windowMinimumTime = 0.0

    // The fitted line: offset(t) = intercept + slope * (t − reference), t in device seconds.
    private var reference = 0.0
    private var intercept = 0.0
    private var slope = 0.0
    private var hasObservation = false

    /// Number of times the device clock was seen to jump and alignment restarted.
    public private(set) var resyncCount = 0

    public init(settings: Settings = .default) {
        self.settings = settings
        pointTimes = Array(repeating: 0, count: settings.windowCount)
        pointOffsets = Array(repeating: 0, count: settings.windowCount)
        hull = Array(repeating: 0, count: settings.windowCount)
    }

    /// True once a first window of `windowDuration` closed: the offset then rests on a window's worth of
    /// frames, not on the first frame alone (which may have come late, e.g. after a stall).
    public var isSettled: Bool { hasObservation && pointCount > 0 }

    /// True once at least one observation was made (before that, `hostTime` is the identity).
    public var isAligned: Bool { hasObservation }

    /// The current drift estimate, seconds of host time per second of device time minus one (ppm × 1e-6).
    public var drift: Double { slope }

    /// Takes one (device time, receive time) pair.
    ///
    /// - Parameters:
    ///   - deviceTime: device-clock time of the newest sample carried by the received bytes, seconds.
    ///   - receiveTime: host time at which those bytes were received, seconds.
    public mutating func observe(deviceTime: Double, receiveTime: Double) {
        let offset = receiveTime - deviceTime
        guard offset.isFinite else { return }
        if !hasObservation {
            start(deviceTime: deviceTime, offset: offset)
            return
        }
        let predicted = lineOffset(at: deviceTime)
        if offset < predicted - settings.resyncThreshold || offset > predicted + 20 * settings.resyncThreshold
            || deviceTime < windowStart - settings.windowDuration
        {
            resyncCount += 1
            start(deviceTime: deviceTime, offset: offset)
            return
        }
        if deviceTime >= windowStart + settings.windowDuration {
            closeWindow()
            windowStart = deviceTime
        }
        if offset < windowMinimumOffset {
            windowMinimumOffset = offset
            windowMinimumTime = deviceTime
        }
        violation = max(violation, lineOffset(at: deviceTime) - offset)
    }

    /// The host time at which the device clock read `deviceTime`, seconds.
    ///
    /// A linear function of `deviceTime` (for the current state): two samples of the device are mapped
    /// as far apart as the device clock says, times 1 + `drift`, so what the session computes from
    /// sample spacing never depends on the offset estimate.
    public func hostTime(forDeviceTime deviceTime: Double) -> Double {
        guard hasObservation else { return deviceTime }
        return deviceTime + lineOffset(at: deviceTime) - violation
    }



    private func lineOffset(at deviceTime: Double) -> Double {
        intercept + slope * (deviceTime - reference)
    }

    private mutating func start(deviceTime: Double, offset: Double) {
        hasObservation = true
        pointCount = 0
        pointNext = 0
        reference = deviceTime
        intercept = offset
        slope = 0
        windowStart = deviceTime
        windowMinimumOffset = offset
        windowMinimumTime = deviceTime
        violation = 0
    }

    private mutating func closeWindow() {
        pointTimes[pointNext] = windowMinimumTime - reference
        pointOffsets[pointNext] = windowMinimumOffset
        pointNext = (pointNext + 1) % settings.windowCount
        if pointCount < settings.windowCount { pointCount += 1 }
        windowMinimumOffset = .infinity
        violation = 0
        fitLine()
    }

    /// The slope of the lower convex hull of the envelope points where it passes `meanTime`: the line
    /// below every point that lies highest on average (Moon, Skelly & Towsley, "Estimation and removal of
    /// clock skew from network delay measurements", 1999). It rests on the fastest frames only, so it
    /// does not depend on how many frames a window held. Nil when the points do not span `meanTime`.
    private mutating func supportSlope(meanTime: Double) -> Double? {
        // The ring's points in time order (oldest first), the hull's vertices kept in `hull`.
        let oldest = pointCount < settings.windowCount ? 0 : pointNext
        var h = 0
        for k in 0..<pointCount {
            var i = oldest + k
            if i >= settings.windowCount { i -= settings.windowCount }
            while h >= 2 {
                let a = hull[h - 2]
                let b = hull[h - 1]
                // Drop b unless it lies strictly below the segment a–i.
                let cross = (pointTimes[b] - pointTimes[a]) * (pointOffsets[i] - pointOffsets[a])
                    - (pointOffsets[b] - pointOffsets[a]) * (pointTimes[i] - pointTimes[a])
                if cross > 0 { break }
                h -= 1
            }
            hull[h] = i
            h += 1
        }
        for k in 0..<(h - 1) {
            let a = hull[k]
            let b = hull[k + 1]
            if pointTimes[a] <= meanTime && meanTime <= pointTimes[b] && pointTimes[b] > pointTimes[a] {
                return (pointOffsets[b] - pointOffsets[a]) / (pointTimes[b] - pointTimes[a])
            }
        }
        return nil
    }

    /// The drift is the slope of the envelope points' lower hull (least squares when that fails; 0 with
    /// fewer than five points, or when steeper than `maximumDrift`); the line is then lowered until it touches the lowest of them
    /// (a support line from below). Every observation is an upper bound of the true offset, so the
    /// support line is as late as the fastest frame of the last `windowCount` windows shows possible:
    /// it does not depend on how many frames a window held (the mean of the window minima would be
    /// later with fewer, larger frames) nor on stalls, whose frames only arrive later.
    private mutating func fitLine() {
        let n = Double(pointCount)
        var meanT = 0.0
        var meanO = 0.0
        var minimumO = Double.infinity
        for i in 0..<pointCount {
            meanT += pointTimes[i]
            meanO += pointOffsets[i]
            minimumO = min(minimumO, pointOffsets[i])
        }
        meanT /= n
        meanO /= n
        var stt = 0.0
        var sto = 0.0
        for i in 0..<pointCount {
            let dt = pointTimes[i] - meanT
            stt += dt * dt
            sto += dt * (pointOffsets[i] - meanO)
        }
        // Drift is only observable over several windows (over fewer, the minima's scatter of a
        // millisecond or two would read as hundreds of ppm).
        if pointCount >= 5 && stt > 0 {
            let fitted = supportSlope(meanTime: meanT) ?? sto / stt
            slope = abs(fitted) <= settings.maximumDrift ? fitted : 0
            var lowest = Double.infinity
            for i in 0..<pointCount { lowest = min(lowest, pointOffsets[i] - slope * pointTimes[i]) }
            intercept = lowest
        } else {
            slope = 0
            intercept = minimumO
        }
    }
}
