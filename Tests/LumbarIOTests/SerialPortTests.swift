import Glibc
import LumbarCore
import Testing

@testable import LumbarIO

@Suite("Serial port over a real pseudo-terminal")
struct SerialPortTests {
    /// Every byte value, so CR/LF translation, XON/XOFF, signals (0x03) or echo would show.
    static let allBytes: [UInt8] = Array(0...255)

    @Test func passesEveryByteUnchangedFromDeviceToHost() throws {
        let device = try PseudoTerminal()
        let port = try SerialPort(path: device.devicePath)
        try device.write(Self.allBytes)
        let received = try readExactly(Self.allBytes.count, from: port)
        #expect(received == Self.allBytes)
    }

    @Test func passesEveryByteUnchangedFromHostToDeviceWithoutEcho() throws {
        let device = try PseudoTerminal()
        let port = try SerialPort(path: device.devicePath)
        try port.write(Self.allBytes)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while received.count < Self.allBytes.count {
            var entry = pollfd(fd: device.masterDescriptor, events: Int16(POLLIN), revents: 0)
            #expect(poll(&entry, 1, 5000) == 1)
            if case .bytes(let count) = buffer.withUnsafeMutableBytes({ device.readAvailable(into: $0) }) {
                received += buffer[..<count]
            }
        }
        #expect(received == Self.allBytes)
        // No echo: nothing came back to the host.
        var echo = [UInt8](repeating: 0, count: 16)
        #expect(try echo.withUnsafeMutableBytes { try port.read(into: $0) } == .wouldBlock)
    }

    @Test func reportsHangUpWhenTheDeviceSideCloses() throws {
        let device = try PseudoTerminal()
        let port = try SerialPort(path: device.devicePath)
        device.close()
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try buffer.withUnsafeMutableBytes { try port.read(into: $0) } == .hangUp)
    }

    @Test func missingDeviceSaysSoAndNamesThePath() {
        #expect {
            try SerialPort(path: "/dev/ttyACM-lumbar-missing")
        } throws: { error in
            let error = error as! DeviceError
            return error.code == .notFound
                && error.description == "Unable to open '/dev/ttyACM-lumbar-missing': no such device. Is the sensor plugged in?"
        }
    }

    @Test func fileThatIsNotATerminalIsRefused() {
        #expect {
            try SerialPort(path: "/dev/null")
        } throws: { error in
            (error as! DeviceError).description == "Unable to use '/dev/null': it is not a serial port (not a terminal device)."
        }
    }

    @Test func permissionDeniedAdvisesTheDialoutGroup() {
        let error = DeviceError.openFailed("/dev/ttyACM0", Errno(EACCES))
        #expect(error.code == .permissionDenied)
        #expect(error.description == "Unable to open '/dev/ttyACM0': permission denied. Add the user to the 'dialout' group.")
    }

    @Test func unknownBaudRateIsRejectedAndKnownOnesMap() {
        #expect(BaudRate(123_456) == nil)
        #expect(BaudRate(115_200)?.speed == speed_t(B115200))
        #expect(BaudRate.b921600.speed == speed_t(B921600))
    }

    @Test func setsTheRequestedBaudRateOnTheLine() throws {
        let device = try PseudoTerminal()
        let port = try SerialPort(path: device.devicePath, settings: .init(baudRate: .b115200))
        var attributes = termios()
        #expect(tcgetattr(port.fileDescriptor, &attributes) == 0)
        #expect(cfgetispeed(&attributes) == speed_t(B115200))
        #expect(attributes.c_lflag & tcflag_t(ECHO | ICANON | ISIG) == 0)
    }
}

/// Reads `count` bytes, polling at most 5 s per wait.
func readExactly(_ count: Int, from port: SerialPort) throws -> [UInt8] {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while received.count < count {
        var entry = pollfd(fd: port.fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 5000) == 1 else { break }
        switch try buffer.withUnsafeMutableBytes({ try port.read(into: $0) }) {
        case .bytes(let n): received += buffer[..<n]
        case .wouldBlock: continue
        case .hangUp: return received
        }
    }
    return received
}
