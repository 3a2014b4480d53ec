#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore

/// Why a device or port could not be used, as one line a person can act on.
///
/// `description` names the device and says what to do, e.g.
/// "Unable to open '/dev/ttyACM0': permission denied. Add the user to the 'dialout' group."
public struct DeviceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is, for code that reacts to it (retry, give up, report).
    public enum Code: String, Sendable, Hashable {
        /// The process may not open the device node (`EACCES`, `EPERM`).
        case permissionDenied = "permission_denied"
        /// No such device node (`ENOENT`, `ENODEV`, `ENXIO`): not plugged in, or a wrong path.
        case notFound = "not_found"
        /// Another process holds the port exclusively (`EBUSY` from `TIOCEXCL`, or its `flock`).
        case busy
        /// The path is not a terminal device (`ENOTTY`): not a serial port.
        case notATerminal = "not_a_terminal"
        /// The device went away while open (hang-up, `EIO` on read).
        case vanished
        /// The baud rate is not one termios knows.
        case unsupportedBaudRate = "unsupported_baud_rate"
        /// A USB (libusb) operation failed.
        case usb
        /// Any other I/O failure.
        case io
    }

    /// The kind of failure.
    public let code: Code
    /// The device path or USB description the failure is about.
    public let device: String
    /// The whole one-line message (what went wrong, and how to fix it when we know).
    public let message: String
    /// The `errno` behind the failure, when there was one.
    public let errno: Errno?

    public init(code: Code, device: String, message: String, errno: Errno? = nil) {
        self.code = code
        self.device = device
        self.message = message
        self.errno = errno
    }

    public var description: String { message }

    /// The error for a failed `open(2)` of a device node, with advice for the usual causes.
    static func openFailed(_ path: String, _ error: Errno) -> DeviceError {
        switch error.rawValue {
        case EACCES, EPERM:
            DeviceError(
                code: .permissionDenied, device: path,
                message: "Unable to open '\(path)': permission denied. Add the user to the 'dialout' group.",
                errno: error)
        case ENOENT, ENODEV, ENXIO:
            DeviceError(
                code: .notFound, device: path,
                message: "Unable to open '\(path)': no such device. Is the sensor plugged in?", errno: error)
        case EBUSY:
            DeviceError(
                code: .busy, device: path,
                message: "Unable to open '\(path)': the port is in use by another program.", errno: error)
        default:
            DeviceError(code: .io, device: path, message: "Unable to open '\(path)': \(error).", errno: error)
        }
    }

    /// The error for a port whose advisory lock another open holds (another daemon, `lumbar record`,
    /// a terminal program that locks): named with the holder's pid and command when `/proc/locks` tells.
    static func locked(_ path: String, by holder: DeviceLockHolder.Process?) -> DeviceError {
        let who = holder.map { " (\($0))" } ?? ""
        return DeviceError(
            code: .busy, device: path,
            message: "Unable to open '\(path)': the port is in use by another program\(who), which holds its lock.",
            errno: Errno(EWOULDBLOCK))
    }

    /// The error for a device that hung up or failed while being read (unplugged).
    static func vanished(_ path: String, _ error: Errno? = nil) -> DeviceError {
        let cause = error.map { "; \($0)" } ?? ""
        return DeviceError(
            code: .vanished, device: path, message: "Device '\(path)' vanished: it was unplugged or hung up\(cause).",
            errno: error)
    }

    /// The error for any other failed call on an open device.
    static func io(_ path: String, _ what: String, _ error: Errno) -> DeviceError {
        DeviceError(code: .io, device: path, message: "Unable to \(what) '\(path)': \(error).", errno: error)
    }
}
