#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A pseudo-terminal pair standing in for a USB serial sensor: the emulator holds the master side,
/// the host opens `devicePath` (`/dev/pts/N`) with `SerialPort` exactly like real hardware.
///
/// The emulator also keeps the slave side open (raw, so nothing it writes is echoed or translated
/// before the host configures the line), so the pair survives the host closing and reopening it.
/// `close()` is the unplug: the host's reads then hang up (`POLLHUP`, `read` returns 0).
public final class PseudoTerminal: Sendable {
    /// The path a host opens, e.g. `/dev/pts/3`.
    public let devicePath: String
    private let master: Atomic<Int32>
    private let slave: Atomic<Int32>

    /// The master descriptor (the "device" side), for `poll`; -1 after `close()`.
    public var masterDescriptor: Int32 { master.load(ordering: .acquiring) }

    /// Creates a pair with both sides in raw mode; the master side is non-blocking.
    ///
    /// - Throws: `DeviceError.io` when the system has no pseudo-terminals left.
    public init() throws(DeviceError) {
        var masterFD: Int32 = -1
        var slaveFD: Int32 = -1
        var name = [CChar](repeating: 0, count: 128)
        guard openpty(&masterFD, &slaveFD, &name, nil, nil) == 0 else {
            throw DeviceError.io("/dev/ptmx", "create a pseudo-terminal with", .current)
        }
        devicePath = String(decoding: name.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        master = Atomic(masterFD)
        slave = Atomic(slaveFD)
        system_setCloseOnExec(masterFD)
        system_setCloseOnExec(slaveFD)
        for fd in [masterFD, slaveFD] {
            if case .success(var attributes) = system_tcgetattr(fd) {
                SerialPort.makeRaw(&attributes, baudRate: .b921600)
                _ = system_tcsetattr(fd, attributes)
            }
        }
        _ = system_setNonBlocking(masterFD)
    }

    deinit { close() }

    /// Writes all of `bytes` to the host, as the device sending them.
    ///
    /// - Throws: `.vanished` after `close()`, `.io` when the host has not read for so long that the
    ///   line stayed full past `timeoutMilliseconds`.
    public func write(_ bytes: UnsafeRawBufferPointer, timeoutMilliseconds: Int32 = 1000) throws(DeviceError) {
        if let failure = SerialPort.writeAll(masterDescriptor, bytes, path: devicePath, timeoutMilliseconds: timeoutMilliseconds) {
            throw failure
        }
    }

    /// Writes all of `bytes` to the host.
    public func write(_ bytes: [UInt8], timeoutMilliseconds: Int32 = 1000) throws(DeviceError) {
        let failure = bytes.withUnsafeBytes { raw in
            SerialPort.writeAll(masterDescriptor, raw, path: devicePath, timeoutMilliseconds: timeoutMilliseconds)
        }
        if let failure { throw failure }
    }

    /// Unplugs the emulated device: closes both sides; the host's reads hang up.
    public func close() {
        let slaveFD = slave.exchange(-1, ordering: .acquiringAndReleasing)
        if slaveFD >= 0 { system_close(slaveFD) }
        let masterFD = master.exchange(-1, ordering: .acquiringAndReleasing)
        if masterFD >= 0 { system_close(masterFD) }
    }
}
