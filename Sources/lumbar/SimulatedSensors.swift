import LumbarCore
import LumbarIO
import LumbarProtocol
import LumbarSim

/// Splits the simulator's merged packet stream (all sensors, arrival order) into one source per sensor
/// for the emulator. Used on the emulator's thread only.
final class SimulationDemux: @unchecked Sendable {
    // @unchecked: every call comes from the single emulator thread that pulls the sources.
    private var stream: SimulatedFrameStream
    private var queues: [[TimedPacket]]

    init(_ script: SessionScript) {
        stream = Simulator.stream(script)
        queues = Array(repeating: [], count: script.sensors.count)
    }

    /// What each sensor reports about itself.
    var deviceInfos: [DeviceInfo] { stream.deviceInfos }

    /// End of the session, s.
    var duration: Double { stream.duration }

    /// Sensor `index`'s next packet (others met on the way are queued for their sensors).
    func next(for index: Int) -> TimedPacket? {
        while queues[index].isEmpty {
            guard let packet = stream.next() else { return nil }
            queues[packet.sensorIndex].append(TimedPacket(time: packet.arrivalTime, packet: packet.packet))
        }
        return queues[index].removeFirst()
    }

    /// Drops what is queued for a sensor nobody emulates, so the queue does not grow.
    func discard(_ index: Int) { queues[index].removeAll(keepingCapacity: true) }
}

/// One simulated sensor's packets, for the emulator.
struct SimulatedSensorSource: EmulatedPacketSource {
    let demux: SimulationDemux
    let index: Int
    /// Sensors of the script that are not emulated (their packets are thrown away).
    let ignored: [Int]

    mutating func next() -> TimedPacket? {
        for other in ignored { demux.discard(other) }
        return demux.next(for: index)
    }
}

/// A device id derived from a USB serial number string (FNV-1a), so a sensor named by its serial keeps
/// one id across runs.
func deviceID(forSerial serial: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in serial.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}
