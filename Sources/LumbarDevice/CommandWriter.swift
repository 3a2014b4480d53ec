import LumbarProtocol

/// Frames host commands for one port with increasing tokens (1, 2, ... wrapping past 0), the
/// device session's only way to talk to a device.
public struct CommandWriter: Sendable {
    private var nextToken: UInt16 = 1

    public init() {}
    private var encoder = FrameEncoder()

    /// The bytes of `actions` in one write, and the tokens they carry, in order.
    ///
    /// - Parameter leadingDelimiter: a lone `0x00` first, as a host sends before its first command on
    ///   a new connection (PROTOCOL.md 1.4): a partial frame left in the device's receiver ends there
    ///   instead of swallowing the first command.
    public mutating func frames(_ actions: [HostCommand.Action], leadingDelimiter: Bool = false) -> (bytes: [UInt8], tokens: [UInt16]) {
        var bytes: [UInt8] = leadingDelimiter ? [WireFormat.delimiter] : []
        var tokens: [UInt16] = []
        for action in actions {
            tokens.append(nextToken)
            encoder.encode(.command(HostCommand(token: nextToken, action: action)), into: &bytes)
            nextToken &+= 1
            if nextToken == 0 { nextToken = 1 }
        }
        return (bytes, tokens)
    }
}
