// LumbarIO: the edge to the hardware: serial ports via termios, USB discovery and hotplug via libusb,
// pseudo-terminal sensor emulation. The only target that touches device file descriptors.
//
// Every system call of the module goes through this file, so that EINTR handling and errno capture
// live in one place. The wrappers return `Result<_, Errno>` (LumbarCore); the public types throw `DeviceError`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore

/// Retries `body` while it fails with `EINTR`; a negative return captures `errno`.
@inline(__always)
func retryingOnInterrupt<T: FixedWidthInteger>(_ body: () -> T) -> Result<T, Errno> {
    while true {
        let result = body()
        if result >= 0 { return .success(result) }
        let error = errno
        if error != EINTR { return .failure(Errno(error)) }
    }
}

func system_open(_ path: String, _ flags: Int32) -> Result<Int32, Errno> {
    retryingOnInterrupt { open(path, flags) }
}

func system_close(_ fd: Int32) {
    // Linux closes the descriptor even when close reports EINTR: never retry.
    _ = close(fd)
}

func system_read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
    retryingOnInterrupt { read(fd, buffer.baseAddress, buffer.count) }
}

func system_write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Result<Int, Errno> {
    retryingOnInterrupt { write(fd, buffer.baseAddress, buffer.count) }
}

/// `poll` on up to two descriptors; `timeoutMilliseconds` < 0 waits forever.
func system_poll(_ fds: UnsafeMutablePointer<pollfd>, _ count: Int, _ timeoutMilliseconds: Int32) -> Result<Int32, Errno> {
    retryingOnInterrupt { poll(fds, nfds_t(count), timeoutMilliseconds) }
}

func system_tcgetattr(_ fd: Int32) -> Result<termios, Errno> {
    var attributes = termios()
    if tcgetattr(fd, &attributes) != 0 { return .failure(.current) }
    return .success(attributes)
}

func system_tcsetattr(_ fd: Int32, _ attributes: termios) -> Result<Void, Errno> {
    var attributes = attributes
    switch retryingOnInterrupt({ tcsetattr(fd, TCSANOW, &attributes) }) {
    case .success: return .success(())
    case .failure(let error): return .failure(error)
    }
}

/// `ioctl(fd, TIOCEXCL)`: further `open`s of the tty fail with EBUSY (except for root).
func system_setExclusive(_ fd: Int32) -> Result<Void, Errno> {
    ioctl(fd, UInt(TIOCEXCL)) == 0 ? .success(()) : .failure(.current)
}

/// `flock(fd, LOCK_EX | LOCK_NB)`: an advisory lock on the device node, held until the descriptor closes
/// (or the process dies). Fails with `EWOULDBLOCK` when another open file description holds it.
func system_lockExclusive(_ fd: Int32) -> Result<Void, Errno> {
    switch retryingOnInterrupt({ flock(fd, LOCK_EX | LOCK_NB) }) {
    case .success: return .success(())
    case .failure(let error): return .failure(error)
    }
}

/// `fstat(fd)`: the device of the file system holding the node and the node's inode number.
func system_fileIdentity(_ fd: Int32) -> (device: UInt64, inode: UInt64)? {
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    return (UInt64(info.st_dev), UInt64(info.st_ino))
}

func system_setNonBlocking(_ fd: Int32) -> Result<Void, Errno> {
    let flags = fcntl(fd, F_GETFL)
    if flags < 0 { return .failure(.current) }
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 ? .success(()) : .failure(.current)
}

func system_setCloseOnExec(_ fd: Int32) {
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
}

/// A pipe whose read end wakes a `poll` loop (the reader threads' stop signal).
func system_pipe() -> Result<(read: Int32, write: Int32), Errno> {
    var fds: [Int32] = [0, 0]
    if pipe(&fds) != 0 { return .failure(.current) }
    system_setCloseOnExec(fds[0])
    system_setCloseOnExec(fds[1])
    _ = system_setNonBlocking(fds[0])
    _ = system_setNonBlocking(fds[1])
    return .success((fds[0], fds[1]))
}
