import LumbarProtocol

/// Watches a sensor's bytes after the host sent configuration commands (set sample rate, ranges) and
/// a device-info request after them, for what the device actually applied: the acknowledgements of
/// the commands, then the device info answering the request (the last token). A device that refused a
/// change (`busy`, `unsupported`) sends no fresh device info for it (PROTOCOL.md 5.4), which is why the
/// host asks for one.
///
/// Device infos that arrive before the last command is acknowledged (answers to an earlier request)
/// are not taken for the confirmation.
public struct SettingsConfirmation: Sendable {
    /// What the device said.
    public struct Outcome: Sendable, Hashable {
        /// The device info sent after the last configuration command: the configuration in force.
        public var deviceInfo: DeviceInfo
        /// Configuration commands the device did not carry out, by opcode, with its answer.
        public var refused: [UInt8: Acknowledgement.Result]
    }

    private let tokens: Set<UInt16>
    private let lastToken: UInt16?
    private var decoder = FrameDecoder()
    private var lastAcknowledged = false
    private var refused: [UInt8: Acknowledgement.Result] = [:]
    /// The outcome, once it arrived.
    public private(set) var outcome: Outcome?

    /// - Parameter tokens: the tokens of the configuration commands and, last, of the device-info request.
    public init(tokens: [UInt16]) {
        self.tokens = Set(tokens)
        lastToken = tokens.last
    }

    /// Feeds bytes read from the device; returns the outcome when these bytes completed it (once).
    @discardableResult
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Outcome? {
        guard outcome == nil else { return nil }
        var found: Outcome?
        decoder.decode(bytes) { output in
            guard found == nil, case .packet(let packet) = output else { return }
            switch packet {
            case .acknowledgement(let ack) where tokens.contains(ack.token):
                if ack.result != .ok { refused[ack.opcode] = ack.result }
                if ack.token == lastToken { lastAcknowledged = true }
            case .deviceInfo(let info) where lastAcknowledged:
                found = Outcome(deviceInfo: info, refused: refused)
            default:
                break
            }
        }
        if let found { outcome = found }
        return found
    }
}
