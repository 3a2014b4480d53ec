import ArgumentParser
import LumbarDevice
import LumbarCore
import LumbarProtocol
import Testing

@testable import lumbar

/// `--device [PLACEMENT=]PATH[:FAMILY][@BAUD]` as typed: each part read, the rate reaching the device
/// session's configuration for that path, a rate no serial port can be set to refused in one line.
@Suite struct DeviceSpecTests {
    @Test func placementPathFamilyAndBaudAreEachRead() throws {
        let spec = try DeviceSpec("right_ankle=/dev/ttyUSB0:witmotion@115200")
        #expect(spec.placement == .rightAnkle && spec.path == "/dev/ttyUSB0" && spec.family == .witMotion && spec.baudRate == 115200)
        let bare = try DeviceSpec("/dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.0@9600")
        #expect(bare.path == "/dev/serial/by-path/pci-0000:00:14.0-usb-0:1:1.0" && bare.family == nil && bare.baudRate == 9600)
        // An '@' not followed by digits only stays in the path.
        #expect(try DeviceSpec("/tmp/a@b").path == "/tmp/a@b")
        var configuration = DeviceSessionConfiguration()
        configuration.use([spec, try DeviceSpec("/dev/ttyUSB1:witmotion")])
        #expect(configuration.baudRate(path: "/dev/ttyUSB0", discovered: nil) == 115200)
        #expect(configuration.baudRate(path: "/dev/ttyUSB1", discovered: nil) == 9600)
    }

    @Test func aRateNoSerialPortCanBeSetToIsRefusedNamingTheDevice() {
        #expect {
            try DeviceSpec("/dev/ttyUSB0:witmotion@9601")
        } throws: { error in
            "\(error)".contains("--device '/dev/ttyUSB0:witmotion@9601': 9601 is not a baud rate a serial port can be set to (9600, 19200,")
        }
        do {
            _ = try LiveCommand.parseAsRoot(["--device", "/dev/ttyUSB0@12"])
            Issue.record("live accepted a 12 bit/s port")
        } catch {
            #expect(LiveCommand.message(for: error).contains("12 is not a baud rate"))
        }
    }
}
