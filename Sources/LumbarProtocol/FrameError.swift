/// Why the decoder dropped a frame. Each case carries the evidence a log line or a bug report needs;
/// `offset` is the stream position (bytes since the decoder was created) of the frame's first byte.
///
/// After any of these the decoder has already resynchronised: it continues at the next 0x00, so the
/// good frame behind a bad one is never lost.
public enum FrameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// More than `WireFormat.maximumEncodedFrameLength` bytes arrived without a delimiter (or the frame
    /// decoded to more than `maximumFrameLength`). Bytes up to the next delimiter are discarded.
    case oversize(offset: UInt64, limit: Int)
    /// A COBS code byte points past the end of the frame (a truncated or corrupted frame).
    case invalidEncoding(offset: UInt64, position: Int, code: UInt8)
    /// The frame is shorter than version + type + CRC (6 bytes).
    case tooShort(offset: UInt64, length: Int)
    /// The CRC-32C the frame carries differs from the one computed over its bytes.
    case crcMismatch(offset: UInt64, length: Int, received: UInt32, computed: UInt32)
    /// The frame's CRC is good but it speaks another protocol version.
    case unsupportedVersion(offset: UInt64, version: UInt8)
    /// The frame's CRC is good but its type is not one this version knows: skipped (forward compatibility).
    case unknownPacketType(offset: UInt64, type: UInt8, length: Int)
    /// The frame's CRC is good but its payload does not fit its type's layout.
    case malformedPayload(offset: UInt64, type: PacketType, payloadLength: Int, defect: PayloadDefect)

    /// Stream position of the frame's first byte.
    public var offset: UInt64 {
        switch self {
        case .oversize(let offset, _), .invalidEncoding(let offset, _, _), .tooShort(let offset, _),
            .crcMismatch(let offset, _, _, _), .unsupportedVersion(let offset, _),
            .unknownPacketType(let offset, _, _), .malformedPayload(let offset, _, _, _):
            offset
        }
    }

    public var description: String {
        switch self {
        case .oversize(let offset, let limit):
            "frame at byte \(offset) exceeds \(limit) bytes without a delimiter; skipped to the next 0x00"
        case .invalidEncoding(let offset, let position, let code):
            "frame at byte \(offset): COBS code 0x\(hex(code)) at position \(position) runs past the frame's end"
        case .tooShort(let offset, let length):
            "frame at byte \(offset) is \(length) bytes, shorter than the 6-byte minimum"
        case .crcMismatch(let offset, let length, let received, let computed):
            "frame at byte \(offset) (\(length) bytes): CRC-32C 0x\(hex(received)) received, 0x\(hex(computed)) computed"
        case .unsupportedVersion(let offset, let version):
            "frame at byte \(offset) has protocol version \(version); this host speaks \(WireFormat.protocolVersion)"
        case .unknownPacketType(let offset, let type, let length):
            "frame at byte \(offset) has unknown packet type 0x\(hex(type)) (\(length) bytes); skipped"
        case .malformedPayload(let offset, let type, let payloadLength, let defect):
            "frame at byte \(offset): \(type) payload of \(payloadLength) bytes is malformed: \(defect)"
        }
    }
}

/// What is wrong with a payload whose frame was otherwise intact.
public enum PayloadDefect: Error, Sendable, Hashable, CustomStringConvertible {
    /// The payload is shorter than its fields require.
    case tooShort(minimumLength: Int)
    /// A sample batch with zero samples.
    case emptySampleBatch
    /// A device info whose tick frequency is 0 Hz (timestamps could not be converted).
    case zeroTickFrequency
    /// A device info whose IMU part name is longer than `DeviceInfo.maximumPartNameLength`.
    case partNameTooLong(length: Int)

    public var description: String {
        switch self {
        case .tooShort(let minimumLength): "needs at least \(minimumLength) bytes"
        case .emptySampleBatch: "sample batch holds no samples"
        case .zeroTickFrequency: "tick frequency is 0 Hz"
        case .partNameTooLong(let length):
            "IMU part name of \(length) bytes exceeds \(DeviceInfo.maximumPartNameLength)"
        }
    }
}

private func hex<T: FixedWidthInteger>(_ value: T) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, T.bitWidth / 4 - digits.count)) + digits
}
