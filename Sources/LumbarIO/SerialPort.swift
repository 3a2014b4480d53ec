#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An open serial port (`/dev/ttyACM*`, `/dev/ttyUSB*`, `/dev/serial/by-id/...`, or a pseudo-terminal)
/// in raw mode: no echo, no line discipline, 8N1, non-blocking, optionally exclusive.
///
/// ```swift
/// let port = try SerialPort(path: "/dev/ttyACM0", settings: .init(baudRate: .b921600))
/// var buffer = [UInt8](repeating: 0, count: 4096)
/// switch try buffer.withUnsafeMutableBytes({ try port.read(into: $0) }) { ... }
/// ```
///
/// Reads and writes may happen on different threads at once; `close()` must come after the last read.
public final class SerialPort: Sendable {
    /// How the port is opened.
    ///
    /// | name | unit | default | meaning |
    /// |---|---|---|---|
    /// | `baudRate` | bit/s | 921600 | line speed; ignored by CDC-ACM and pseudo-terminals |
    /// | `exclusive` | — | true | an advisory `flock` on the port, then `TIOCEXCL`: a second open fails with "in use" |
    ///
    /// Why both: `TIOCEXCL` does not stop root (`CAP_SYS_ADMIN` passes it), so two daemons run as root
    /// would share the port, each taking half the bytes, and one's stop command would silence the
    /// other's sensors. The `flock` on the opened descriptor stops every process that asks for it, root
    /// included, is released by the kernel when the process dies (no stale lock to clean up, unlike a
    /// `/var/lock/LCK..ttyUSB0` file), needs no writable lock directory (the systemd unit's
    /// `ProtectSystem=strict` leaves none), and covers every name of the node (`/dev/serial/by-id/…`,
    /// `/dev/lumbar/…` links) because it locks the node, not a name. It is advisory: it keeps out
    /// programs that lock too (another `lumbar`, picocom); `TIOCEXCL` still keeps out the others that
    /// are not root.
    public struct Settings: Sendable, Hashable {
        public var baudRate: BaudRate
        public var exclusive: Bool

        public init(baudRate: BaudRate = .b921600, exclusive: Bool = true) {
            self.baudRate = baudRate
            self.exclusive = exclusive
        }

        /// 921600 bit/s, exclusive.
        public static let `default` = Settings()
    }

    /// What one `read(into:)` got.
    public enum ReadOutcome: Sendable, Hashable {
        /// This many bytes (> 0) were read.
        case bytes(Int)
        /// Nothing is there now; `poll` before reading again.
        case wouldBlock
        /// The other end hung up: the device was unplugged or the pseudo-terminal master closed.
        case hangUp
    }

    /// The path the port was opened with.
    public let path: String
    /// The open descriptor; -1 after `close()`.
    private let descriptor: Atomic<Int32>

    /// The descriptor, for `poll`; -1 after `close()`.
    public var fileDescriptor: Int32 { descriptor.load(ordering: .acquiring) }

    /// Opens `path` and puts the line into raw mode.
    ///
    /// - Throws: `DeviceError` naming the path: `.permissionDenied` (with the 'dialout' advice), `.notFound`,
    ///   `.busy` (held exclusively or locked elsewhere, with the holder's pid when known), `.notATerminal`, `.io`.
    public init(path: String, settings: Settings = .default) throws(DeviceError) {
        self.path = path
        let fd: Int32
        switch system_open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) {
        case .success(let opened): fd = opened
        case .failure(let error) where error.rawValue == EBUSY:
            // Another open set TIOCEXCL; when it also holds the lock, say who it is.
            throw DeviceLockHolder.holder(ofPath: path).map { DeviceError.locked(path, by: $0) }
                ?? DeviceError.openFailed(path, error)
        case .failure(let error): throw DeviceError.openFailed(path, error)
        }
        descriptor = Atomic(fd)
        do throws(DeviceError) {
            // Locked before anything is changed: a refused open must not touch the line settings the
            // holder chose.
            if settings.exclusive { try Self.lock(fd, path: path) }
            try Self.configure(fd, path: path, settings: settings)
        } catch {
            system_close(fd)
            descriptor.store(-1, ordering: .releasing)
            throw error
        }
    }

    /// Takes the port's advisory lock (`flock(LOCK_EX | LOCK_NB)`, see `Settings.exclusive`).
    ///
    /// - Throws: `.busy` naming the holder's pid and command when another open holds the lock.
    static func lock(_ fd: Int32, path: String) throws(DeviceError) {
        switch system_lockExclusive(fd) {
        case .success: return
        case .failure(let error) where error.rawValue == EWOULDBLOCK:
            throw DeviceError.locked(path, by: DeviceLockHolder.holder(of: fd))
        case .failure(let error): throw DeviceError.io(path, "lock", error)
        }
    }

    /// Raw mode (`cfmakeraw`), receiver on, modem lines ignored, `VMIN` 1 / `VTIME` 0, the baud rate,
    /// and `TIOCEXCL` when asked.
    static func configure(_ fd: Int32, path: String, settings: Settings) throws(DeviceError) {
        guard isatty(fd) == 1 else {
            throw DeviceError(
                code: .notATerminal, device: path,
                message: "Unable to use '\(path)': it is not a serial port (not a terminal device).")
        }
        var attributes: termios
        switch system_tcgetattr(fd) {
        case .success(let current): attributes = current
        case .failure(let error): throw DeviceError.io(path, "read the line settings of", error)
        }
        makeRaw(&attributes, baudRate: settings.baudRate)
        if case .failure(let error) = system_tcsetattr(fd, attributes) {
            throw DeviceError.io(path, "set raw mode on", error)
        }
        if settings.exclusive, case .failure(let error) = system_setExclusive(fd) {
            throw DeviceError.io(path, "get exclusive access to", error)
        }
    }

    /// Sets the open line's speed once what was written has left (`tcdrain`: at 9600 baud a WitMotion
    /// command takes milliseconds), then drops what was received and not read yet (`tcflush`): those
    /// bytes were sent at the old speed.
    public func setLineSpeed(_ rate: BaudRate) throws(DeviceError) {
        let fd = fileDescriptor
        _ = retryingOnInterrupt { tcdrain(fd) }
        var attributes: termios
        switch system_tcgetattr(fd) {
        case .success(let current): attributes = current
        case .failure(let error): throw DeviceError.io(path, "read the line settings of", error)
        }
        cfsetispeed(&attributes, rate.speed)
        cfsetospeed(&attributes, rate.speed)
        if case .failure(let error) = system_tcsetattr(fd, attributes) {
            throw DeviceError.io(path, "set the line speed of", error)
        }
        _ = tcflush(fd, TCIFLUSH)
    }

    /// The line speed set on `fd`, bit/s (on a pseudo-terminal's master side: the speed the host set on
    /// its side, which Linux keeps with the pair); nil when it is none termios names here.
    public static func lineSpeed(of fd: Int32) -> Int? {
        guard fd >= 0, case .success(var attributes) = system_tcgetattr(fd) else { return nil }
        let speed = cfgetospeed(&attributes)
        return BaudRate.known.first { $0.1 == speed }?.0
    }

    /// Turns `attributes` into a raw 8N1 line at `baudRate`: no echo, no canonical mode, no signals,
    /// no CR/LF translation, no flow control.
    static func makeRaw(_ attributes: inout termios, baudRate: BaudRate) {
        cfmakeraw(&attributes)
        attributes.c_cflag |= tcflag_t(CLOCAL | CREAD)
        attributes.c_cflag &= ~tcflag_t(CRTSCTS)
        attributes.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        withUnsafeMutableBytes(of: &attributes.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        cfsetispeed(&attributes, baudRate.speed)
        cfsetospeed(&attributes, baudRate.speed)
    }

    deinit {
        let fd = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        if fd >= 0 { system_close(fd) }
    }

    /// Reads what is there, up to `buffer.count` bytes, without blocking.
    ///
    /// - Returns: `.bytes(n)`, `.wouldBlock` when nothing is waiting, `.hangUp` when the device is gone.
    /// - Throws: `DeviceError` for failures other than a hang-up.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> ReadOutcome {
        let fd = fileDescriptor
        guard fd >= 0 else { return .hangUp }
        switch system_read(fd, buffer) {
        case .success(0): return .hangUp
        case .success(let count): return .bytes(count)
        case .failure(let error):
            switch error.rawValue {
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EIO, ENXIO, ENODEV: return .hangUp
            default: throw DeviceError.io(path, "read from", error)
            }
        }
    }

    /// Reads what is there into the front of `buffer` (up to its count), without blocking.
    public func read(into buffer: inout [UInt8]) throws(DeviceError) -> ReadOutcome {
        let result: Result<ReadOutcome, DeviceError> = buffer.withUnsafeMutableBytes { raw in
            do throws(DeviceError) { return .success(try read(into: raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Writes all of `bytes`, waiting for the line to drain when it is full, at most `timeoutMilliseconds`
    /// per wait.
    ///
    /// - Throws: `.vanished` when the device hung up, `.io` when the line stayed full past the timeout.
    public func write(_ bytes: [UInt8], timeoutMilliseconds: Int32 = 1000) throws(DeviceError) {
        let failure = bytes.withUnsafeBytes { raw in
            Self.writeAll(fileDescriptor, raw, path: path, timeoutMilliseconds: timeoutMilliseconds)
        }
        if let failure { throw failure }
    }

    /// The write loop shared with the pseudo-terminal master side; returns the failure, nil when all went.
    static func writeAll(
        _ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String, timeoutMilliseconds: Int32
    ) -> DeviceError? {
        guard fd >= 0 else { return DeviceError.vanished(path) }
        var offset = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            switch system_write(fd, rest) {
            case .success(let count): offset += count
            case .failure(let error) where error.rawValue == EAGAIN || error.rawValue == EWOULDBLOCK:
                var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                switch system_poll(&entry, 1, timeoutMilliseconds) {
                case .success(0):
                    return DeviceError(
                        code: .io, device: path, message: "Unable to write to '\(path)': the line stayed full.")
                case .success:
                    if entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return DeviceError.vanished(path) }
                case .failure(let error): return DeviceError.io(path, "write to", error)
                }
            case .failure(let error) where error.rawValue == EIO || error.rawValue == ENXIO:
                return DeviceError.vanished(path, error)
            case .failure(let error):
                return DeviceError.io(path, "write to", error)
            }
        }
        return nil
    }

    /// Closes the port. Idempotent; reads after it report `.hangUp`.
    public func close() {
        let fd = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        if fd >= 0 { system_close(fd) }
    }
}
