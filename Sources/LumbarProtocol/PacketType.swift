/// The type byte of a frame (the second byte, after the protocol version). PROTOCOL.md, "Packet types".
///
/// Receivers skip (and count) frames whose type they do not know: new packet types can be added
/// without breaking old hosts.
public enum PacketType: UInt8, Sendable, Hashable, CaseIterable {
    /// Device → host: who the device is and how to convert its counts (sent on connect and on request).
    case deviceInfo = 0x01
    /// Device → host: N consecutive IMU samples.
    case sampleBatch = 0x02
    /// Device → host: battery, temperature, drops, error flags (heartbeat, about once a second).
    case status = 0x03
    /// Host → device: a command carrying a token the acknowledgement echoes.
    case command = 0x10
    /// Device → host: the outcome of one command.
    case acknowledgement = 0x11
}
