/// The device end of an emulated sensor's serial line: a pseudo-terminal master or a socket that QEMU
/// turns into a USB serial device.
public protocol SensorLine: AnyObject, Sendable {
    /// What the host opens or sees (`/dev/pts/3`, or the socket path).
    var devicePath: String { get }
    /// The descriptor the emulator reads commands from and writes frames to; -1 once closed.
    var lineDescriptor: Int32 { get }
    /// Ends the line: the host sees the device unplugged. Idempotent.
    func close()
    /// The line speed the host set on its side, bit/s; nil where the device cannot know it.
    var hostLineSpeed: Int? { get }
}

extension SensorLine {
    /// Writes what fits now and returns how many bytes went (0 when the line is closed or full).
    public func writeAvailable(_ bytes: UnsafeRawBufferPointer) -> Int {
        let fd = lineDescriptor
        guard fd >= 0, bytes.count > 0 else { return 0 }
        if case .success(let count) = system_write(fd, bytes) { return count }
        return 0
    }

    /// Reads what the host sent, without blocking; `.hangUp` when the host end is gone for good.
    public func readAvailable(into buffer: UnsafeMutableRawBufferPointer) -> SerialPort.ReadOutcome {
        let fd = lineDescriptor
        guard fd >= 0 else { return .hangUp }
        switch system_read(fd, buffer) {
        case .success(0): return .hangUp
        case .success(let count): return .bytes(count)
        case .failure(let error) where error.rawValue == EAGAIN || error.rawValue == EWOULDBLOCK: return .wouldBlock
        case .failure: return .hangUp
        }
    }
}

extension PseudoTerminal: SensorLine {
    public var lineDescriptor: Int32 { masterDescriptor }
    /// Linux keeps one set of line settings per pair: the master side reads the speed the host set.
    public var hostLineSpeed: Int? { SerialPort.lineSpeed(of: masterDescriptor) }
}

extension UnixSocketLink: SensorLine {
    public var devicePath: String { path }
    /// QEMU's USB-UART bridge does not pass the guest's line speed to the socket.
    public var hostLineSpeed: Int? { nil }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SerialPort: SensorLine {
    /// The path the port was opened with.
    public var devicePath: String { path }
    public var lineDescriptor: Int32 { fileDescriptor }
    public var hostLineSpeed: Int? { nil }
}
