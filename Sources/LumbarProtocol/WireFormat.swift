// LumbarProtocol: the sensor wire format (firmware-protocol/PROTOCOL.md): packets, COBS framing, CRC-32C,
// the streaming frame decoder and the encoder. Pure: no I/O, no clocks, no allocation per sample.

/// The constants of the wire format that both ends must agree on (PROTOCOL.md, "Framing").
///
/// A frame on the wire is `COBS(version, type, payload, CRC-32C) 0x00`. Lengths below are in bytes.
public enum WireFormat {
    /// The protocol version this codec speaks; the first byte of every frame.
    public static let protocolVersion: UInt8 = 1
    /// The frame delimiter. COBS guarantees it never occurs inside an encoded frame.
    public static let delimiter: UInt8 = 0x00
    /// Largest frame before COBS: version (1) + type (1) + payload + CRC (4).
    public static let maximumFrameLength = 1024
    /// Bytes a frame carries besides its payload: version, type and CRC.
    public static let frameOverhead = 6
    /// Largest payload of any packet.
    public static let maximumPayloadLength = maximumFrameLength - frameOverhead
    /// Largest COBS-encoded frame, delimiter excluded: n + ceil(n / 254) for n = `maximumFrameLength`.
    public static let maximumEncodedFrameLength = maximumFrameLength + (maximumFrameLength + 253) / 254
}
