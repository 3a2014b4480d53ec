/// A port the device session knows, by the order it first heard of it (0, 1, 2, ...). The session
/// never reuses one: a port that comes back (replugged, rescanned) is a new `DevicePort` on the same
/// path, and the sensor on it keeps its identity through its device id and USB serial number.
public struct DevicePort: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: DevicePort, b: DevicePort) -> Bool { a.index < b.index }
    public var description: String { "port \(index)" }
}

/// A serial port USB discovery found (the driver lists them, by libusb and sysfs, and hands them in).
public struct DiscoveredPort: Sendable, Hashable {
    /// The tty node, e.g. `/dev/ttyUSB0`.
    public var path: String
    /// The USB serial number (iSerial), when the device has one: it names the sensor across replugs.
    public var serialNumber: String?
    /// `vvvv:pppp`, for the log and the sensor's details.
    public var usbID: String

    public init(path: String, serialNumber: String?, usbID: String) {
        self.path = path
        self.serialNumber = serialNumber
        self.usbID = usbID
    }
}

/// Why opening a port failed, as the driver saw it (the errno's meaning), with the driver's one-line
/// message for the log.
public struct OpenFailure: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `EACCES`/`EPERM`: the user may not open it. Retrying does not help.
        case permissionDenied
        /// Not a terminal (`ENOTTY`): not a serial port. Retrying does not help.
        case notATerminal
        /// Another process holds the port (its lock, `TIOCEXCL`).
        case busy
        /// No such node (unplugged, a wrong path).
        case notFound
        /// Anything else.
        case other
    }

    public var kind: Kind
    /// The driver's message, e.g. "Unable to open '/dev/ttyACM0': permission denied. Add the user to 'dialout'."
    public var message: String

    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// True when a `--device` that failed this way can never be used in this run (the daemon gives
    /// up when every port failed so).
    public var isPermanent: Bool { kind == .permissionDenied || kind == .notATerminal || kind == .busy }
}

/// How an open port ended.
public enum PortEnd: Sendable, Hashable {
    /// Hang-up: the device went away (unplugged). `message` says which.
    case vanished(message: String)
    /// A read failed for another reason.
    case readError(message: String)

    /// The loss reason of the sensor that streamed on the port.
    public var lossReason: SensorLossReason {
        switch self {
        case .vanished: .unplugged
        case .readError: .readError
        }
    }

    public var message: String {
        switch self {
        case .vanished(let m), .readError(let m): m
        }
    }
}

import LumbarCore
