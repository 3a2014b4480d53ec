/// Turns packets into delimited frames: `COBS(version, type, payload, CRC-32C) 0x00`.
///
/// Used by the simulator (device → host packets) and by the host for commands. Keep one encoder and
/// one output buffer per stream; in steady state encoding allocates nothing.
///
/// ```swift
/// var encoder = FrameEncoder()
/// var bytes: [UInt8] = []
/// encoder.encode(.command(HostCommand(token: 1, action: .startStreaming)), into: &bytes)
/// try port.write(bytes)
/// ```
public struct FrameEncoder: Sendable {
    /// The unencoded frame being built.
    private var scratch: [UInt8] = []

    public init() {
        scratch.reserveCapacity(WireFormat.maximumFrameLength)
    }

    /// Appends one complete frame, delimiter included, to `output`.
    ///
    /// - Precondition: the packet fits a frame (at most `SampleBatch.maximumSampleCount` samples; IMU part
    ///   names longer than `DeviceInfo.maximumPartNameLength` bytes are cut).
    public mutating func encode(_ packet: Packet, into output: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(WireFormat.protocolVersion)
        scratch.append(packet.type.rawValue)
        packet.appendPayload(to: &scratch)
        appendChecksumAndFrame(into: &output)
    }

    /// Appends a frame with an arbitrary version, type byte and payload: for tests, fuzz seeds and
    /// forward-compatibility vectors (unknown types, longer payloads).
    public mutating func encodeRaw(version: UInt8, type: UInt8, payload: [UInt8], into output: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(version)
        scratch.append(type)
        scratch.append(contentsOf: payload)
        appendChecksumAndFrame(into: &output)
    }

    /// One packet as a frame, delimiter included (a convenience that allocates).
    public static func frame(_ packet: Packet) -> [UInt8] {
        var encoder = FrameEncoder()
        var output: [UInt8] = []
        encoder.encode(packet, into: &output)
        return output
    }

    private mutating func appendChecksumAndFrame(into output: inout [UInt8]) {
        let crc = scratch.withUnsafeBytes { CRC32C.checksum($0) }
        scratch.appendLittleEndian(crc)
        scratch.withUnsafeBytes { COBS.encode($0, appendingTo: &output) }
        output.append(WireFormat.delimiter)
    }
}
