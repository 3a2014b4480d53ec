import LumbarProtocol

/// Watches the first bytes of a newly opened sensor for its device-info packet, and keeps what it saw
/// so a log line can say why a device was not recognised (garbage only, frames but no device info).
public struct DeviceInfoWaiter: Sendable {
    /// The device info, once it arrived.
    public private(set) var deviceInfo: DeviceInfo?
    /// Bytes seen so far.
    public private(set) var bytesSeen = 0
    /// Frames that passed every check.
    public private(set) var validFrames = 0
    /// Frames dropped as corrupt.
    public private(set) var corruptFrames = 0
    private var decoder = FrameDecoder()

    public init() {}

    /// Feeds bytes; returns the device info when this chunk completed it (the first time only).
    @discardableResult
    public mutating func feed(_ bytes: [UInt8]) -> DeviceInfo? {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Feeds bytes read into a buffer (the read as it is, no copy); returns the device info when this
    /// chunk completed it (the first time only).
    @discardableResult
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> DeviceInfo? {
        guard deviceInfo == nil else { return nil }
        bytesSeen += bytes.count
        var found: DeviceInfo?
        decoder.decode(bytes) { output in
            switch output {
            case .packet(let packet):
                validFrames += 1
                if found == nil, case .deviceInfo(let info) = packet { found = info }
            case .dropped: corruptFrames += 1
            default: break
            }
        }
        if let found { deviceInfo = found }
        return found
    }

    /// The bytes to feed a sensor's fresh stream first, before the bytes kept while waiting: a lone
    /// delimiter and `info` as a frame. Samples that arrived before the device info (a device already
    /// streaming when the host opened it, a first request lost) are then converted with its scales
    /// instead of being dropped as "samples without device info"; a recording holds the same bytes,
    /// so its replay does the same.
    public static func leadingFrame(for info: DeviceInfo) -> [UInt8] {
        var bytes: [UInt8] = [WireFormat.delimiter]
        var encoder = FrameEncoder()
        encoder.encode(.deviceInfo(info), into: &bytes)
        return bytes
    }

    /// Why there is no device info yet, for a log line: "N bytes, no valid frame" or "K valid frames, none of them device info".
    public var diagnosis: String {
        if bytesSeen == 0 { return "nothing received" }
        if validFrames == 0 { return "\(bytesSeen) bytes, no valid frame (\(corruptFrames) corrupt): not speaking the Lumbar protocol" }
        return "\(validFrames) valid frames, none of them device info"
    }
}
