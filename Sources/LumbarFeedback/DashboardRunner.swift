import Dispatch
import Glibc
import Logging
import ServiceLifecycle
import NIOCore
import Synchronization
import LumbarCore

/// The dashboard server on a background task, for commands whose pipeline loop runs synchronously on
/// their own thread (`lumbar replay --http`, `lumbar live --http`). Async code can run
/// `DashboardServer` in its own task group or `ServiceGroup` instead.
///
/// ```swift
/// let dashboard = try DashboardRunner.start(try HTTPAddress("127.0.0.1:8080"), logger: logger)
/// print("dashboard on \(dashboard.url)")
/// var outputs = SessionOutputPair(exporter, DashboardOutput(hub: dashboard.hub))
/// // … the pipeline loop …
/// dashboard.stopAndWait()             // at the end (`replay --http`: after the first SIGINT/SIGTERM)
/// ```
public final class DashboardRunner: Sendable {
    public let hub: DashboardHub
    /// Where it listens, with the bound port (the requested one, or the system's pick for port 0).
    public let address: HTTPAddress
    /// Who may see the data (the token, beyond the default loopback address).
    public let access: DashboardAccess
    /// Served over HTTPS (`--tls-cert/--tls-key`).
    public let isTLS: Bool
    private let task: Task<Void, Never>
    /// The server's service group: `stopAndWait` shuts it down gracefully (no cancellation error logged).
    private let group: ServiceGroup

    private init(hub: DashboardHub, address: HTTPAddress, access: DashboardAccess, isTLS: Bool, task: Task<Void, Never>, group: ServiceGroup) {
        self.hub = hub
        self.address = address
        self.access = access
        self.isTLS = isTLS
        self.task = task
        self.group = group
    }

    /// The page's address as it must be opened, e.g. `http://127.0.0.1:8080/`, or
    /// `https://192.168.1.20:8080/?token=…` beyond loopback with TLS. Print it once; never log it again.
    public var url: String { access.url(address, https: isTLS) }

    /// The page's address without the token (`https://192.168.1.20:8080/`): what may be logged after the
    /// first print of `url`, which the token must never appear in again.
    public var urlWithoutToken: String { (isTLS ? "https://" : "http://") + "\(address)/" }

    /// Starts serving and returns once the socket listens. Blocks the calling thread until then:
    /// call it from a synchronous command, not from a Swift concurrency task.
    ///
    /// - Parameter tls: serve HTTPS with this certificate and key (`DashboardTLS`, checked before).
    /// - Throws: `DashboardRunnerError` when the address cannot be bound (in use, not local, …).
    public static func start(
        _ address: HTTPAddress, hub: DashboardHub = DashboardHub(), tls: DashboardTLS? = nil, logger: Logger
    ) throws(DashboardRunnerError) -> DashboardRunner {
        let outcome = Mutex<Result<Int, DashboardRunnerError>?>(nil)
        let started = DispatchSemaphore(value: 0)
        let server = DashboardServer(hub: hub, address: address, tls: tls, logger: logger)
        let serving = Serving {
            do {
                try await server.run { port in
                    outcome.withLock { $0 = .success(port) }
                    started.signal()
                }
            } catch {
                let failed = outcome.withLock { result -> Bool in
                    guard result == nil else { return false }
                    result = .failure(DashboardRunnerError(address: address, reason: DashboardRunnerError.reason(of: error)))
                    return true
                }
                if failed { started.signal() }
            }
        }
        let group = ServiceGroup(services: [serving], logger: logger)
        let task = Task { _ = try? await group.run() }
        started.wait()
        switch outcome.withLock({ $0 })! {
        case .success(let port):
            return DashboardRunner(
                hub: hub, address: HTTPAddress(host: address.host, port: port), access: server.access, isTLS: tls != nil, task: task,
                group: group)
        case .failure(let error):
            throw error
        }
    }

    /// Stops serving (open streams end; pages show "reconnecting").
    public func stop() {
        task.cancel()
    }

    /// Stops serving and waits until the server's task has ended (its socket and streams closed): nothing
    /// of it outlives the command. Blocks the calling thread: call it from a synchronous command, not
    /// from a Swift concurrency task.
    public func stopAndWait() {
        let ended = DispatchSemaphore(value: 0)
        Task { [group, task] in
            await group.triggerGracefulShutdown()
            await task.value
            ended.signal()
        }
        ended.wait()
    }
}

/// The server as the one service of the runner's group (its errors are the runner's to report).
private struct Serving: Service {
    let body: @Sendable () async -> Void
    func run() async throws { await body() }
}

/// The dashboard could not listen where asked.
public struct DashboardRunnerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var address: HTTPAddress
    /// What the system said.
    public var reason: String

    public var description: String {
        "Unable to serve the dashboard on '\(address)': \(reason). Choose another port with --http ADDRESS:PORT."
    }

    /// What a person needs from a failed bind: the system's words (`Address already in use`), not NIO's
    /// call site (`bind(descriptor:ptr:bytes:): … (errno: 98)`).
    static func reason(of error: any Error) -> String {
        switch error {
        case let error as IOError:
            return Errno(error.errnoCode).description
        case let error as SocketAddressError:
            switch error {
            case .unknown(let host, _): return "unknown host name '\(host)'"
            case .unsupported: return "unsupported address family"
            case .unixDomainSocketPathTooLong: return "Unix socket path too long"
            case .failedToParseIPString(let text): return "not an IP address: '\(text)'"
            }
        default:
            return "\(error)"
        }
    }
}
