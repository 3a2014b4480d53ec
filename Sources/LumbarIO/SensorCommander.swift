import LumbarProtocol

/// Sends host commands to a sensor with increasing tokens.
public struct SensorCommander: Sendable {
    private var nextToken: UInt16 = 1
    private var encoder = FrameEncoder()

    public init() {}

    /// The frame for `action`, with the next token.
    public mutating func frame(_ action: HostCommand.Action) -> [UInt8] {
        var bytes: [UInt8] = []
        encoder.encode(.command(HostCommand(token: nextToken, action: action)), into: &bytes)
        nextToken &+= 1
        if nextToken == 0 { nextToken = 1 }
        return bytes
    }

    /// Sends `actions` in one write.
    ///
    /// - Parameter leadingDelimiter: send a lone `0x00` first, as a host does before its first command
    ///   on a new connection (PROTOCOL.md 1.4), so a partial frame left in the device's receiver ends
    ///   there instead of corrupting the first command.
    /// - Returns: the tokens the commands carry, in order.
    /// - Throws: `DeviceError` when the port is gone.
    @discardableResult
    public mutating func send(
        _ actions: [HostCommand.Action], to port: SerialPort, leadingDelimiter: Bool = false
    ) throws(DeviceError) -> [UInt16] {
        var bytes: [UInt8] = leadingDelimiter ? [WireFormat.delimiter] : []
        var tokens: [UInt16] = []
        for action in actions {
            tokens.append(nextToken)
            bytes += frame(action)
        }
        try port.write(bytes)
        return tokens
    }
}
