import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import LumbarCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The dashboard's HTTP server (Hummingbird 2): the page and its assets, the live streams and the
/// session as JSON. Runs until its task is cancelled.
///
/// | route | what |
/// |---|---|
/// | `GET /` | the dashboard page (`/dashboard.css`, `/dashboard.js` beside it; nothing from the network) |
/// | `GET /events` | Server-Sent Events: one `data: <JSON line>` per event (FORMATS.md §4) |
/// | `GET /api/session` | the `SessionSnapshot` as JSON |
/// | `GET /dashboard/stream` | the page's own stream: `state`, `trace` (≥ 30/s), `lumbar` messages |
/// | `POST /api/mute` | `{"muted":true}` or `{"muted":false}` (`Content-Type: application/json`): the page's mute button, which mutes the daemon's own sound too (`DashboardHub.onMute`) |
/// | `GET /api/people` | `{"person":…,"people":[…]}`: the session's person and everyone stored (the picker's list) |
/// | `POST /api/person` | `{"name":"…"}` (`Content-Type: application/json`): the session's person from now on, the reps already stored included (`DashboardHub.onChoosePerson`); 409 when nothing is stored |
///
/// Errors are `{"error":{"message":"…"}}` with the HTTP status.
///
/// Hardened for a daemon that shares its process with the sensors (`Limits`): every request's `Host`
/// must be this server's (`HostAllowlist`, 421 otherwise: DNS-rebinding protection); at most
/// `maxConnections` connections are served at once, fewer when the descriptor limit is low; a
/// connection that has not sent a whole request head within `headerTimeout` (slowloris), or stays idle
/// that long between requests, is closed. Beyond the default loopback address every route wants the
/// per-run access token or the session cookie it was traded for, and cross-site reads are refused
/// (`DashboardAccess`).
///
/// ```swift
/// let server = DashboardServer(hub: hub, address: try HTTPAddress("127.0.0.1:8080"), logger: logger)
/// try await server.run { port in logger.info("dashboard on port \(port)") }
/// ```
public struct DashboardServer: Service {
    public let hub: DashboardHub
    public let address: HTTPAddress
    /// Who may see the data: open on the default loopback address, a per-run token elsewhere.
    public let access: DashboardAccess
    /// HTTPS with the clinic's certificate and key (`--tls-cert/--tls-key`); nil: plain HTTP.
    public let tls: DashboardTLS?
    public let logger: Logger
    /// Interval between SSE heartbeat comments, which let a dead connection be noticed, seconds.
    public var heartbeatInterval: Duration = .seconds(5)
    /// Connection limits and timeouts.
    public var limits = Limits()

    /// What one client may hold of the server.
    ///
    /// | name | unit | default | meaning |
    /// |---|---|---|---|
    /// | `maxConnections` | connections | 128 | served at once; more wait in the listen backlog until one closes |
    /// | `reservedDescriptors` | file descriptors | 32 | kept free of connections for sensors and files: the limit is lowered to `RLIMIT_NOFILE − open − reserved` (at least 4) |
    /// | `headerTimeout` | seconds | 10 | a connection without a whole request head this long after it opened or after its last response is closed (an open stream is not: its response is in progress) |
    public struct Limits: Sendable, Hashable {
        public var maxConnections: Int
        public var reservedDescriptors: Int
        public var headerTimeout: Duration

        public init(maxConnections: Int = 128, reservedDescriptors: Int = 32, headerTimeout: Duration = .seconds(10)) {
            self.maxConnections = maxConnections
            self.reservedDescriptors = reservedDescriptors
            self.headerTimeout = headerTimeout
        }
    }

    /// - Parameters:
    ///   - access: nil: `DashboardAccess.forBind(host:)` (open on loopback, a new token elsewhere).
    ///   - tls: serve HTTPS with this certificate and key (a client speaking plain HTTP to the port has its
    ///     connection closed after the failed handshake; the server goes on).
    public init(
        hub: DashboardHub, address: HTTPAddress, limits: Limits = Limits(), access: DashboardAccess? = nil,
        tls: DashboardTLS? = nil, logger: Logger
    ) {
        self.hub = hub
        self.address = address
        self.access = access ?? .forBind(host: address.host)
        self.tls = tls
        self.limits = limits
        self.logger = logger
    }

    /// Serves until the calling task is cancelled or its `ServiceGroup` shuts down gracefully.
    public func run() async throws {
        try await run(onRunning: { _ in })
    }

    /// Serves until the calling task is cancelled or its `ServiceGroup` shuts down gracefully.
    ///
    /// - Parameter onRunning: called once the socket listens, with the bound port (useful with port 0).
    /// - Throws: when the address cannot be bound.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let hostCheck = HostCheckMiddleware<BasicRequestContext>()
        let host = address.host
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: TimeAmount(limits.headerTimeout)))
        let app = Application(
            router: makeRouter(hostCheck: hostCheck),
            server: try tls.map { try HTTPServerBuilder.tls(http1, tlsConfiguration: $0.configuration) } ?? http1,
            configuration: .init(
                address: .hostname(address.host, port: address.port), serverName: "lumbar",
                availableConnectionsDelegate: connectionLimit()),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                hostCheck.bind(HostAllowlist(boundHost: host, port: port))
                await onRunning(port)
            },
            logger: logger
        )
        let hub = self.hub
        let interval = heartbeatInterval
        defer { hub.close() }
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while true {
                        try await Task.sleep(for: interval)
                        hub.heartbeat()
                    }
                }
                group.addTask { try await app.run() }
                // The server ends on cancellation, graceful shutdown or a failed bind; the heartbeat with it.
                _ = try await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            // Open streams would hold the graceful shutdown forever: end them.
            hub.close()
        }
    }

    /// `limits.maxConnections`, lowered to fit the descriptors left (logged when lowered).
    private func connectionLimit() -> ConnectionLimit {
        let requested = limits.maxConnections
        guard let descriptorLimit = ConnectionLimit.descriptorLimit() else {
            return ConnectionLimit(maximum: requested, reason: "the configured limit", logger: logger)
        }
        // The server's event loops (NIO's shared group: an epoll, an eventfd and a timer per core) open
        // their descriptors on first use: count them in.
        _ = MultiThreadedEventLoopGroup.singleton
        let open = ConnectionLimit.openDescriptors()
        let maximum = ConnectionLimit.fitting(
            requested: requested, descriptorLimit: descriptorLimit, openDescriptors: open,
            reserved: limits.reservedDescriptors)
        guard maximum < requested else {
            return ConnectionLimit(maximum: requested, reason: "the configured limit", logger: logger)
        }
        let reason = "RLIMIT_NOFILE \(descriptorLimit) with \(open) open and \(limits.reservedDescriptors) kept for sensors and files"
        logger.info("Dashboard: at most \(maximum) connections at once (\(reason)).")
        return ConnectionLimit(maximum: maximum, reason: reason, logger: logger)
    }

    func makeRouter(hostCheck: HostCheckMiddleware<BasicRequestContext>) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: hostCheck)
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: AccessMiddleware(access: access, secureCookie: tls != nil))
        let hub = self.hub
        router.get("/") { _, _ in Self.asset(DashboardAssets.html, type: "text/html; charset=utf-8") }
        router.get("/dashboard.css") { _, _ in Self.asset(DashboardAssets.css, type: "text/css; charset=utf-8") }
        router.get("/dashboard.js") { _, _ in
            Self.asset(DashboardAssets.script, type: "text/javascript; charset=utf-8")
        }
        router.get("/api/session") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: hub.snapshot.json)))
        }
        router.post("/api/mute") { request, _ in
            try Self.requireJSON(request)
            let text = String(buffer: try await request.body.collect(upTo: 256)).filter { !$0.isWhitespace }
            let muted: Bool
            switch text {
            case "{\"muted\":true}": muted = true
            case "{\"muted\":false}": muted = false
            default: throw HTTPError(.badRequest, message: "POST /api/mute: expected {\"muted\":true} or {\"muted\":false}")
            }
            hub.setMuted(muted)
            return Self.json("{\"muted\":\(muted)}")
        }
        router.get("/api/people") { _, _ in
            let clinic = hub.snapshot.clinic
            var o = JSONObjectWriter()
            o.raw("person", clinic.person.map(JSONObjectWriter.quoted) ?? "null")
            o.raw("people", "[" + clinic.people.map(JSONObjectWriter.quoted).joined(separator: ",") + "]")
            return Self.json(o.finish())
        }
        router.post("/api/person") { request, _ in
            try Self.requireJSON(request)
            let body = try await request.body.collect(upTo: 4096)
            guard let name = PersonChoiceBody.name(in: String(buffer: body)) else {
                throw HTTPError(.badRequest, message: "POST /api/person: expected {\"name\":\"…\"}")
            }
            switch hub.choosePerson(name) {
            case nil:
                throw HTTPError(.conflict, message: "This dashboard's session is not stored: there is no person to choose")
            case .failure(let refusal)?:
                throw HTTPError(.badRequest, message: refusal.message)
            case .success(let stored)?:
                var o = JSONObjectWriter()
                o.string("person", stored)
                return Self.json(o.finish())
            }
        }
        router.get("/events") { _, _ in Self.eventStream(hub.subscribe(.events)) }
        router.get("/dashboard/stream") { _, _ in Self.eventStream(hub.subscribe(.dashboard)) }
        return router
    }

    /// Writes take JSON only: a page of another site cannot send it without a CORS preflight, which this
    /// server never answers (and `AccessMiddleware` refuses a foreign `Origin` first).
    private static func requireJSON(_ request: Request) throws {
        guard request.headers[.contentType]?.hasPrefix("application/json") == true else {
            throw HTTPError(.unsupportedMediaType, message: "\(request.method) \(request.uri.path) takes application/json")
        }
    }

    private static func json(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A `text/event-stream` response that writes the subscription's chunks as they come; a write that
    /// waits for a slow client only delays that client (the hub keeps queuing, bounded).
    private static func eventStream(_ subscription: DashboardSubscription) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"],
            body: .init { writer in
                while let chunk = await subscription.next() {
                    try await writer.write(ByteBuffer(string: chunk))
                }
                try await writer.finish(nil)
            })
    }
}

/// Turns every error into `{"error":{"message":…}}` with its status: routing errors (404) included.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.body == nil {
            let message = "\(error.status.reasonPhrase): \(request.method) \(request.uri.path)"
            throw HTTPError(error.status, headers: error.headers, message: message)
        }
    }
}

extension TimeAmount {
    /// The same span in NIO's nanoseconds (saturating).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self = .nanoseconds(overflow ? .max : nanos.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue)
    }
}
