import LumbarDevice
import LumbarProtocol

/// Sends host commands straight to a port with increasing tokens (the device session's `CommandWriter`
/// framing): for tests and tools that talk to one device without a session.
public struct SensorCommander: Sendable {
    private var writer = CommandWriter()

    public init() {}

    /// The frame for `action`, with the next token.
    public mutating func frame(_ action: HostCommand.Action) -> [UInt8] {
        writer.frames([action]).bytes
    }

    /// Sends `actions` in one write (a lone delimiter first with `leadingDelimiter`, PROTOCOL.md 1.4).
    ///
    /// - Returns: the tokens the commands carry, in order.
    /// - Throws: `DeviceError` when the port is gone.
    @discardableResult
    public mutating func send(
        _ actions: [HostCommand.Action], to port: SerialPort, leadingDelimiter: Bool = false
    ) throws(DeviceError) -> [UInt16] {
        let framed = writer.frames(actions, leadingDelimiter: leadingDelimiter)
        try port.write(framed.bytes)
        return framed.tokens
    }
}
