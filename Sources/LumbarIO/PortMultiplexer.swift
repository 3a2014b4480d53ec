#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Reads several serial ports from the one thread that also consumes the bytes: one `poll` over every
/// port (and a wake-up pipe), then one non-blocking `read` per ready port into a scratch buffer that the
/// handler sees in place.
///
/// This is the shortest path from a readable descriptor to the code that acts on the bytes: no thread
/// hand-off, no queue, no allocation per read. `lumbar live` runs its whole session on the thread that
/// calls `poll`, so an event line is written by the thread the sensor's bytes woke up.
///
/// ```swift
/// let mux = try PortMultiplexer()
/// mux.add(port, tag: 0)
/// while running {
///     mux.poll(timeoutNanoseconds: 100_000_000) { tag, event in
///         if case .bytes(let bytes, let receivedAt) = event { pipeline.receive(bytes, from: tag, at: receivedAt, ...) }
///     }
/// }
/// ```
/// Not thread-safe, except `waker`, which any thread (a signal handler task, the USB hotplug pump) may use.
public final class PortMultiplexer {
    /// What a port had to say.
    public enum Event {
        /// Bytes arrived: valid only during the handler call. `receivedAt` is `HostClock.nanoseconds()`
        /// right after the read.
        case bytes(UnsafeRawBufferPointer, receivedAt: Int64)
        /// The port hung up or failed; it was removed from the set and closed.
        case ended(DeviceError)
    }

    /// Wakes a thread blocked in `poll` from any other thread.
    public final class Waker: Sendable {
        fileprivate let readEnd: Int32
        fileprivate let writeEnd: Int32

        fileprivate init() throws(DeviceError) {
            switch system_pipe() {
            case .success(let fds): (readEnd, writeEnd) = (fds.read, fds.write)
            case .failure(let error): throw DeviceError.io("a wake-up pipe", "create", error)
            }
        }

        /// Makes the current or next `poll` return. Async-signal-safe (one `write` of one byte).
        public func wake() {
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }

        deinit {
            system_close(readEnd)
            system_close(writeEnd)
        }
    }

    /// Wake-ups for the polling thread.
    public let waker: Waker
    private var ports: [(tag: Int, port: SerialPort)] = []
    private var descriptors: [pollfd] = []
    private let buffer: UnsafeMutableRawBufferPointer

    /// - Parameter chunkSize: the most bytes one read takes, bytes. 4096 holds ~40 ms of three 400 Hz sensors.
    public init(chunkSize: Int = 4096) throws(DeviceError) {
        waker = try Waker()
        buffer = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        for entry in ports { entry.port.close() }
        buffer.deallocate()
    }

    /// Starts watching `port`; `tag` names it in events.
    public func add(_ port: SerialPort, tag: Int) {
        ports.append((tag, port))
    }

    /// Stops watching the port tagged `tag` and closes it. Nothing happens for an unknown tag.
    public func remove(tag: Int) {
        guard let index = ports.firstIndex(where: { $0.tag == tag }) else { return }
        ports.remove(at: index).port.close()
    }

    /// The port tagged `tag`, for writing commands to it.
    public func port(tag: Int) -> SerialPort? { ports.first { $0.tag == tag }?.port }

    /// Waits until a port is readable, `waker` was woken, or `timeoutNanoseconds` passed (< 0: no
    /// limit); then reads each ready port once and hands the outcome to `handle`, in the order the ports
    /// were added.
    ///
    /// - Returns: true when `waker` was woken (the flag that caused it is the caller's to check).
    @discardableResult
    public func poll(timeoutNanoseconds: Int64, _ handle: (Int, Event) -> Void) -> Bool {
        descriptors.removeAll(keepingCapacity: true)
        descriptors.append(pollfd(fd: waker.readEnd, events: Int16(POLLIN), revents: 0))
        for entry in ports { descriptors.append(pollfd(fd: entry.port.fileDescriptor, events: Int16(POLLIN), revents: 0)) }
        let timeout = timeoutNanoseconds < 0 ? -1 : Int32(min((timeoutNanoseconds + 999_999) / 1_000_000, Int64(Int32.max)))
        let count = descriptors.count
        let polled = descriptors.withUnsafeMutableBufferPointer { system_poll($0.baseAddress!, count, timeout) }
        guard case .success(let ready) = polled, ready > 0 else { return false }
        var woken = false
        if descriptors[0].revents != 0 {
            woken = true
            var drain = [UInt8](repeating: 0, count: 64)
            while case .success(let n) = drain.withUnsafeMutableBytes({ system_read(waker.readEnd, $0) }), n > 0 {}
        }
        // Each ready descriptor is looked up in `ports` again by its fd: `handle` may add or remove ports while we go.
        var index = 1
        while index < count {
            defer { index += 1 }
            let events = descriptors[index].revents
            guard events != 0, let entry = ports.first(where: { $0.port.fileDescriptor == descriptors[index].fd }) else {
                continue
            }
            if let ended = read(entry.port, events: events, tag: entry.tag, handle) {
                remove(tag: entry.tag)
                handle(entry.tag, .ended(ended))
            }
        }
        return woken
    }

    /// One read of a ready port; returns why the port ended, nil while it lives.
    private func read(_ port: SerialPort, events: Int16, tag: Int, _ handle: (Int, Event) -> Void) -> DeviceError? {
        if events & Int16(POLLNVAL) != 0 { return DeviceError.vanished(port.path) }
        // Drain what is there before honouring a hang-up: the last frames before an unplug count.
        do {
            switch try port.read(into: buffer) {
            case .bytes(let count):
                handle(tag, .bytes(UnsafeRawBufferPointer(rebasing: buffer[..<count]), receivedAt: HostClock.nanoseconds()))
                return nil
            case .wouldBlock:
                return events & Int16(POLLHUP | POLLERR) != 0 ? DeviceError.vanished(port.path) : nil
            case .hangUp:
                return DeviceError.vanished(port.path)
            }
        } catch {
            return error
        }
    }
}
