import LumbarCore

/// Streaming decoder of WitMotion serial output (WT901 / HWT901B / HWT905 manuals, "Data protocol").
///
/// Every packet is 11 bytes: 0x55, a type byte, eight data bytes (four little-endian Int16 words), and
/// the low byte of the sum of the first ten bytes. Lumbar uses 0x51 (acceleration: a = word / 32768 ×
/// range, range ±16 g by default; word 4 is the temperature in hundredths of °C), 0x52 (angular
/// velocity: ω = word / 32768 × 2000 °/s) and 0x50 (time, below); 0x53 (angle), 0x54 (magnetic field) and the other
/// documented types in 0x50…0x5F are counted and ignored (Lumbar fuses orientation itself).
///
/// A sample is an acceleration packet followed by its angular-velocity packet (the device sends them in
/// that order every output cycle). An acceleration packet with no partner counts as a lost sample.
/// Garbage, a bad checksum or an unknown type byte drop one byte and the search for 0x55 resumes (every
/// dropped byte counted in `skippedBytes`), so a packet straddling garbage is still found.
///
/// Sample times: most devices are left at the factory output content (no time packets), and then the
/// device has no clock Lumbar can see: times come from the host receive time of the chunk that completed
/// the sample, through `ReceiveClock` (evenly spaced at the configured rate; see there for jitter and
/// lost packets). A device set to send its time packet (0x50, `WitMotionTime`: its clock to the
/// millisecond) is timed by it instead, decided at the first sample (`timeSource`): a sample's time is
/// its cycle's time packet, from 0 at the first one, so USB and Bluetooth latency never enters it and
/// lost cycles show as gaps (counted in whole periods). A cycle without a time packet, or a clock set
/// back (or wrapped), continues one configured period after the previous sample.
public struct WitMotionDecoder: Sendable {
    /// The device settings the raw words are scaled by (the decoder cannot read them from the stream).
    public struct Configuration: Sendable, Hashable {
        /// Accelerometer range, g (WitMotion: 2, 4, 8 or 16; default 16).
        public var accelerometerRange: Float
        /// Gyroscope range, °/s (default 2000).
        public var gyroscopeRange: Float
        /// Output rate, Hz, as configured on the device.
        public var rate: Double
        /// Receive delay still treated as latency, seconds (see `ReceiveClock`).
        public var latencyAllowance: Double

        public init(accelerometerRange: Float = 16, gyroscopeRange: Float = 2000, rate: Double = 100, latencyAllowance: Double = 0.05) {
            self.accelerometerRange = accelerometerRange
            self.gyroscopeRange = gyroscopeRange
            self.rate = rate
            self.latencyAllowance = latencyAllowance
        }
    }

    /// Bytes per packet.
    public static let packetLength = 11
    /// First byte of every packet.
    public static let header: UInt8 = 0x55

    public let configuration: Configuration
    public private(set) var counters = SensorFamilyCounters()
    /// The clock model behind sample times.
    public private(set) var clock: ReceiveClock
    /// Bytes of the packet in progress (only when it straddles chunks or is being resynchronised).
    private var pending: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private var pendingCount = 0
    /// Acceleration of the current output cycle, waiting for its angular velocity.
    private var acceleration: Vector3?

    /// Where sample times come from.
    public enum TimeSource: Sendable, Hashable {
        /// Host receive times through `clock` (no time packets).
        case receiveClock
        /// The device's time packets (0x50).
        case timePackets
    }

    /// Decided by the first sample: `.timePackets` when its cycle began with a valid time packet.
    public private(set) var timeSource: TimeSource?
    /// The last valid time packet.
    public private(set) var lastTime: WitMotionTime?
    /// The current cycle's time packet, seconds since 2000 (until its sample takes it).
    private var cycleTime: Double?
    /// `lastTime`'s date in seconds since 2000.
    private var daySeconds: Double = 0
    /// `.timePackets`: added to a time packet's seconds to give the sample time (starts at minus the first
    /// packet's; grows when the clock is set back), and the previous sample's time.
    private var timeOffset: Double = 0
    private var lastSampleTime: Double?
    private let accelerationScale: Float
    private let gyroscopeScale: Float

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        clock = ReceiveClock(rate: configuration.rate, latencyAllowance: configuration.latencyAllowance)
        accelerationScale = configuration.accelerometerRange / 32768
        gyroscopeScale = configuration.gyroscopeRange / 32768
    }

    /// Decodes `bytes`, received at host time `receivedAt` (seconds), calling `body` with each output.
    public mutating func decode(
        _ bytes: UnsafeRawBufferPointer, receivedAt: Double, _ body: (SensorFamilyOutput) throws -> Void
    ) rethrows {
        counters.bytes &+= UInt64(bytes.count)
        let count = bytes.count
        var index = 0
        while index < count {
            if pendingCount == 0 {
                // Fast path: whole packets straight from the input.
                if count - index >= Self.packetLength, bytes[index] == Self.header,
                    Self.isValid(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + Self.packetLength)]))
                {
                    try packet(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + Self.packetLength)]), receivedAt, body)
                    index += Self.packetLength
                    continue
                }
                if bytes[index] != Self.header {
                    counters.skippedBytes &+= 1
                    index += 1
                    continue
                }
            }
            appendPending(bytes[index])
            index += 1
            try drainPending(receivedAt, body)
        }
    }

    /// Decodes `bytes` received at `receivedAt` (seconds) and calls `body` with each output.
    public mutating func decode(_ bytes: [UInt8], receivedAt: Double, _ body: (SensorFamilyOutput) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try decode($0, receivedAt: receivedAt, body) }
    }

    /// Decodes `bytes` received at `receivedAt` and returns the outputs (convenient; allocates).
    public mutating func decode(_ bytes: [UInt8], receivedAt: Double) -> [SensorFamilyOutput] {
        var outputs: [SensorFamilyOutput] = []
        decode(bytes, receivedAt: receivedAt) { outputs.append($0) }
        return outputs
    }

    @inline(__always)
    private mutating func appendPending(_ byte: UInt8) {
        withUnsafeMutableBytes(of: &pending) { $0[pendingCount] = byte }
        pendingCount += 1
    }

    /// Validates the pending bytes as far as they go; on a complete packet, decodes it; on a bad header,
    /// type or checksum, drops the first byte and rescans the rest for the next 0x55.
    private mutating func drainPending(_ receivedAt: Double, _ body: (SensorFamilyOutput) throws -> Void) rethrows {
        while pendingCount > 0 {
            var copy = pending
            let verdict: Bool? = withUnsafeBytes(of: &copy) { raw in
                let bytes = UnsafeRawBufferPointer(rebasing: raw[0..<pendingCount])
                if bytes[0] != Self.header { return false }
                if bytes.count >= 2 && bytes[1] & 0xF0 != 0x50 { return false }
                if bytes.count < Self.packetLength { return nil }
                return Self.isValid(bytes)
            }
            switch verdict {
            case nil:
                return
            case true?:
                pendingCount = 0
                try withUnsafeBytes(of: &copy) { raw in
                    try packet(UnsafeRawBufferPointer(rebasing: raw[0..<Self.packetLength]), receivedAt, body)
                }
                return
            case false?:
                // Header and type were checked as they arrived: a full packet failing is a checksum failure.
                if pendingCount == Self.packetLength { counters.checksumFailures &+= 1 }
                counters.skippedBytes &+= 1
                withUnsafeMutableBytes(of: &pending) { raw in
                    for i in 1..<pendingCount { raw[i - 1] = raw[i] }
                }
                pendingCount -= 1
                // Skip to the next candidate header.
                while pendingCount > 0 {
                    let first = withUnsafeBytes(of: &pending) { $0[0] }
                    if first == Self.header { break }
                    counters.skippedBytes &+= 1
                    withUnsafeMutableBytes(of: &pending) { raw in
                        for i in 1..<pendingCount { raw[i - 1] = raw[i] }
                    }
                    pendingCount -= 1
                }
            }
        }
    }

    /// The time of a sample on the device's clock (`.timePackets`), seconds from its first time packet:
    /// the cycle's packet, or one period on from the previous sample when the cycle had none or the clock
    /// went back. Whole periods missing between two packets are counted as lost samples.
    private mutating func deviceSampleTime() -> Double {
        let period = clock.period
        guard let last = lastSampleTime else {
            timeOffset = -(cycleTime ?? 0)
            lastSampleTime = 0
            return 0
        }
        var time = last + period
        if let device = cycleTime {
            let candidate = device + timeOffset
            if candidate > last {
                time = candidate
                if candidate - last > 1.5 * period {
                    counters.lostSamples &+= UInt64(((candidate - last) / period).rounded() - 1)
                }
            } else {
                timeOffset += time - candidate
            }
        }
        lastSampleTime = time
        return time
    }

    /// True if `bytes` (11 of them) start with 0x55, carry a 0x5? type and their checksum matches.
    @inline(__always)
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes[0] == header, bytes[1] & 0xF0 == 0x50 else { return false }
        var sum: UInt8 = 0
        for i in 0..<10 { sum &+= bytes[i] }
        return sum == bytes[10]
    }

    @inline(__always)
    private mutating func packet(
        _ bytes: UnsafeRawBufferPointer, _ receivedAt: Double, _ body: (SensorFamilyOutput) throws -> Void
    ) rethrows {
        counters.messages &+= 1
        @inline(__always) func word(_ index: Int) -> Float {
            Float(Int16(bitPattern: UInt16(bytes[2 + 2 * index]) | UInt16(bytes[3 + 2 * index]) << 8))
        }
        switch bytes[1] {
        case 0x50:
            if let time = WitMotionTime(packet: bytes) {
                // The date changes once a day: its days are counted again only then.
                if time.day != lastTime?.day || time.month != lastTime?.month || time.year != lastTime?.year {
                    daySeconds = Double(time.daysSince2000 * 86400)
                }
                lastTime = time
                cycleTime = daySeconds + time.secondsOfDay
            }
        case 0x51:
            if acceleration != nil { counters.lostSamples &+= 1 }
            acceleration = Vector3(word(0) * accelerationScale, word(1) * accelerationScale, word(2) * accelerationScale)
        case 0x52:
            guard let accelerometer = acceleration else { return }
            acceleration = nil
            counters.samples &+= 1
            if timeSource == nil { timeSource = cycleTime == nil ? .receiveClock : .timePackets }
            let time: Double
            if timeSource == .timePackets {
                time = deviceSampleTime()
            } else {
                let skippedBefore = clock.skippedPeriods
                time = clock.time(receivedAt: receivedAt)
                counters.lostSamples &+= clock.skippedPeriods &- skippedBefore
            }
            cycleTime = nil
            try body(
                .sample(
                    ImuSample(
                        time: time, accelerometer: accelerometer,
                        gyroscope: Vector3(word(0) * gyroscopeScale, word(1) * gyroscopeScale, word(2) * gyroscopeScale)
                    )
                )
            )
        default:
            break
        }
    }
}
