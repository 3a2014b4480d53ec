import Hummingbird
import Synchronization

/// Enforces `DashboardAccess` on every route (after the `Host` check, before any route or stream):
/// cross-site reads refused, the token traded for a session cookie, everything else wants the cookie.
///
/// Errors are the documented `{"error":{"message":"…"}}`: 403 for a cross-site request, 401 without a
/// valid session. The token and session values are never logged.
final class AccessMiddleware<Context: RequestContext>: RouterMiddleware, Sendable {
    private let access: DashboardAccess
    /// The dashboard is served over TLS: the cookie is `Secure` (never sent over plain HTTP).
    private let secureCookie: Bool
    /// Session cookie values handed out, oldest first (at most `maximumSessions`: the oldest is forgotten).
    private let sessions = Mutex<[String]>([])
    static var maximumSessions: Int { 256 }

    init(access: DashboardAccess, secureCookie: Bool = false) {
        self.access = access
        self.secureCookie = secureCookie
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try Self.refuseCrossSite(request)
        guard let token = access.token else { return try await next(request, context) }
        if let offered = request.uri.queryParameters["token"] {
            guard DashboardAccess.secretsMatch(String(offered), token) else {
                throw HTTPError(.unauthorized, message: "Unauthorized: this is not the dashboard's current token "
                    + "(it changes on every start: use the URL lumbar printed last)")
            }
            let session = DashboardAccess.randomHex(bytes: 16)
            sessions.withLock { list in
                list.append(session)
                if list.count > Self.maximumSessions { list.removeFirst(list.count - Self.maximumSessions) }
            }
            // The same page without the token in the address bar (and in its history).
            var response = Response(
                status: .seeOther, headers: [.location: request.uri.path.isEmpty ? "/" : request.uri.path, .cacheControl: "no-store"])
            response.setCookie(
                Cookie(
                    name: DashboardAccess.cookieName, value: session, path: "/", secure: secureCookie, httpOnly: true,
                    sameSite: .lax))
            return response
        }
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer "),
            DashboardAccess.secretsMatch(String(authorization.dropFirst("Bearer ".count)), token)
        {
            return try await next(request, context)
        }
        if let cookie = request.cookies[DashboardAccess.cookieName],
            sessions.withLock({ $0.contains { DashboardAccess.secretsMatch($0, cookie.value) } })
        {
            return try await next(request, context)
        }
        throw HTTPError(.unauthorized, message: "Unauthorized: open the dashboard with the URL (and its token) "
            + "that lumbar printed when it started")
    }

    /// A page of another site may not read the dashboard: a request whose `Origin` is not this `Host`, or that
    /// the browser marks cross-site (`Sec-Fetch-Site`) other than a top-level navigation, is refused.
    static func refuseCrossSite(_ request: Request) throws {
        if let origin = request.headers[.origin] {
            let authority = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first
            guard let authority, let host = request.head.authority, authority.lowercased() == host.lowercased() else {
                throw HTTPError(.forbidden, message: "Forbidden: cross-origin request from '\(origin)'")
            }
        }
        if let site = request.headers[.init("Sec-Fetch-Site")!], site == "cross-site",
            request.headers[.init("Sec-Fetch-Mode")!] != "navigate"
        {
            throw HTTPError(.forbidden, message: "Forbidden: cross-site request")
        }
    }
}
