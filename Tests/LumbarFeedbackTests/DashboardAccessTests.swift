import LumbarFeedback
import Testing

/// Issue 18: `--http 0.0.0.0:PORT` served a person's live health data to anyone on the network with no
/// password. Beyond the default loopback address every route now wants the per-run token (or the session
/// cookie it was traded for); cross-site reads are refused everywhere. The server runs for real, bound to
/// `127.0.0.2`, which the access rule treats like a LAN address.
struct DashboardAccessTests {
    static let token = "0123456789abcdef0123456789abcdef"
    static let routes = ["/", "/dashboard.css", "/dashboard.js", "/api/session", "/events", "/dashboard/stream", "/nowhere"]

    @Test func theDefaultLoopbackStaysOpenAndEveryOtherBindGetsAFreshToken() {
        for host in ["127.0.0.1", "::1", "localhost", "LOCALHOST"] {
            #expect(DashboardAccess.forBind(host: host).token == nil, "\(host)")
        }
        for host in ["0.0.0.0", "::", "192.168.1.20", "127.0.0.2", "lumbar.local"] {
            let a = DashboardAccess.forBind(host: host)
            let b = DashboardAccess.forBind(host: host)
            #expect(a.token?.count == 32 && a.token?.allSatisfy(\.isHexDigit) == true, "\(host): \(a)")
            #expect(a.token != b.token, "a new token on every start")
        }
        #expect(DashboardAccess(token: "abc").url(HTTPAddress(host: "10.0.0.5", port: 8080)) == "http://10.0.0.5:8080/?token=abc")
        #expect(DashboardAccess.open.url(HTTPAddress(host: "127.0.0.1", port: 8080)) == "http://127.0.0.1:8080/")
    }

    @Test func withoutTheTokenEveryRouteIncludingTheStreamsAnswers401() async throws {
        try await withDashboardServer(DashboardHub(), host: "127.0.0.2", access: DashboardAccess(token: Self.token)) { port in
            for route in Self.routes {
                let client = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
                try client.get(route)
                #expect(try await client.readHead().status == 401, "\(route)")
                #expect(try await client.readBody().contains("open the dashboard with the URL"), "\(route)")
            }
            for (what, header) in [
                ("a wrong cookie", "Cookie: lumbar_session=\(Self.token)"),
                ("a wrong bearer token", "Authorization: Bearer 0000"),
            ] {
                let client = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
                try client.get("/api/session", headers: [header])
                #expect(try await client.readHead().status == 401, "\(what)")
            }
            let wrong = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
            try wrong.get("/?token=ffffffffffffffffffffffffffffffff")
            #expect(try await wrong.readHead().status == 401)
        }
    }

    @Test func theFirstVisitTradesTheTokenForAnHttpOnlySameSiteCookie() async throws {
        try await withDashboardServer(DashboardHub(), host: "127.0.0.2", access: DashboardAccess(token: Self.token)) { port in
            let first = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
            try first.get("/?token=\(Self.token)")
            let head = try await first.readHead()
            #expect(head.status == 303 && head.headers["location"] == "/", "the token leaves the address bar")
            let setCookie = try #require(head.headers["set-cookie"])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/"))
            let session = try #require(setCookie.split(separator: ";").first?.split(separator: "=").last.map(String.init))
            #expect(session != Self.token, "the cookie is a session of its own, not the token")
            for route in Self.routes.filter({ $0 != "/nowhere" && !$0.contains("stream") && $0 != "/events" }) {
                let client = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
                try client.get(route, headers: ["Cookie: lumbar_session=\(session)"])
                #expect(try await client.readHead().status == 200, "\(route) with the cookie")
            }
            let stream = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
            try stream.get("/dashboard/stream", headers: ["Cookie: lumbar_session=\(session)"])
            #expect(try await stream.readHead().status == 200)
            let tool = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
            try tool.get("/api/session", headers: ["Authorization: Bearer \(Self.token)"])
            #expect(try await tool.readHead().status == 200, "tools may send the token as a bearer token")
        }
    }

    @Test func aPageOfAnotherSiteCannotReadTheDashboardEvenOnLoopback() async throws {
        try await withDashboardServer(DashboardHub()) { port in
            for headers in [
                ["Origin: http://evil.example"],
                ["Origin: null"],
                ["Origin: http://127.0.0.1:\(port + 1)"],
                ["Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: cors"],
            ] {
                let client = try LoopbackHTTPClient(port: port)
                try client.get("/api/session", headers: headers)
                #expect(try await client.readHead().status == 403, "\(headers)")
            }
            for headers in [["Origin: http://127.0.0.1:\(port)"], ["Sec-Fetch-Site: same-origin"], []] {
                let client = try LoopbackHTTPClient(port: port)
                try client.get("/api/session", headers: headers)
                #expect(try await client.readHead().status == 200, "\(headers)")
            }
        }
    }

    @Test func theTokenAndTheSessionNeverReachTheLog() async throws {
        let log = LogRecorder()
        try await withDashboardServer(
            DashboardHub(), host: "127.0.0.2", access: DashboardAccess(token: Self.token), log: log, logLevel: .trace
        ) { port in
            let first = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
            try first.get("/?token=\(Self.token)")
            let head = try await first.readHead()
            let session = String(head.headers["set-cookie"]?.split(separator: ";").first?.split(separator: "=").last ?? "")
            let second = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
            try second.get("/api/session", headers: ["Cookie: lumbar_session=\(session)"])
            _ = try await second.readHead()
            #expect(!session.isEmpty)
            let lines = log.linesWithMetadata()
            #expect(!lines.isEmpty, "the server logged its requests (the check below means something)")
            #expect(lines.allSatisfy { !$0.contains(Self.token) && !$0.contains(session) }, "\(lines)")
        }
    }
}
