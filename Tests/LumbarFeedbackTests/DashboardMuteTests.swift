import LumbarFeedback
import Synchronization
import Testing

/// `POST /api/mute`: the page's Mute button also mutes the daemon's own sound (issue 17), and nothing but
/// this dashboard's own page may press it (a cross-site request is refused before it reaches the route).
struct DashboardMuteTests {
    static func post(_ port: Int, body: String, headers: [String] = ["Content-Type: application/json"]) async throws -> (Int, String) {
        let client = try LoopbackHTTPClient(port: port)
        let extra = headers.map { $0 + "\r\n" }.joined()
        try client.send("POST /api/mute HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\(extra)Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let head = try await client.readHead()
        return (head.status, try await client.readBody())
    }

    @Test func thePagesMuteButtonReachesTheDaemonAndUnmutesAgain() async throws {
        let hub = DashboardHub()
        let heard = Mutex<[Bool]>([])
        hub.onMute { muted in heard.withLock { $0.append(muted) } }
        try await withDashboardServer(hub) { port in
            let on = try await Self.post(port, body: #"{"muted": true}"#)
            #expect(on.0 == 200 && on.1 == #"{"muted":true}"#)
            #expect(hub.isMuted)
            let off = try await Self.post(port, body: #"{"muted":false}"#)
            #expect(off.0 == 200 && off.1 == #"{"muted":false}"#)
            #expect(!hub.isMuted)
            #expect(heard.withLock { $0 } == [true, false])
        }
    }

    @Test func anythingButThePagesJSONIsRefusedAndChangesNothing() async throws {
        let hub = DashboardHub()
        try await withDashboardServer(hub) { port in
            let form = try await Self.post(port, body: "muted=true", headers: ["Content-Type: application/x-www-form-urlencoded"])
            #expect(form.0 == 415)
            let wrong = try await Self.post(port, body: #"{"muted":"yes"}"#)
            #expect(wrong.0 == 400)
            // A page of another site posting to a loopback dashboard (CSRF): refused by the Origin check.
            let crossSite = try await Self.post(
                port, body: #"{"muted":true}"#, headers: ["Content-Type: application/json", "Origin: http://evil.example"])
            #expect(crossSite.0 == 403)
            #expect(!hub.isMuted)
        }
    }
}
