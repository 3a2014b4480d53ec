import LumbarDevice
import LumbarProtocol

/// Carries out a `DeviceSession`'s actions on real serial ports, on the thread that calls it: opens
/// and closes ports (`SerialPort`), writes the commands, reads every open port through one
/// `PortMultiplexer` poll, has the USB ports listed when asked (`scan`, on the `PortScanner`'s thread:
/// never on this one), and feeds what happened back to the session. Everything the session decides for its owner (a sensor joins, bytes for it, a loss, a
/// notice) is handed to the caller's `handle`, with the bytes of the read that caused it.
///
/// The thin I/O edge of `live` and `devices`: no decisions here, only system calls. Not thread-safe,
/// except `ports.waker`.
///
/// ```swift
/// let driver = try DeviceSessionDriver(configuration, settings: .default) { usb.serialDevices() }
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
    /// Lists the USB ports off this thread; nil: the session never asks (`--device` paths, probing them).
    private let scanner: PortScanner?
    /// Actions of the current input, carried out in order (reused: no allocation per read).
    private var actions: [DeviceAction] = []
    /// Stretches without a byte, and whether a scan ran meanwhile (for `observe`).
    private var silences = ReadSilenceWatch()

    /// What the driver saw of the host, for a log that can tell a sensor's silence from the host's.
    public enum Observation: Sendable {
        /// A USB scan finished (its ports, when it ran).
        case scan(PortScanner.Scan)
        /// No byte from every port (or every sensor port) for longer than `ReadSilenceWatch.threshold`.
        case silence(ReadSilenceWatch.Silence)
        /// A `poll` came back later than asked by more than that threshold (host ns: from when it was
        /// due to when it returned): the calling thread did not run, or the host stood still.
        case late(from: Int64, to: Int64)
    }

    /// Called on the calling thread with each observation (nil: none made).
    public var observe: ((Observation) -> Void)?

    /// - Parameter scan: lists the USB serial ports, on a `PortScanner` thread; its result reaches the
    ///   session at the next `poll` after it (the scanner wakes `ports.waker`). Nil when the configuration
    ///   names its ports (`--device`): the session then never asks for a scan.
    public init(
        _ configuration: DeviceSessionConfiguration, settings: SerialPort.Settings,
        scan: (@Sendable () -> [DiscoveredPort])? = nil
    ) throws(DeviceError) {
        var configuration = configuration
        configuration.defaultBaudRate = settings.baudRate.bitsPerSecond
        session = DeviceSession(configuration)
        let ports = try PortMultiplexer()
        self.ports = ports
        self.settings = settings
        let waker = ports.waker
        scanner = scan.map { PortScanner(scan: $0, ready: { waker.wake() }) }
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
        let polledAt = HostClock.nanoseconds()
        defer {
            if let observe {
                let returnedAt = HostClock.nanoseconds()
                if returnedAt - polledAt > max(0, timeoutNanoseconds) + silences.threshold {
                    observe(.late(from: polledAt + max(0, timeoutNanoseconds), to: returnedAt))
                }
            }
            if let scan = scanner?.takeScan() {
                silences.scanTaken()
                observe?(.scan(scan))
                let now = HostClock.nanoseconds()
                session.discovered(scan.ports, at: now, into: &actions)
                perform(now: now, current: UnsafeRawBufferPointer(start: nil, count: 0), handle)
            }
        }
        return ports.poll(timeoutNanoseconds: timeoutNanoseconds) { tag, event in
            switch event {
            case .bytes(let bytes, let receivedAt):
                if let observe {
                    let posture = session.posture(of: DevicePort(tag))
                    let found = silences.read(at: receivedAt, sensor: posture == .streaming || posture == .stalled)
                    if let every = found.every { observe(.silence(every)) }
                    if let sensors = found.sensors { observe(.silence(sensors)) }
                }
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

    /// Tells streaming sensors to stop, closes every port and ends (joins) the scanner thread.
    public func shutdown(_ handle: Handler) {
        scanner?.stop()
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
            case .setLineSpeed(let port, let bitsPerSecond):
                // After the write before it has left (`tcdrain`); bytes received meanwhile are dropped: they
                // were sent at the old speed. A failure shows up as the sensor not confirming the speed.
                if let rate = BaudRate(bitsPerSecond) { try? ports.port(tag: port.index)?.setLineSpeed(rate) }
            case .write(let port, let bytes):
                // A failed write shows up as the port's hang-up or read error in the next poll.
                try? ports.port(tag: port.index)?.write(bytes)
            case .scan:
                // Listed on the scanner's thread; the ports reach the session at a later `poll`.
                if let scanner {
                    silences.scanRequested()
                    scanner.request()
                }
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
