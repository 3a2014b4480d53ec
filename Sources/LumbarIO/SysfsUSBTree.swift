/// The kernel's view of USB devices under `/sys/bus/usb/devices`, used to find the tty node
/// (`/dev/ttyUSB0`, `/dev/ttyACM0`) that belongs to a USB device libusb enumerated.
///
/// The layout it reads (the same for real hardware and the QEMU guest's emulated devices):
/// ```
/// /sys/bus/usb/devices/1-1/            the device: busnum, devnum, idVendor, idProduct, serial, product
/// /sys/bus/usb/devices/1-1:1.0/        its interface 0 in configuration 1
///     ttyUSB0/                         usb-serial drivers (ftdi_sio, cp210x, ch341): a child named after the node
///     tty/ttyACM0/                     cdc_acm: a `tty` class directory holding the node's name
/// ```
/// Device names are `<bus>-<port>[.<port>...]`; root hubs are `usb<bus>`. Tests pass a directory that
/// mimics this tree.
public struct SysfsUSBTree: Sendable, Hashable {
    /// The directory listing the USB devices, normally `/sys/bus/usb/devices`.
    public var devicesDirectory: String
    /// The directory holding the device nodes, normally `/dev`.
    public var deviceNodeDirectory: String

    public init(devicesDirectory: String = "/sys/bus/usb/devices", deviceNodeDirectory: String = "/dev") {
        self.devicesDirectory = devicesDirectory
        self.deviceNodeDirectory = deviceNodeDirectory
    }

    /// The system's tree.
    public static let system = SysfsUSBTree()

    /// The sysfs name (`1-1.2`) of the device with this bus number and address, or nil when the kernel
    /// does not list it (yet). Tries the name from libusb's port path first, then scans.
    public func deviceName(busNumber: Int, address: Int, portNumbers: [Int]) -> String? {
        if !portNumbers.isEmpty {
            let name = "\(busNumber)-" + portNumbers.map(String.init).joined(separator: ".")
            if matches(name, busNumber: busNumber, address: address) { return name }
        }
        return FileSystem.entries(of: devicesDirectory).first { name in
            !name.contains(":") && matches(name, busNumber: busNumber, address: address)
        }
    }

    private func matches(_ name: String, busNumber: Int, address: Int) -> Bool {
        attribute("busnum", of: name).flatMap { Int($0) } == busNumber
            && attribute("devnum", of: name).flatMap { Int($0) } == address
    }

    /// A device attribute (`serial`, `product`, `manufacturer`, `idVendor`, ...), or nil when absent.
    public func attribute(_ attribute: String, of deviceName: String) -> String? {
        FileSystem.attribute(devicesDirectory + "/" + deviceName + "/" + attribute)
    }

    /// The tty node names (`ttyUSB0`, `ttyACM0`) of the device's interfaces, in interface order.
    public func ttyNames(of deviceName: String) -> [String] {
        var names: [String] = []
        for interface in FileSystem.entries(of: devicesDirectory) where interface.hasPrefix(deviceName + ":") {
            let directory = devicesDirectory + "/" + interface
            for entry in FileSystem.entries(of: directory) where Self.isSerialNode(entry) {
                names.append(entry)
            }
            for entry in FileSystem.entries(of: directory + "/tty") where Self.isSerialNode(entry) {
                names.append(entry)
            }
        }
        return names
    }

    /// The device node paths (`/dev/ttyUSB0`) of the device's interfaces.
    public func ttyPaths(of deviceName: String) -> [String] {
        ttyNames(of: deviceName).map { deviceNodeDirectory + "/" + $0 }
    }

    /// The names of every USB device (not interface, not root hub) the kernel lists.
    public func deviceNames() -> [String] {
        FileSystem.entries(of: devicesDirectory).filter { !$0.contains(":") && !$0.hasPrefix("usb") }
    }

    /// The attached devices whose ids are in `ids`, from sysfs alone (when libusb cannot start): ids,
    /// strings and tty nodes from the attribute files.
    public func serialDevices(matching ids: [USBDeviceID]) -> [USBSerialDevice] {
        deviceNames().compactMap { name in
            guard let vendor = attribute("idVendor", of: name).flatMap({ UInt16($0, radix: 16) }),
                let product = attribute("idProduct", of: name).flatMap({ UInt16($0, radix: 16) })
            else { return nil }
            let id = USBDeviceID(vendor: vendor, product: product)
            guard ids.contains(id) else { return nil }
            return USBSerialDevice(
                id: id, busNumber: attribute("busnum", of: name).flatMap { Int($0) } ?? 0,
                address: attribute("devnum", of: name).flatMap { Int($0) } ?? 0, sysfsName: name,
                serialNumber: attribute("serial", of: name), product: attribute("product", of: name),
                manufacturer: attribute("manufacturer", of: name), ttyPaths: ttyPaths(of: name))
        }
    }

    /// `ttyUSB<n>` and `ttyACM<n>`: the nodes of usb-serial and cdc_acm.
    static func isSerialNode(_ name: String) -> Bool {
        for prefix in ["ttyUSB", "ttyACM"] where name.hasPrefix(prefix) {
            let number = name.dropFirst(prefix.count)
            return !number.isEmpty && number.allSatisfy(\.isNumber)
        }
        return false
    }
}
