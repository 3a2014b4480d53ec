#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import LumbarCore

/// A connected Unix stream socket used as a sensor's serial line: QEMU's `usb-serial` chardev socket,
/// for `lumbar simulate --connect`.
public final class UnixSocketLink: Sendable {
    /// The socket path.
    public let path: String
    private let descriptor: Atomic<Int32>

    /// The connected descriptor (non-blocking); -1 after `close()`.
    public var lineDescriptor: Int32 { descriptor.load(ordering: .acquiring) }

    /// Connects to the listening socket at `path`.
    ///
    /// - Throws: `DeviceError` naming the path when nothing listens there.
    public init(connectingTo path: String) throws(DeviceError) {
        self.path = path
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DeviceError.io(path, "create a socket for", .current) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            system_close(fd)
            throw DeviceError(code: .io, device: path, message: "Unable to connect to '\(path)': the path is too long.")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard status == 0 else {
            let error = Errno.current
            system_close(fd)
            throw DeviceError(
                code: .notFound, device: path, message: "Unable to connect to '\(path)': \(error).", errno: error)
        }
        system_setCloseOnExec(fd)
        _ = system_setNonBlocking(fd)
        descriptor = Atomic(fd)
    }

    deinit { close() }

    /// Closes the connection (QEMU then unplugs the emulated USB device). Idempotent.
    public func close() {
        let fd = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        if fd >= 0 { system_close(fd) }
    }
}
