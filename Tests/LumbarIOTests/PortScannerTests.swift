import Dispatch
import Glibc
import LumbarCore
import LumbarDevice
import Synchronization
import Testing

@testable import LumbarIO

/// USB scans run on the scanner's own thread, never on the session thread that asks for them; their
/// result reaches the device session at the driver's next poll. Synchronised on the scanner's own
/// callbacks (semaphores), never on sleeps; the blocking parts run on a thread of their own.
@Suite("USB port scans off the session thread")
struct PortScannerTests {
    /// The calling thread's name (`/proc/thread-self/comm`).
    static func threadName() -> String {
        let fd = open("/proc/thread-self/comm", O_RDONLY)
        guard fd >= 0 else { return "?" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = read(fd, &buffer, buffer.count)
        return String(decoding: buffer[..<max(0, n)], as: UTF8.self).trimmingTrailingNewline
    }

    static let port = DiscoveredPort(path: "/dev/ttyUSB7", serialNumber: "A1", usbID: "0403:6015")

    @Test func aScanRunsOnTheScannerThreadAndItsResultIsTakenOnce() async throws {
        struct Seen: Sendable {
            var before: [DiscoveredPort]?, ready = false, first: [DiscoveredPort]?, again: [DiscoveredPort]?, threads: [String] = []
        }
        let seen = try await onItsOwnThread { () -> Seen in
            let scannedOn = Mutex<[String]>([])
            let ready = DispatchSemaphore(value: 0)
            let scanner = PortScanner(
                scan: {
                    scannedOn.withLock { $0.append(Self.threadName()) }
                    return [Self.port]
                },
                ready: { ready.signal() })
            defer { scanner.stop() }
            var seen = Seen()
            seen.before = scanner.takeResult()
            scanner.request()
            seen.ready = ready.wait(timeout: .now() + 300) == .success
            seen.first = scanner.takeResult()
            seen.again = scanner.takeResult()
            scanner.stop()
            seen.threads = scannedOn.withLock { $0 }
            return seen
        }
        #expect(seen.before == nil)
        #expect(seen.ready)
        #expect(seen.first == [Self.port])
        #expect(seen.again == nil)
        #expect(seen.threads == ["lumbar-scan"])
    }

    @Test func requestsMadeDuringAScanAreServedByOneMoreScanAfterIt() async throws {
        struct Seen: Sendable { var inScan = false, ready = [false, false], scans = 0, result: [String]? }
        let seen = try await onItsOwnThread { () -> Seen in
            let scans = Mutex(0)
            let inScan = DispatchSemaphore(value: 0)
            let gate = DispatchSemaphore(value: 0)
            let ready = DispatchSemaphore(value: 0)
            let scanner = PortScanner(
                scan: {
                    let n = scans.withLock { $0 += 1; return $0 }
                    if n == 1 {
                        inScan.signal()
                        gate.wait()
                    }
                    return [DiscoveredPort(path: "/dev/ttyUSB\(n)", serialNumber: nil, usbID: "0403:6015")]
                },
                ready: { ready.signal() })
            var seen = Seen()
            scanner.request()
            seen.inScan = inScan.wait(timeout: .now() + 300) == .success
            for _ in 0..<3 { scanner.request() }
            gate.signal()
            seen.ready[0] = ready.wait(timeout: .now() + 300) == .success
            seen.ready[1] = ready.wait(timeout: .now() + 300) == .success
            scanner.stop()  // joins: no scan can still be running or start
            seen.scans = scans.withLock { $0 }
            seen.result = scanner.takeResult()?.map(\.path)
            return seen
        }
        #expect(seen.inScan)
        #expect(seen.ready == [true, true])
        #expect(seen.scans == 2)
        #expect(seen.result == ["/dev/ttyUSB2"])
    }

    @Test func theDriverOpensAPortTheScannerFoundAtItsNextPoll() async throws {
        struct Seen: Sendable { var found: DiscoveredPort, noticesAtStart: [DeviceNotice] = [], notices: [DeviceNotice] = [], open = false }
        let seen = try await onItsOwnThread { () throws -> Seen in
            let line = try PseudoTerminal()
            let found = DiscoveredPort(path: line.devicePath, serialNumber: "S1", usbID: "0403:6015")
            let driver = try DeviceSessionDriver(DeviceSessionConfiguration(), settings: .default, scan: { [found] })
            var notices: [DeviceNotice] = []
            func handle(_ action: DeviceAction, _ bytes: UnsafeRawBufferPointer) {
                if case .notice(let notice) = action { notices.append(notice) }
            }
            var seen = Seen(found: found)
            driver.start(at: HostClock.nanoseconds(), handle)
            seen.noticesAtStart = notices
            // The scanner wakes the poll when done: no timeout paces this loop (the bound only fails it).
            let deadline = HostClock.nanoseconds() + 300_000_000_000
            while !notices.contains(where: { if case .found = $0 { true } else { false } }), HostClock.nanoseconds() < deadline {
                driver.poll(timeoutNanoseconds: 10_000_000_000, handle)
            }
            seen.notices = notices
            seen.open = driver.session.hasOpenPorts
            driver.shutdown(handle)
            return seen
        }
        #expect(seen.noticesAtStart.isEmpty, "the scan's result cannot be there before the scanner ran")
        #expect(seen.notices.contains { if case .found(_, let port) = $0 { port == seen.found } else { false } }, "\(seen.notices)")
        #expect(seen.open)
    }
}

extension String {
    fileprivate var trimmingTrailingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
