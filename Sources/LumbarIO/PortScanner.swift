import Dispatch
import LumbarDevice
import LumbarThreads
import Synchronization

/// Lists the USB serial ports on a thread of its own (`lumbar-scan`), so that the session thread never
/// waits for libusb or sysfs: a scan opens every USB device's descriptors and walks sysfs, which takes
/// milliseconds on a quiet machine and far more on a loaded one or a slow hub, while sensors keep sending.
///
/// The session thread asks (`request`), the scanner lists the ports and calls `ready` (which wakes the
/// session thread's poll); the session thread then takes the result (`takeResult`) and hands it to the
/// device session. Requests made while a scan runs are served by one more scan after it (the result is
/// never older than the latest request). `stop()` ends and joins the thread.
///
/// ```swift
/// let scanner = PortScanner(scan: { usb.serialDevices(...) }, ready: { waker.wake() })
/// scanner.request()                               // session thread, on `.scan`
/// if let found = scanner.takeResult() { ... }     // session thread, after a wake-up
/// scanner.stop()
/// ```
public final class PortScanner: Sendable {
    /// One finished scan: the ports it listed and when it ran (host ns, `HostClock`).
    public struct Scan: Sendable, Equatable {
        public var ports: [DiscoveredPort]
        public var startedAt: Int64
        public var endedAt: Int64
    }

    private struct State {
        var requested = false
        var stopping = false
        var result: Scan?
    }

    /// What the scanner thread and its callers share.
    private final class Shared: Sendable {
        let state = Mutex(State())
        /// Counts requests (and the stop) for the scanner thread to wait on.
        let wake = DispatchSemaphore(value: 0)
    }

    private let shared = Shared()
    private let thread = Mutex<OSThread?>(nil)

    /// - Parameters:
    ///   - scan: lists the ports (runs on the scanner thread).
    ///   - ready: called on the scanner thread after each scan, to wake whoever takes the result.
    public init(scan: @escaping @Sendable () -> [DiscoveredPort], ready: @escaping @Sendable () -> Void) {
        let t = OSThread(name: "lumbar-scan") { [shared] in
            while true {
                shared.wake.wait()
                let (stopping, requested) = shared.state.withLock { s in
                    defer { s.requested = false }
                    return (s.stopping, s.requested)
                }
                if stopping { return }
                guard requested else { continue }
                let startedAt = HostClock.nanoseconds()
                let found = scan()
                let scan = Scan(ports: found, startedAt: startedAt, endedAt: HostClock.nanoseconds())
                shared.state.withLock { $0.result = scan }
                ready()
            }
        }
        thread.withLock { $0 = t }
    }

    /// Asks for a scan (any thread; never blocks).
    public func request() {
        let first = shared.state.withLock { s -> Bool in
            defer { s.requested = true }
            return !s.requested
        }
        if first { shared.wake.signal() }
    }

    /// The latest scan's ports, once (nil when no scan finished since the last call).
    public func takeResult() -> [DiscoveredPort]? { takeScan()?.ports }

    /// The latest scan (its ports and when it ran), once (nil when no scan finished since the last call).
    public func takeScan() -> Scan? {
        shared.state.withLock { s in
            defer { s.result = nil }
            return s.result
        }
    }

    /// Ends the scanner thread (after the scan it may be running) and joins it. Idempotent.
    public func stop() {
        shared.state.withLock { $0.stopping = true }
        shared.wake.signal()
        let t = thread.withLock { t -> OSThread? in
            defer { t = nil }
            return t
        }
        t?.join()
    }

    deinit { stop() }
}
