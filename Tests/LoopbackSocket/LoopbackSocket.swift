// Test support shared by the dashboard tests (in process) and the end-to-end tests (against `lumbar`).
import Glibc

/// A socket call that failed, with its errno.
public struct LoopbackSocketError: Error, CustomStringConvertible {
    public var description: String
}

/// A blocking TCP socket connected to `127.0.0.1:port`, closed by the caller.
///
/// - Parameters:
///   - receiveTimeoutSeconds: `SO_RCVTIMEO`: a read waits at most this long.
///   - receiveBufferBytes: `SO_RCVBUF` when given (a small window makes a client that never reads
///     stall the server's writes sooner).
public func connectedLoopbackSocket(
    port: Int, receiveTimeoutSeconds: Int = 10, receiveBufferBytes: Int32? = nil, address host: String = "127.0.0.1"
) throws(LoopbackSocketError) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw LoopbackSocketError(description: "socket() failed: errno \(errno)") }
    if var size = receiveBufferBytes {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }
    var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr(host)
    let rc = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else {
        let error = errno
        close(fd)
        throw LoopbackSocketError(description: "connect to \(host):\(port) failed: errno \(error)")
    }
    return fd
}
