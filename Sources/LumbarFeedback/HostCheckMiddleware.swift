import Hummingbird
import Synchronization

/// Refuses every request whose `Host` is not this dashboard's (`HostAllowlist`): 421 Misdirected
/// Request, or 400 without a `Host`, as the documented `{"error":{"message":"…"}}`. Runs first, so a
/// refused request reaches no route and subscribes to no stream.
///
/// The allowlist needs the bound port, known only once the socket listens: `bind(_:)` sets it then,
/// before the first connection is handled; until then every request is refused.
final class HostCheckMiddleware<Context: RequestContext>: RouterMiddleware, Sendable {
    private let allowlist = Mutex<HostAllowlist?>(nil)

    /// Sets the hosts to answer.
    func bind(_ hosts: HostAllowlist) {
        allowlist.withLock { $0 = hosts }
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let authority = request.head.authority else {
            throw HTTPError(.badRequest, message: "Bad Request: no Host header")
        }
        guard let hosts = allowlist.withLock({ $0 }), hosts.allows(authority) else {
            let port = allowlist.withLock { $0?.port }.map { ":\($0)" } ?? ""
            throw HTTPError(
                .misdirectedRequest,
                message: "Misdirected Request: Host '\(authority)' is not this dashboard's address "
                    + "(open it as http://localhost\(port)/ or by the address it listens on)")
        }
        return try await next(request, context)
    }
}
