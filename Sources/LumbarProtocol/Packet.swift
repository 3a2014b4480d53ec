/// One decoded (or to-be-encoded) packet of the Lumbar wire protocol.
public enum Packet: Sendable, Hashable {
    /// Device → host: identity and scale factors.
    case deviceInfo(DeviceInfo)
    /// Device → host: consecutive IMU samples.
    case sampleBatch(SampleBatch)
    /// Device → host: heartbeat.
    case status(DeviceStatus)
    /// Host → device: a command.
    case command(HostCommand)
    /// Device → host: the answer to a command.
    case acknowledgement(Acknowledgement)

    /// The frame type byte this packet travels under.
    public var type: PacketType {
        switch self {
        case .deviceInfo: .deviceInfo
        case .sampleBatch: .sampleBatch
        case .status: .status
        case .command: .command
        case .acknowledgement: .acknowledgement
        }
    }
}
