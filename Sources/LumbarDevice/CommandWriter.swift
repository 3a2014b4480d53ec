import LumbarProtocol

/// Frames host commands for one port with increasing tokens (1, 2, ... wrapping past 0), the
/// device session's only way to talk to a device.
///
/// The handshake also goes to ports whose family is not known yet (a WitMotion or an x-IMU3 found by
/// its USB-UART ids, a `--device PATH` without `:FAMILY`). A token whose frame would carry the start
/// of another family's command (WitMotion's `0xFF 0xAA` register write, x-IMU3's JSON `{"`) is
/// skipped, so no frame Lumbar sends can reconfigure such a device (`SensorFamilyPortTests` checks
/// every token).
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
            let start = bytes.count
            while true {
                encoder.encode(.command(HostCommand(token: nextToken, action: action)), into: &bytes)
                let token = nextToken
                nextToken &+= 1
                if nextToken == 0 { nextToken = 1 }
                if !Self.holdsForeignCommand(bytes[start...]) {
                    tokens.append(token)
                    break
                }
                bytes.removeSubrange(start...)
            }
        }
        return (bytes, tokens)
    }

    /// True when `frame` holds WitMotion's command prefix `0xFF 0xAA` or x-IMU3's `{"`.
    static func holdsForeignCommand(_ frame: ArraySlice<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for byte in frame {
            if previous == 0xFF && byte == 0xAA || previous == UInt8(ascii: "{") && byte == UInt8(ascii: "\"") { return true }
            previous = byte
        }
        return false
    }
}
