/// A USB serial adapter that matched the configured vendor/product ids, with the tty node the kernel
/// gave it.
public struct USBSerialDevice: Sendable, Hashable {
    /// Vendor and product id.
    public var id: USBDeviceID
    /// USB bus number (1-based).
    public var busNumber: Int
    /// Address on the bus; changes at every replug.
    public var address: Int
    /// The kernel's name for the device (`1-1.2`: bus 1, port 1, hub port 2), nil when sysfs does not list it.
    public var sysfsName: String?
    /// The `iSerialNumber` string, nil when the device has none or it could not be read.
    public var serialNumber: String?
    /// The `iProduct` string.
    public var product: String?
    /// The `iManufacturer` string.
    public var manufacturer: String?
    /// Device nodes of its serial interfaces (`/dev/ttyUSB0`); empty while the driver is still binding.
    public var ttyPaths: [String]

    public init(
        id: USBDeviceID, busNumber: Int, address: Int, sysfsName: String?, serialNumber: String?, product: String?,
        manufacturer: String?, ttyPaths: [String]
    ) {
        self.id = id
        self.busNumber = busNumber
        self.address = address
        self.sysfsName = sysfsName
        self.serialNumber = serialNumber
        self.product = product
        self.manufacturer = manufacturer
        self.ttyPaths = ttyPaths
    }

    /// The node to open: the first serial interface's.
    public var port: String? { ttyPaths.first }
}
