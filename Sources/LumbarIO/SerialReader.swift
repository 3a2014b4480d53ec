#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Bytes read from a sensor in one go, with the host time they arrived.
public struct SerialChunk: Sendable, Hashable {
    /// The bytes, as read (any size from 1 to the reader's chunk size).
    public var bytes: [UInt8]
    /// `HostClock.nanoseconds()` right after the read returned (monotonic, ns).
    public var receivedAt: Int64

    public init(bytes: [UInt8], receivedAt: Int64) {
        self.bytes = bytes
        self.receivedAt = receivedAt
    }
}

/// Reads a serial port on its own thread: a blocking `poll`, then one non-blocking `read` of whatever
/// is there (up to `chunkSize` bytes), handed to `deliver` at once.
///
/// `deliver` must not block (yield into a bounded `AsyncStream`, say): the reader never waits for a
/// slow consumer. The reader ends after it delivered `.ended`, on hang-up, on a read error, or after
/// `stop()`.
///
/// Why a thread and not NIO's `NIOPipeBootstrap`: one `poll` + `read` per chunk on a dedicated thread
/// measured 11–13 µs one way through a pseudo-terminal, needs no event loop, and adds no package.
public final class SerialReader: Sendable {
    /// What the reader reports.
    public enum Event: Sendable {
        /// Bytes arrived.
        case chunk(SerialChunk)
        /// The reader stopped: `nil` after `stop()`, otherwise why (`.vanished` on unplug).
        case ended(DeviceError?)
    }

    /// The port being read. The reader closes it when it ends.
    public let port: SerialPort
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let thread: Mutex<OSThread?>

    /// Starts reading `port` at once.
    ///
    /// - Parameters:
    ///   - chunkSize: the most bytes one read takes, bytes. 4096 holds ~40 ms of three 400 Hz sensors.
    ///   - deliver: called on the reader's thread for each chunk, and once with `.ended`.
    public init(port: SerialPort, chunkSize: Int = 4096, deliver: @escaping @Sendable (Event) -> Void) throws(DeviceError) {
        self.port = port
        switch system_pipe() {
        case .success(let fds):
            wakeRead = fds.read
            wakeWrite = fds.write
        case .failure(let error):
            throw DeviceError.io(port.path, "start a reader for", error)
        }
        thread = Mutex(nil)
        let wake = wakeRead
        let started = OSThread(name: "lumbar-serial") {
            let reason = Self.run(port: port, wake: wake, chunkSize: chunkSize, deliver: deliver)
            port.close()
            deliver(.ended(reason))
        }
        thread.withLock { $0 = started }
    }

    /// The poll-read loop; returns why it ended (nil when told to stop).
    private static func run(
        port: SerialPort, wake: Int32, chunkSize: Int, deliver: @Sendable (Event) -> Void
    ) -> DeviceError? {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var fds = [
            pollfd(fd: port.fileDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            if case .failure(let error) = system_poll(&fds, 2, -1) {
                return DeviceError.io(port.path, "wait for data from", error)
            }
            if fds[1].revents != 0 { return nil }
            let events = fds[0].revents
            if events & Int16(POLLNVAL) != 0 { return DeviceError.vanished(port.path) }
            if events & Int16(POLLIN | POLLHUP | POLLERR) == 0 { continue }
            // Drain what is there before honouring a hang-up: the last frames before an unplug count.
            do {
                switch try port.read(into: buffer) {
                case .bytes(let count):
                    let chunk = SerialChunk(
                        bytes: Array(UnsafeRawBufferPointer(rebasing: buffer[..<count])), receivedAt: HostClock.nanoseconds())
                    deliver(.chunk(chunk))
                case .wouldBlock:
                    if events & Int16(POLLHUP | POLLERR) != 0 { return DeviceError.vanished(port.path) }
                case .hangUp:
                    return DeviceError.vanished(port.path)
                }
            } catch {
                return error
            }
        }
    }

    deinit {
        stop()
        system_close(wakeRead)
        system_close(wakeWrite)
    }

    /// Stops the reader and waits for its thread; the port is closed afterwards. Idempotent.
    public func stop() {
        guard let running = thread.withLock({ current -> OSThread? in
            defer { current = nil }
            return current
        }) else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        running.join()
    }
}
