import LumbarDevice
import LumbarIO
import LumbarProtocol

/// The tests' way to command one device without a session: the device session's own framing
/// (`CommandWriter`, increasing tokens), one command's frame or commands written to a port.
extension CommandWriter {
    /// The frame for `action`, with the next token.
    mutating func frame(_ action: HostCommand.Action) -> [UInt8] {
        frames([action]).bytes
    }

    /// Writes `actions` to `port` in one write; returns their tokens.
    @discardableResult
    mutating func send(_ actions: [HostCommand.Action], to port: SerialPort) throws(DeviceError) -> [UInt16] {
        let framed = frames(actions)
        try port.write(framed.bytes)
        return framed.tokens
    }
}
