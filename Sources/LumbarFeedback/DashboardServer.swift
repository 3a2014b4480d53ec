import Hummingbird
import Logging
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
///
/// Errors are `{"error":{"message":"…"}}` with the HTTP status.
///
/// ```swift
/// let server = DashboardServer(hub: hub, address: try HTTPAddress("127.0.0.1:8080"), logger: logger)
/// try await server.run { port in logger.info("dashboard on port \(port)") }
/// ```
public struct DashboardServer: Service {
    public let hub: DashboardHub
    public let address: HTTPAddress
    public let logger: Logger
    /// Interval between SSE heartbeat comments, which let a dead connection be noticed, seconds.
    public var heartbeatInterval: Duration = .seconds(5)

    public init(hub: DashboardHub, address: HTTPAddress, logger: Logger) {
        self.hub = hub
        self.address = address
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
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "lumbar"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
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

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
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
        router.get("/events") { _, _ in Self.eventStream(hub.subscribe(.events)) }
        router.get("/dashboard/stream") { _, _ in Self.eventStream(hub.subscribe(.dashboard)) }
        return router
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
