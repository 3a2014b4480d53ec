import Glibc
import LumbarDevice
import LumbarIO
import LumbarProtocol
import Testing

/// Each port at its own line speed: a WitMotion behind a CH340 at 9600 next to a sensor at 921600 on
/// one session. The rate comes from `--device PATH@BAUD`, the config's `[baud]` (path, USB serial
/// number, USB id, family) or a named family's factory rate, and is set with termios on the real port.
@Suite("Sensor families: a line speed per port")
struct PortBaudRateTests {
    @Test func aPortsOwnRateComesFromItsPathThenSerialThenUSBIDThenFamily() {
        var configuration = DeviceSessionConfiguration(devices: ["/dev/ttyUSB0", "/dev/ttyUSB1", "/dev/rfcomm0"])
        configuration.families = ["/dev/ttyUSB1": .witMotion, "/dev/rfcomm0": .witMotion]
        configuration.baudRates = ["/dev/ttyusb0": 57600, "sn-1": 230400, "1a86:7523": 115200, "witmotion": 19200]
        let ch340 = DiscoveredPort(path: "/dev/ttyUSB0", serialNumber: "SN-1", usbID: "1a86:7523")
        #expect(configuration.baudRate(path: "/dev/ttyUSB0", discovered: ch340) == 57600)
        #expect(configuration.baudRate(path: "/dev/ttyUSB9", discovered: ch340) == 230400)
        let other = DiscoveredPort(path: "/dev/ttyUSB9", serialNumber: "SN-2", usbID: "1a86:7523")
        #expect(configuration.baudRate(path: "/dev/ttyUSB9", discovered: other) == 115200)
        #expect(configuration.baudRate(path: "/dev/rfcomm0", discovered: nil) == 19200)
        configuration.baudRates["witmotion"] = nil
        // A named WitMotion without a rate of its own: the factory 9600.
        #expect(configuration.baudRate(path: "/dev/rfcomm0", discovered: nil) == 9600)
        // Nothing named: the driver's default.
        #expect(configuration.baudRate(path: "/dev/ttyACM0", discovered: nil) == nil)
        #expect(SensorFamily.xIMU3.factoryBaudRate == nil)
    }

    @Test func theConfigFilesBaudSectionIsReadByKeyAndABadRateNamesFileLineAndKey() throws {
        let text = "[usb]\nbaud = 460800\n[baud]\n/dev/ttyUSB1 = 9600\nWitMotion = 115200\n"
        let configuration = try SensorConfiguration.parse(text, source: "lumbar.conf")
        #expect(configuration.baudRate.bitsPerSecond == 460800)
        #expect(configuration.baudRates.mapValues(\.bitsPerSecond) == ["/dev/ttyusb1": 9600, "witmotion": 115200])
        #expect {
            try SensorConfiguration.parse("[baud]\n/dev/ttyUSB1 = 9601\n", source: "lumbar.conf")
        } throws: { error in
            (error as? ConfigurationError)?.message
                == "lumbar.conf:2: '9601' is not a supported baud rate for '/dev/ttyUSB1' (e.g. 9600, 115200, 921600)."
        }
    }

    /// Three pseudo-terminals opened by the session's driver: a named WitMotion (no rate given: 9600),
    /// one with `[baud]` 115200 by path, one with nothing (the driver's 460800). The speeds are read
    /// back from the open ports with `tcgetattr`.
    @Test func theDriverOpensEachPortAtItsOwnRateReadBackFromTheLine() throws {
        let witMotion = try PseudoTerminal(), xIMU3 = try PseudoTerminal(), plain = try PseudoTerminal()
        var configuration = DeviceSessionConfiguration(devices: [witMotion.devicePath, xIMU3.devicePath, plain.devicePath])
        configuration.families = [witMotion.devicePath: .witMotion, xIMU3.devicePath: .xIMU3]
        configuration.baudRates = [xIMU3.devicePath.lowercased(): 115200]
        let driver = try DeviceSessionDriver(configuration, settings: .init(baudRate: BaudRate(460800)!), scan: { [] })
        driver.start(at: 0) { _, _ in }
        func speed(_ tag: Int) -> (input: speed_t, output: speed_t)? {
            guard let port = driver.ports.port(tag: tag) else { return nil }
            var attributes = termios()
            guard tcgetattr(port.fileDescriptor, &attributes) == 0 else { return nil }
            return (cfgetispeed(&attributes), cfgetospeed(&attributes))
        }
        #expect(speed(0)?.input == speed_t(B9600) && speed(0)?.output == speed_t(B9600))
        #expect(speed(1)?.input == speed_t(B115200) && speed(1)?.output == speed_t(B115200))
        #expect(speed(2)?.input == speed_t(B460800) && speed(2)?.output == speed_t(B460800))
        driver.shutdown { _, _ in }
    }
}
