import LumbarCore
import LumbarDevice
import Testing

@testable import LumbarIO

@Suite("Sensor config file")
struct SensorConfigurationTests {
    @Test func readsIdsBaudAndPlacementOverrides() throws {
        let text = """
            # sensors of the clinic's kit
            [usb]
            ids = 0403:6001, 0525:a4a7   # FTDI and gadget serial
            baud = 115200

            [placement]
            SENSOR-A1 = lumbar
            00C0FFEE00000002 = left_ankle
            """
        let configuration = try SensorConfiguration.parse(text, source: "lumbar.conf")
        #expect(configuration.usbIDs == [USBDeviceID(vendor: 0x0403, product: 0x6001), USBDeviceID(vendor: 0x0525, product: 0xa4a7)])
        #expect(configuration.baudRate == .b115200)
        #expect(DeviceSessionConfiguration(placements: configuration.placements).placement(serialNumber: "SENSOR-A1", deviceID: nil, reported: .unassigned) == .lumbar)
        #expect(DeviceSessionConfiguration(placements: configuration.placements).placement(serialNumber: nil, deviceID: "00c0ffee00000002", reported: .rightAnkle) == .leftAnkle)
        #expect(DeviceSessionConfiguration(placements: configuration.placements).placement(serialNumber: "OTHER", deviceID: "0000000000000001", reported: .rightAnkle) == .rightAnkle)
    }

    @Test func anEmptyFileKeepsTheDefaults() throws {
        #expect(try SensorConfiguration.parse("\n# nothing\n", source: "x") == .default)
    }

    @Test(arguments: [
        ("[placement]\nA1 = leftankle", "c.conf:2: unknown placement 'leftankle' (expected lumbar, left_ankle, right_ankle, unassigned)."),
        ("[usb]\nids = 0403:6001, nope", "c.conf:2: 'nope' is not a USB id (expected vvvv:pppp in hex, e.g. 0403:6001)."),
        ("[usb]\nbaud = 12345", "c.conf:2: '12345' is not a supported baud rate (e.g. 115200, 921600)."),
        ("[usb]\nspeed = 1", "c.conf:2: unknown key 'speed' in [usb] (expected ids or baud)."),
        ("A1 = lumbar", "c.conf:1: 'A1' is outside a section (expected [usb] or [placement] first)."),
        ("[sensors]", "c.conf:1: unknown section '[sensors]' (expected [usb], [baud], [placement], [sound] or [database])."),
        ("[usb]\njunk", "c.conf:2: expected 'key = value', got 'junk'."),
    ])
    func badLinesAreNamedWithFileAndLine(text: String, message: String) {
        #expect(throws: ConfigurationError(message: message)) { try SensorConfiguration.parse(text, source: "c.conf") }
    }

    @Test func aMissingFileIsNamed() {
        #expect(throws: ConfigurationError(message: "Unable to read config file '/nonexistent/lumbar.conf'.")) {
            try SensorConfiguration.load(path: "/nonexistent/lumbar.conf")
        }
    }
}
