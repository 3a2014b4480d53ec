import LumbarDevice

/// Watches the reads of the session thread for stretches in which no port (or no streaming sensor port)
/// gave a byte, and notes whether a USB scan was running meanwhile. The evidence that tells a sensor's
/// own silence from the host's: when every port, the babbling and garbage ones included, went quiet at
/// once, the sensors did not stop; the USB stack, the machine or a scan did.
///
/// Values in, values out; times are host ns (`HostClock`). Nothing allocates per read.
public struct ReadSilenceWatch: Sendable {
    /// Which ports were all silent.
    public enum Ports: String, Sendable {
        case every = "every port"
        case sensors = "every sensor port"
    }

    /// No byte from `ports` between `from` and `to` (host ns); `duringScan`: a USB scan was asked for
    /// or running at some point of it.
    public struct Silence: Sendable, Equatable {
        public var ports: Ports
        public var from: Int64
        public var to: Int64
        public var duringScan: Bool
    }

    /// Shorter stretches are not silences (a 400 Hz sensor sends every few ms; 250 ms is a quarter of
    /// the pipeline's default 1 s loss timeout).
    public let threshold: Int64
    private var lastAny: Int64?
    private var lastSensor: Int64?
    private var scanning = false
    private var scanSinceAny = false
    private var scanSinceSensor = false

    public init(threshold: Int64 = 250_000_000) {
        self.threshold = threshold
    }

    /// A scan was asked for (it runs until its result is taken).
    public mutating func scanRequested() {
        scanning = true
        scanSinceAny = true
        scanSinceSensor = true
    }

    /// The scan's result was taken.
    public mutating func scanTaken() { scanning = false }

    /// A read at `t` on a port, `sensor`: a streaming sensor's port. Returns the silences it ends.
    public mutating func read(at t: Int64, sensor: Bool) -> (every: Silence?, sensors: Silence?) {
        var every: Silence?
        if let last = lastAny, t - last > threshold { every = Silence(ports: .every, from: last, to: t, duringScan: scanSinceAny) }
        lastAny = max(lastAny ?? t, t)
        scanSinceAny = scanning
        guard sensor else { return (every, nil) }
        var sensors: Silence?
        if let last = lastSensor, t - last > threshold {
            sensors = Silence(ports: .sensors, from: last, to: t, duringScan: scanSinceSensor)
        }
        lastSensor = max(lastSensor ?? t, t)
        scanSinceSensor = scanning
        return (every, sensors)
    }
}
