import Glibc
import Testing

@testable import LumbarIO

/// A throwaway directory shaped like `/sys/bus/usb/devices`, removed at the end.
final class FakeSysfs {
    let root: String

    init() {
        var template = Array("/tmp/lumbar-sysfs-XXXXXX".utf8CString)
        root = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    deinit { _ = system("rm -rf '\(root)'") }

    /// A USB device directory with its attributes.
    func addDevice(_ name: String, bus: Int, address: Int, attributes: [String: String] = [:]) {
        mkdirs(name)
        write("\(name)/busnum", "\(bus)\n")
        write("\(name)/devnum", "\(address)\n")
        for (key, value) in attributes { write("\(name)/\(key)", value + "\n") }
    }

    func mkdirs(_ relative: String) { _ = system("mkdir -p '\(root)/\(relative)'") }

    func write(_ relative: String, _ text: String) {
        let file = fopen(root + "/" + relative, "w")!
        fputs(text, file)
        fclose(file)
    }

    var tree: SysfsUSBTree { SysfsUSBTree(devicesDirectory: root, deviceNodeDirectory: "/dev") }
}

@Suite("Mapping USB devices to tty nodes through sysfs")
struct SysfsUSBTreeTests {
    @Test func findsTheNodeOfAUsbSerialDriverInterface() {
        // ftdi_sio: /sys/bus/usb/devices/1-1:1.0/ttyUSB0/ (and its tty/ttyUSB0 class entry inside).
        let sysfs = FakeSysfs()
        sysfs.addDevice("1-1", bus: 1, address: 2, attributes: ["serial": "SENSOR-A1", "product": "FT232R USB UART"])
        sysfs.mkdirs("1-1:1.0/ttyUSB0/tty/ttyUSB0")
        #expect(sysfs.tree.ttyPaths(of: "1-1") == ["/dev/ttyUSB0"])
        #expect(sysfs.tree.attribute("serial", of: "1-1") == "SENSOR-A1")
    }

    @Test func findsTheNodeOfACdcAcmInterfaceBehindAHub() {
        // cdc_acm: the node sits in the interface's tty class directory; data interface has none.
        let sysfs = FakeSysfs()
        sysfs.addDevice("usb3", bus: 3, address: 1)
        sysfs.addDevice("3-2", bus: 3, address: 4)
        sysfs.addDevice("3-2.4", bus: 3, address: 7)
        sysfs.mkdirs("3-2.4:1.0/tty/ttyACM1")
        sysfs.mkdirs("3-2.4:1.1")
        sysfs.mkdirs("3-2:1.0")
        #expect(sysfs.tree.deviceName(busNumber: 3, address: 7, portNumbers: [2, 4]) == "3-2.4")
        #expect(sysfs.tree.ttyPaths(of: "3-2.4") == ["/dev/ttyACM1"])
        #expect(sysfs.tree.ttyPaths(of: "3-2") == [])
        #expect(sysfs.tree.deviceNames() == ["3-2", "3-2.4"])
    }

    @Test func findsTheDeviceByBusAndAddressWhenThePortPathIsUnknown() {
        let sysfs = FakeSysfs()
        sysfs.addDevice("1-1", bus: 1, address: 2)
        sysfs.addDevice("1-2", bus: 1, address: 5)
        #expect(sysfs.tree.deviceName(busNumber: 1, address: 5, portNumbers: []) == "1-2")
        // A stale port path (device replugged elsewhere) falls back to the scan.
        #expect(sysfs.tree.deviceName(busNumber: 1, address: 5, portNumbers: [1]) == "1-2")
        #expect(sysfs.tree.deviceName(busNumber: 2, address: 5, portNumbers: []) == nil)
    }

    @Test func ignoresNodesThatAreNotSerialPorts() {
        let sysfs = FakeSysfs()
        sysfs.addDevice("1-4", bus: 1, address: 9)
        sysfs.mkdirs("1-4:1.0/tty/ttyS0")
        sysfs.mkdirs("1-4:1.0/ttyUSBx")
        sysfs.mkdirs("1-4:1.0/hidraw/hidraw0")
        sysfs.mkdirs("1-4:1.2/ttyUSB3")
        #expect(sysfs.tree.ttyNames(of: "1-4") == ["ttyUSB3"])
    }

    @Test func aMissingTreeListsNothing() {
        let tree = SysfsUSBTree(devicesDirectory: "/nonexistent/sys/bus/usb/devices")
        #expect(tree.deviceNames().isEmpty)
        #expect(tree.ttyPaths(of: "1-1").isEmpty)
        #expect(tree.deviceName(busNumber: 1, address: 1, portNumbers: [1]) == nil)
    }
}

@Suite("USB discovery through libusb")
struct USBDiscoveryTests {
    @Test func enumerationOnlyReturnsDevicesWithTheWatchedIDs() throws {
        // On a machine without a USB bus this enumerates nothing, which must be clean.
        let usb = try USBContext()
        let devices = usb.serialDevices(matching: USBDeviceID.defaultSensorIDs)
        #expect(devices.allSatisfy { USBDeviceID.defaultSensorIDs.contains($0.id) })
        #expect(usb.serialDevices(matching: []).isEmpty)
    }

    @Test func hotplugRegistersWhenLibusbSupportsIt() throws {
        let usb = try USBContext()
        let monitor = USBHotplugMonitor(usb: usb, ids: USBDeviceID.defaultSensorIDs) { _ in }
        #expect((monitor != nil) == usb.supportsHotplug)
        monitor?.stop()
        monitor?.stop()
    }

    @Test(arguments: [
        ("0403:6001", USBDeviceID(vendor: 0x0403, product: 0x6001)),
        ("0525:A4A7", USBDeviceID(vendor: 0x0525, product: 0xa4a7)),
        ("1:2", USBDeviceID(vendor: 1, product: 2)),
    ])
    func parsesVendorProductPairs(text: String, expected: USBDeviceID) {
        #expect(USBDeviceID(text) == expected)
    }

    @Test(arguments: ["0403", "0403:", ":6001", "0403:60012", "xyz:0001", "0403:6001:1"])
    func rejectsMalformedIDs(text: String) {
        #expect(USBDeviceID(text) == nil)
    }

    @Test func printsIDsLikeLsusb() {
        #expect(USBDeviceID(vendor: 0x403, product: 0x6001).description == "0403:6001")
    }
}
