/// A USB vendor and product id pair, written `vvvv:pppp` in hex like `lsusb` does (`0403:6001`).
public struct USBDeviceID: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// `idVendor`.
    public var vendor: UInt16
    /// `idProduct`.
    public var product: UInt16

    public init(vendor: UInt16, product: UInt16) {
        self.vendor = vendor
        self.product = product
    }

    /// Parses `vvvv:pppp` (hex, case-insensitive); nil when malformed.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...4).contains(parts[0].count), (1...4).contains(parts[1].count),
            let vendor = UInt16(parts[0], radix: 16), let product = UInt16(parts[1], radix: 16)
        else { return nil }
        self.init(vendor: vendor, product: product)
    }

    public var description: String { Self.hex(vendor) + ":" + Self.hex(product) }

    public static func < (lhs: USBDeviceID, rhs: USBDeviceID) -> Bool {
        (lhs.vendor, lhs.product) < (rhs.vendor, rhs.product)
    }

    /// Four lowercase hex digits.
    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// The USB serial adapters Lumbar looks for when no ids are configured.
    ///
    /// | id | what |
    /// |---|---|
    /// | `0403:6001` | FTDI FT232R USB-UART (also QEMU's `usb-serial`) |
    /// | `0403:6015` | FTDI FT-X series USB-UART |
    /// | `10c4:ea60` | Silicon Labs CP210x USB-UART |
    /// | `1a86:7523` | WCH CH340 USB-UART |
    /// | `2e8a:000a` | Raspberry Pi RP2040 USB CDC-ACM (Pico SDK stdio) |
    /// | `0525:a4a7` | Linux USB gadget serial in CDC-ACM mode (`g_serial use_acm=1`) |
    /// | `1209:4c42` | Lumbar sensor firmware, CDC-ACM (pid.codes vendor; "LB") |
    ///
    /// These are general-purpose adapters: a match is only a candidate until it answers with a
    /// device-info packet.
    public static let defaultSensorIDs: [USBDeviceID] = [
        USBDeviceID(vendor: 0x0403, product: 0x6001), USBDeviceID(vendor: 0x0403, product: 0x6015),
        USBDeviceID(vendor: 0x10c4, product: 0xea60), USBDeviceID(vendor: 0x1a86, product: 0x7523),
        USBDeviceID(vendor: 0x2e8a, product: 0x000a), USBDeviceID(vendor: 0x0525, product: 0xa4a7),
        USBDeviceID(vendor: 0x1209, product: 0x4c42),
    ]
}
