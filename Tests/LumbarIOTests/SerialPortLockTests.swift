import Glibc
import Testing

@testable import LumbarIO

/// Two programs on one port (issue 14, item 8): as root `TIOCEXCL` lets a second open through, so on
/// main before the advisory lock the second open of a pseudo-terminal succeeded, took half the bytes and
/// set its own line settings. These fail there and pass with `flock` in `SerialPort.init`.
@Suite("Serial port advisory lock over a real pseudo-terminal")
struct SerialPortLockTests {
    @Test func aSecondOpenOfAPortInUseIsRefusedNamingTheDeviceAndThePidHoldingIt() throws {
        let device = try PseudoTerminal()
        let first = try SerialPort(path: device.devicePath)
        defer { first.close() }
        #expect {
            try SerialPort(path: device.devicePath)
        } throws: { error in
            let error = error as! DeviceError
            let comm = DeviceLockHolder.holder(ofPath: device.devicePath)?.name ?? "?"
            return error.code == .busy && error.device == device.devicePath
                && error.description == "Unable to open '\(device.devicePath)': the port is in use by another program "
                    + "(pid \(getpid()), \(comm)), which holds its lock."
        }
    }

    @Test func aRefusedOpenLeavesTheHoldersLineSettingsAlone() throws {
        let device = try PseudoTerminal()
        let first = try SerialPort(path: device.devicePath, settings: .init(baudRate: .b115200))
        defer { first.close() }
        #expect(throws: DeviceError.self) { try SerialPort(path: device.devicePath, settings: .init(baudRate: .b921600)) }
        var attributes = termios()
        #expect(tcgetattr(first.fileDescriptor, &attributes) == 0)
        #expect(cfgetispeed(&attributes) == speed_t(B115200))
    }

    @Test func theLockGoesWithTheFirstPortSoTheNextOpenSucceeds() throws {
        let device = try PseudoTerminal()
        let first = try SerialPort(path: device.devicePath)
        first.close()
        let second = try SerialPort(path: device.devicePath)
        #expect(second.fileDescriptor >= 0)
        second.close()
    }

    @Test func aNonExclusiveOpenTakesNoLock() throws {
        let device = try PseudoTerminal()
        let watcher = try SerialPort(path: device.devicePath, settings: .init(exclusive: false))
        defer { watcher.close() }
        let owner = try SerialPort(path: device.devicePath)
        owner.close()
    }

    @Test func findsTheHoldersPidInProcLocksByDeviceAndInode() {
        // st_dev of devpts 0:25 (0x19) → "00:19"; a waiting lock ("->") and other nodes are skipped.
        let text = """
            1: POSIX  ADVISORY  WRITE 700 fe:00:5376102 1073741824 1073742335
            2: FLOCK  ADVISORY  WRITE 4242 00:19:5 0 EOF
            2: -> FLOCK  ADVISORY  WRITE 4343 00:19:5 0 EOF
            3: FLOCK  ADVISORY  WRITE 99 00:19:6 0 EOF
            """
        #expect(DeviceLockHolder.pid(inProcLocks: text, device: 0x19, inode: 5) == 4242)
        #expect(DeviceLockHolder.pid(inProcLocks: text, device: 0x19, inode: 7) == nil)
        #expect(DeviceLockHolder.pid(inProcLocks: text, device: 0xfe00, inode: 5376102) == nil, "a POSIX lock is not the port's")
        // A large major/minor (bits above 32) decodes as glibc's gnu_dev_major/minor do.
        #expect(DeviceLockHolder.major(0x0000_1000_0000_0100) == 0x1001)
        #expect(DeviceLockHolder.minor(0x0000_0000_1230_0045) == 0x12345)
    }
}
