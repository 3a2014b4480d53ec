import LumbarCore
import LumbarIO
import LumbarProtocol
import LumbarSim

/// Splits the simulator's merged packet stream (all sensors, arrival order) into one source per sensor
/// for the emulator. Used on the emulator's thread only.
public final class SimulationDemux: @unchecked Sendable {
    // @unchecked: every call comes from the single emulator thread that pulls the sources.
    private var stream: SimulatedFrameStream
    private var queues: [[TimedPacket]]

    public init(_ script: SessionScript) {
        stream = Simulator.stream(script)
        queues = Array(repeating: [], count: script.sensors.count)
    }

    /// What each sensor reports about itself.
    public var deviceInfos: [DeviceInfo] { stream.deviceInfos }

    /// End of the session, s.
    public var duration: Double { stream.duration }

    /// Sensor `index`'s next packet (others met on the way are queued for their sensors).
    public func next(for index: Int) -> TimedPacket? {
        while queues[index].isEmpty {
            guard let packet = stream.next() else { return nil }
            queues[packet.sensorIndex].append(TimedPacket(time: packet.arrivalTime, packet: packet.packet))
        }
        return queues[index].removeFirst()
    }

    /// Drops what is queued for a sensor nobody emulates, so the queue does not grow.
    public func discard(_ index: Int) { queues[index].removeAll(keepingCapacity: true) }
}

/// One simulated sensor's packets, for the emulator.
public struct SimulatedSensorSource: EmulatedPacketSource {
    public let demux: SimulationDemux
    public let index: Int
    /// Sensors of the script that are not emulated (their packets are thrown away).
    public let ignored: [Int]

    public init(demux: SimulationDemux, index: Int, ignored: [Int]) {
        (self.demux, self.index, self.ignored) = (demux, index, ignored)
    }

    public mutating func next() -> TimedPacket? {
        for other in ignored { demux.discard(other) }
        return demux.next(for: index)
    }
}
