import LumbarProtocol

/// A packet an emulated sensor sends, with when it sends it.
public struct TimedPacket: Sendable, Hashable {
    /// Seconds since the emulated session started (true time, the host's clock).
    public var time: Double
    /// What is sent.
    public var packet: Packet

    public init(time: Double, packet: Packet) {
        self.time = time
        self.packet = packet
    }
}

/// Where an emulated sensor's packets come from (the simulator, or a fixed list in tests).
public protocol EmulatedPacketSource: Sendable {
    /// The next packet in time order; nil when the session is over.
    mutating func next() -> TimedPacket?
}

/// A fixed list of packets, for tests.
public struct PacketList: EmulatedPacketSource {
    private var packets: [TimedPacket]
    private var index = 0

    public init(_ packets: [TimedPacket]) { self.packets = packets }

    public mutating func next() -> TimedPacket? {
        guard index < packets.count else { return nil }
        defer { index += 1 }
        return packets[index]
    }
}

/// How a sensor of another family (x-IMU3, WitMotion, a maker board) sends what the simulator makes:
/// the emulator then plays that device instead of Lumbar firmware. It streams from the moment its line
/// opens (as its settings say), sends no device info or status, and answers the host's commands in its
/// family's own protocol (`receive`).
public protocol ForeignSensorFormat: Sendable {
    /// Bytes sent each time the line opens (a maker board's header line); empty for most families.
    func greeting() -> [UInt8]
    /// Appends the bytes of `batch`'s samples in the family's format (`info` scales and times them), at
    /// session time `t` (s).
    mutating func render(_ batch: SampleBatch, info: DeviceInfo, at t: Double, into output: inout [UInt8])
    /// Handles bytes the host wrote at session time `t` (s) and appends the device's answers.
    mutating func receive(_ bytes: UnsafeRawBufferPointer, info: DeviceInfo, at t: Double, into output: inout [UInt8])
    /// The line speed the host set, bit/s (nil: unknown), read at session time `t` (s) before each `render`
    /// and `receive`: a device behind a UART at another speed is not understood.
    mutating func hostLineSpeed(_ bitsPerSecond: Int?, at t: Double)
}

extension ForeignSensorFormat {
    /// A family whose line speed does not matter (USB CDC, or not emulated).
    public mutating func hostLineSpeed(_ bitsPerSecond: Int?, at t: Double) {}
}

/// One emulated sensor: its identity, its packets and how it misbehaves.
public struct EmulatedSensor: Sendable {
    /// How the emulated firmware behaves.
    public enum Behaviour: String, Sendable, Hashable, CaseIterable {
        /// Answers commands, streams after `startStreaming`, sends device info on connect and on request.
        case normal
        /// Streams sample batches without waiting for a command and never sends device info or answers.
        case neverSendsDeviceInfo = "mute"
        /// Sends random bytes (about 10 kB/s) and never a valid frame: broken firmware or the wrong device.
        case babbling = "babble"
    }

    /// Short name (`lumbar`, `right_ankle`): the link name and the name in logs.
    public var name: String
    /// What the device answers to `requestDeviceInfo` and sends on connect.
    public var deviceInfo: DeviceInfo
    /// Its packets, in time order.
    public var source: any EmulatedPacketSource
    /// How it behaves.
    public var behaviour: Behaviour
    /// Random bytes are written after every this many frames; nil: never.
    public var garbageEveryFrames: Int?
    /// Intervals of session time, s, during which the line is closed (the sensor unplugged); the device
    /// comes back on a new line and sends its device info again.
    public var unplugged: [Range<Double>]
    /// Session times, s, at which the MCU restarts behind the open line (`EmulatedFirmware.restart`):
    /// it stops streaming until the host starts it again, and its heartbeats say so.
    public var restarts: [Double] = []
    /// The family it plays when it is not a Lumbar sensor (nil: Lumbar firmware).
    public var format: (any ForeignSensorFormat)?

    public init(
        name: String, deviceInfo: DeviceInfo, source: any EmulatedPacketSource, behaviour: Behaviour = .normal,
        garbageEveryFrames: Int? = nil, unplugged: [Range<Double>] = []
    ) {
        self.name = name
        self.deviceInfo = deviceInfo
        self.source = source
        self.behaviour = behaviour
        self.garbageEveryFrames = garbageEveryFrames
        self.unplugged = unplugged
    }
}
