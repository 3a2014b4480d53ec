import ArgumentParser
import LumbarIO

/// How `live` and `devices` find the sensors over USB: the config file, `--usb-id`, `--no-ping` and (hidden,
/// for tests) the sysfs tree. Declared once here so both commands take the same options with the same help.
struct DiscoveryOptions: ParsableArguments {
    @Option(help: "The config file (USB ids, baud rate, placement overrides).")
    var config: String?

    @Option(
        name: .customLong("usb-id"), help: "A vendor:product id to look for, e.g. 0403:6001 (repeatable; replaces the config's).",
        transform: USBDeviceID.parse)
    var usbIDs: [USBDeviceID] = []

    @OptionGroup var ping: PingOption

    @Option(help: .hidden)
    var sysfs: String = SysfsUSBTree.system.devicesDirectory

    /// The config file (or the defaults without one), its USB ids replaced by `--usb-id` when given.
    /// - Throws: `ValidationError` naming the file and what is wrong with it.
    func configuration() throws -> SensorConfiguration {
        var configuration = SensorConfiguration.default
        if let config {
            do { configuration = try SensorConfiguration.load(path: config) } catch { throw ValidationError(error.description) }
        }
        if !usbIDs.isEmpty { configuration.usbIDs = usbIDs }
        return configuration
    }

    /// The sysfs tree that maps USB devices to their tty nodes.
    var sysfsTree: SysfsUSBTree { SysfsUSBTree(devicesDirectory: sysfs) }
}
