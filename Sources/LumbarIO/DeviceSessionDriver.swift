import LumbarDevice
import LumbarProtocol

/// Carries out a `DeviceSession`'s actions on real serial ports, on the thread that calls it: opens
/// and closes ports (`SerialPort`), writes the commands, reads every open port through one
/// `PortMultiplexer` poll, lists USB ports when asked (`scan`), and feeds what happened back to the
/// session. Everything the session decides for its owner (a sensor joins, bytes for it, a loss, a
/// notice) is handed to the caller's `handle`, with the bytes of the read that caused it.
///
/// The thin I/O edge of `live` and `devices`: no decisions here, only system calls. Not thread-safe,
/// except `ports.waker`.
///
/// ```swift
/// let driver = try DeviceSessionDriver(configuration, baudRate: .b921600) { usb.serialDevices() }
/// driver.start(at: HostClock.nanoseconds(), handle)
/// while running {
///     driver.poll(timeoutNanoseconds: 100_000_000, handle)   // reads, .deliver ...
///     driver.tick(at: HostClock.nanoseconds(), handle)       // resends, reopen, rescan, restarts
/// }
/// driver.shutdown(handle)
/// ```
public final class DeviceSessionDriver {
    /// What the caller gets: an action for the session's owner (`.connect`, `.deliver`, `.deliverKept`,
    /// `.lose`, `.notice`, `.giveUp`) and, for `.deliver`, the bytes just read (valid during the call).
    public typealias Handler = (DeviceAction, UnsafeRawBufferPointer) -> Void

    public private(set) var session: DeviceSession
    /// The ports being read; its `waker` wakes `poll` from another thread.
    public let ports: PortMultiplexer
    /// How ports are opened; a port's own line speed (`DeviceSession.baudRate(of:)`) replaces the rate.
    private let settings: SerialPort.Settings
    private let scan: () -> [DiscoveredPort]
    /// Actions of the current input, carried out in order (reused: no allocation per read).
    private var actions: [DeviceAction] = []

    /// - Parameter scan: lists the USB serial ports (called on this thread when the session asks).
    public init(
        _ configuration: DeviceSessionConfiguration, settings: SerialPort.Settings, scan: @escaping () -> [DiscoveredPort]
    ) throws(DeviceError) {
        session = DeviceSession(configuration)
        ports = try PortMultiplexer()
        self.settings = settings
        self.scan = scan
        actions.reserveCapacity(64)
    }

    public func start(at now: Int64, _ handle: Handler) {
        session.start(at: now, into: &actions)
        perform(now: now, current: UnsafeRawBufferPointer(start: nil, count: 0), handle)
    }

    /// Waits up to `timeoutNanoseconds` for bytes (or a wake-up), reads each ready port once and feeds
    /// the session. - Returns: true when `ports.waker` was woken.
    @discardableResult
    public func poll(timeoutNanoseconds: Int64, _ handle: Handler) -> Bool {
        ports.poll(timeoutNanoseconds: timeoutNanoseconds) { tag, event in
            switch event {
            case .bytes(let bytes, let receivedAt):
                session.received(bytes, on: DevicePort(tag), at: receivedAt, into: &actions)
                perform(now: receivedAt, current: bytes, handle)
            case .ended(let error):
                let end: PortEnd = error.code == .vanished ? .vanished(message: error.description) : .readError(message: error.description)
                let now = HostClock.nanoseconds()
                session.ended(DevicePort(tag), end, at: now, into: &actions)
                perform(now: now, current: UnsafeRawBufferPointer(start: nil, count: 0), handle)
            }
        }
    }

    public func tick(at now: Int64, _ handle: Handler) {
        session.tick(at: now, into: &actions)
        perform(now: now, current: UnsafeRawBufferPointer(start: nil, count: 0), handle)
    }

    /// USB hotplug saw a device come or go.
    public func hotplugChanged(at now: Int64, _ handle: Handler) {
        session.hotplugChanged(at: now, into: &actions)
        perform(now: now, current: UnsafeRawBufferPointer(start: nil, count: 0), handle)
    }

    /// Tells streaming sensors to stop and closes every port.
    public func shutdown(_ handle: Handler) {
        session.shutdown(into: &actions)
        perform(now: HostClock.nanoseconds(), current: UnsafeRawBufferPointer(start: nil, count: 0), handle)
    }

    /// Carries out `actions` in order (those for the owner go to `handle`); actions that answer with
    /// an input (open, scan) append the session's next actions, which are carried out in turn.
    private func perform(now: Int64, current: UnsafeRawBufferPointer, _ handle: Handler) {
        var index = 0
        while index < actions.count {
            let action = actions[index]
            index += 1
            switch action {
            case .open(let port, let path):
                do {
                    var settings = settings
                    if let rate = session.baudRate(of: port).flatMap(BaudRate.init) { settings.baudRate = rate }
                    let serial = try SerialPort(path: path, settings: settings)
                    ports.add(serial, tag: port.index)
                    session.opened(port, at: now, into: &actions)
                } catch {
                    session.openFailed(port, OpenFailure(error.code.openFailureKind, message: error.description), at: now, into: &actions)
                }
            case .close(let port):
                ports.remove(tag: port.index)
            case .write(let port, let bytes):
                // A failed write shows up as the port's hang-up or read error in the next poll.
                try? ports.port(tag: port.index)?.write(bytes)
            case .scan:
                session.discovered(scan(), at: now, into: &actions)
            case .connect, .deliver, .deliverKept, .lose, .notice, .giveUp:
                handle(action, current)
            }
        }
        actions.removeAll(keepingCapacity: true)
    }
}

extension DeviceError.Code {
    /// The device session's view of an open failure.
    var openFailureKind: OpenFailure.Kind {
        switch self {
        case .permissionDenied: .permissionDenied
        case .notATerminal: .notATerminal
        case .busy: .busy
        case .notFound: .notFound
        default: .other
        }
    }
}
