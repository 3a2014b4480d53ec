/// Maps one sensor's device clock onto the host clock, from nothing but the device timestamps of the
/// samples and the host times at which the bytes carrying them were received.
///
/// USB delivers bytes late by a latency that is never negative and is jittery (0.1–20 ms, rarely more),
/// so every observation `receiveTime − deviceTime` is an upper bound of the true clock offset. The
/// aligner keeps the lower envelope of those bounds: the minimum per window of `windowDuration`
/// device seconds, a ring of the last `windowCount` minima, and a least-squares line through them
/// (offset and drift, so a 100 ppm crystal error is followed). The estimate is capped by the current
/// window's own minimum, so a sample is never stamped after it was received.
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

    // The open window.
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
    }

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
    }

    /// The host time at which the device clock read `deviceTime`, seconds.
    public func hostTime(forDeviceTime deviceTime: Double) -> Double {
        guard hasObservation else { return deviceTime }
        var offset = lineOffset(at: deviceTime)
        // Never later than what the open window has shown possible (drift across the window is negligible).
        if windowMinimumOffset < offset { offset = windowMinimumOffset }
        return deviceTime + offset
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
    }

    private mutating func closeWindow() {
        pointTimes[pointNext] = windowMinimumTime - reference
        pointOffsets[pointNext] = windowMinimumOffset
        pointNext = (pointNext + 1) % settings.windowCount
        if pointCount < settings.windowCount { pointCount += 1 }
        windowMinimumOffset = .infinity
        fitLine()
    }

    /// Least-squares line through the envelope points; with fewer than three points the offset is
    /// their minimum and the drift stays 0.
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
        // Drift is only observable over several windows.
        if pointCount >= 3 && stt > 0 {
            let fitted = sto / stt
            slope = abs(fitted) <= settings.maximumDrift ? fitted : 0
            // Offset through the mean, as the minima scatter around the floor by the minimum latency.
            intercept = meanO - slope * meanT
        } else {
            intercept = minimumO
        }
    }
}
