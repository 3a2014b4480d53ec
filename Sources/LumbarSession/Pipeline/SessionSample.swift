import LumbarCore
import LumbarMotion

/// One fused sample of one sensor on the session clock: what the merge stage releases in time order
/// to the motion analysis and the exports.
@frozen
public struct SessionSample: Sendable, Hashable {
    /// Index of the sensor in `SessionPipeline.sensors`.
    public var sensor: Int
    /// Where that sensor is worn.
    public var placement: SensorPlacement
    /// The sample; `sample.time` is seconds since the session's first sample.
    public var sample: ImuSample
    /// The sensor's fused orientation (sensor → earth, Z up) after this sample.
    public var orientation: Quaternion
    /// The sample's time on the sensor's own clock, s (any origin): what the orientation filter steps
    /// by, so that fusion depends on the device timestamps only, never on how the session clock was
    /// estimated from arrival times. For timed input (CSV) it is the input's time.
    public var deviceTime: Double

    /// - Parameter deviceTime: the sensor clock's reading, s; nil: `sample.time`.
    @inlinable
    public init(
        sensor: Int, placement: SensorPlacement, sample: ImuSample, orientation: Quaternion, deviceTime: Double? = nil
    ) {
        self.sensor = sensor
        self.placement = placement
        self.sample = sample
        self.orientation = orientation
        self.deviceTime = deviceTime ?? sample.time
    }

    /// Seconds since the session's first sample.
    @inlinable public var time: Double { sample.time }
}

/// Where the pipeline delivers what it produces. Implemented by the terminal printer, the JSON Lines
/// writer, the exporters, the dashboard feed, or a collector in tests; compose several with `SessionOutputPair`.
///
/// Implementation requirements: both methods are called on the pipeline's thread, in session order;
/// `sample` is called once per sample of every sensor (millions of times per replay), so it must not
/// allocate; `event` is rare.
public protocol SessionOutput {
    /// A fused sample, in session-time order across sensors.
    mutating func sample(_ sample: SessionSample)
    /// An event (motion events and sensor connect/loss), in the order they happened.
    mutating func event(_ event: LumbarEvent)
    /// How often this output wants the analysis' live state, session seconds; nil (the default) = never.
    var snapshotInterval: Double? { get }
    /// The analysis' live state, about every `snapshotInterval` seconds of session time.
    mutating func snapshot(_ snapshot: MotionSnapshot)
}

extension SessionOutput {
    public var snapshotInterval: Double? { nil }
    public mutating func snapshot(_ snapshot: MotionSnapshot) {}
}

/// Two outputs fed the same stream, `first` before `second`.
public struct SessionOutputPair<First: SessionOutput, Second: SessionOutput>: SessionOutput {
    public var first: First
    public var second: Second

    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    @inlinable
    public mutating func sample(_ sample: SessionSample) {
        first.sample(sample)
        second.sample(sample)
    }

    @inlinable
    public mutating func event(_ event: LumbarEvent) {
        first.event(event)
        second.event(event)
    }

    public var snapshotInterval: Double? {
        switch (first.snapshotInterval, second.snapshotInterval) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b): b
        }
    }

    public mutating func snapshot(_ snapshot: MotionSnapshot) {
        first.snapshot(snapshot)
        second.snapshot(snapshot)
    }
}

/// An output that keeps the events and counts the samples (tests, small tools).
public struct EventCollector: SessionOutput {
    public var events: [LumbarEvent] = []
    public var sampleCount = 0

    public init() {}

    public mutating func sample(_ sample: SessionSample) { sampleCount += 1 }
    public mutating func event(_ event: LumbarEvent) { events.append(event) }
}
