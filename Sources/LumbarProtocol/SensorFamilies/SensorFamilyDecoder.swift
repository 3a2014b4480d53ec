/// The decoder of one sensor-family byte stream, whichever family it is: what the session pipeline holds
/// per sensor that is not a Lumbar sensor (a Lumbar sensor's stream goes to `FrameDecoder`).
///
/// One entry point for every family: bytes and their host receive time (seconds) in, outputs out. Only
/// WitMotion uses the receive time (it has no clock); x-IMU3 and text lines carry device time.
public enum SensorFamilyDecoder: Sendable {
    case xIMU3(XIMU3Decoder)
    case witMotion(WitMotionDecoder)
    case textLines(TextLineDecoder)

    /// A fresh decoder for `family`; nil for `.lumbar` (that is `FrameDecoder`'s).
    ///
    /// - Parameter witMotion: the device settings a WitMotion stream is scaled and clocked by.
    public init?(_ family: SensorFamily, witMotion: WitMotionDecoder.Configuration = .init()) {
        switch family {
        case .lumbar: return nil
        case .xIMU3: self = .xIMU3(XIMU3Decoder())
        case .witMotion: self = .witMotion(WitMotionDecoder(configuration: witMotion))
        case .textLines: self = .textLines(TextLineDecoder())
        }
    }

    public var family: SensorFamily {
        switch self {
        case .xIMU3: .xIMU3
        case .witMotion: .witMotion
        case .textLines: .textLines
        }
    }

    /// The running totals of the stream decoded so far.
    public var counters: SensorFamilyCounters {
        switch self {
        case .xIMU3(let d): d.counters
        case .witMotion(let d): d.counters
        case .textLines(let d): d.counters
        }
    }

    /// Decodes `bytes`, received at host time `receivedAt` (seconds), calling `body` with each output in order.
    public mutating func decode(
        _ bytes: UnsafeRawBufferPointer, receivedAt: Double, _ body: (SensorFamilyOutput) throws -> Void
    ) rethrows {
        // Each case moves its decoder out, decodes and puts it back: no copy of its buffers (an in-place
        // `switch` binding would copy the decoder and its line buffer on every call).
        switch consume self {
        case .xIMU3(var d):
            defer { self = .xIMU3(d) }
            try d.decode(bytes, body)
        case .witMotion(var d):
            defer { self = .witMotion(d) }
            try d.decode(bytes, receivedAt: receivedAt, body)
        case .textLines(var d):
            defer { self = .textLines(d) }
            try d.decode(bytes, body)
        }
    }
}
