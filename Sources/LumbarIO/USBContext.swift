import CLibUSB

/// A libusb session: enumerates USB serial adapters and reports hotplug.
///
/// ```swift
/// let usb = try USBContext()
/// for device in usb.serialDevices(matching: USBDeviceID.defaultSensorIDs) { print(device.port ?? "-") }
/// ```
/// A machine without a USB bus enumerates zero devices; that is not an error.
public final class USBContext: @unchecked Sendable {
    // @unchecked: libusb contexts are thread-safe (libusb's "Multi-threaded applications"); the
    // pointer itself never changes after init.
    let context: OpaquePointer

    /// Starts libusb.
    ///
    /// - Throws: `DeviceError.usb` when libusb cannot start (for instance without `/dev/bus/usb` access).
    public init() throws(DeviceError) {
        var created: OpaquePointer?
        let status = libusb_init(&created)
        guard status == 0, let created else {
            throw DeviceError(
                code: .usb, device: "USB",
                message: "Unable to start USB discovery: \(Self.errorName(status)). Pass the ports with --device instead.")
        }
        context = created
    }

    deinit { libusb_exit(context) }

    /// True when libusb can call back on plug and unplug (Linux with udev or netlink); otherwise the
    /// caller polls `serialDevices`.
    public var supportsHotplug: Bool {
        libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0
    }

    /// The attached devices whose vendor/product id is in `ids`, with their strings and tty nodes.
    ///
    /// Strings come from the device when libusb may open it, otherwise from sysfs (readable by all).
    public func serialDevices(matching ids: [USBDeviceID], sysfs: SysfsUSBTree = .system) -> [USBSerialDevice] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context, &list)
        guard count > 0, let list else { return [] }
        defer { libusb_free_device_list(list, 1) }
        var found: [USBSerialDevice] = []
        for index in 0..<Int(count) {
            guard let device = list[index] else { continue }
            var descriptor = libusb_device_descriptor()
            guard libusb_get_device_descriptor(device, &descriptor) == 0 else { continue }
            let id = USBDeviceID(vendor: descriptor.idVendor, product: descriptor.idProduct)
            guard ids.contains(id) else { continue }
            found.append(Self.describe(device, id: id, descriptor: descriptor, sysfs: sysfs))
        }
        return found.sorted { ($0.busNumber, $0.address) < ($1.busNumber, $1.address) }
    }

    private static func describe(
        _ device: OpaquePointer, id: USBDeviceID, descriptor: libusb_device_descriptor, sysfs: SysfsUSBTree
    ) -> USBSerialDevice {
        let bus = Int(libusb_get_bus_number(device))
        let address = Int(libusb_get_device_address(device))
        var ports = [UInt8](repeating: 0, count: 8)
        let depth = libusb_get_port_numbers(device, &ports, Int32(ports.count))
        let portNumbers = depth > 0 ? ports[..<Int(depth)].map(Int.init) : []
        let name = sysfs.deviceName(busNumber: bus, address: address, portNumbers: portNumbers)
        var strings: [String?] = [nil, nil, nil]
        var handle: OpaquePointer?
        if libusb_open(device, &handle) == 0, let handle {
            defer { libusb_close(handle) }
            let indices = [descriptor.iSerialNumber, descriptor.iProduct, descriptor.iManufacturer]
            for (slot, index) in indices.enumerated() where index != 0 {
                strings[slot] = readString(handle, index: index)
            }
        }
        if let name {
            strings[0] = strings[0] ?? sysfs.attribute("serial", of: name)
            strings[1] = strings[1] ?? sysfs.attribute("product", of: name)
            strings[2] = strings[2] ?? sysfs.attribute("manufacturer", of: name)
        }
        return USBSerialDevice(
            id: id, busNumber: bus, address: address, sysfsName: name, serialNumber: strings[0], product: strings[1],
            manufacturer: strings[2], ttyPaths: name.map { sysfs.ttyPaths(of: $0) } ?? [])
    }

    private static func readString(_ handle: OpaquePointer, index: UInt8) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = libusb_get_string_descriptor_ascii(handle, index, &buffer, Int32(buffer.count))
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<Int(length)], as: UTF8.self)
    }

    /// libusb's name for a status code (`LIBUSB_ERROR_ACCESS`, ...).
    static func errorName(_ status: Int32) -> String {
        String(cString: libusb_error_name(status))
    }
}
