import Foundation
import LoopbackSocket
import LumbarFeedback
import Testing

/// `--tls-cert/--tls-key` (issue 18): the dashboard over HTTPS with a certificate `openssl` makes for the test
/// (self-signed, for 127.0.0.2, in a temporary folder), spoken to by a real HTTPS client (curl, trusting that
/// certificate only). The token flow works over TLS with a `Secure` cookie; plain HTTP to the TLS port gets no
/// data and a closed connection; a bad handshake leaves the server serving; a bad file is one line naming it.
struct DashboardTLSTests {
    static let token = DashboardAccessTests.token

    /// A folder with `cert.pem` + `key.pem` (a pair), `other-key.pem` (another key) and `garbage.pem`.
    final class Certificates {
        let folder: String
        var cert: String { folder + "/cert.pem" }
        var key: String { folder + "/key.pem" }
        var otherKey: String { folder + "/other-key.pem" }
        var garbage: String { folder + "/garbage.pem" }

        init() async throws {
            folder = NSTemporaryDirectory() + "lumbar-tls-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let made = await runTool("/usr/bin/openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=lumbar-test", "-addext", "subjectAltName=IP:127.0.0.2", "-keyout", folder + "/key.pem",
                "-out", folder + "/cert.pem",
            ])
            try #require(made.status == 0, "openssl req: \(made.stderr)")
            let other = await runTool("/usr/bin/openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", otherKey])
            try #require(other.status == 0, "openssl genpkey: \(other.stderr)")
            try "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// curl over HTTPS trusting only the test's certificate: `-D -` puts the response head before the body.
    static func curl(_ certs: Certificates, _ url: String, _ extra: [String] = []) async -> (status: Int32, stdout: String, stderr: String) {
        await runTool("/usr/bin/curl", ["-sS", "--max-time", "20", "--cacert", certs.cert, "-D", "-"] + extra + [url])
    }

    /// The server closes the connection, perhaps after a few bytes (a TLS alert).
    static func closed(_ client: LoopbackHTTPClient) -> Bool {
        (0..<8).contains { _ in client.isClosedByServer(waitingMilliseconds: 10_000) }
    }

    static func statusCode(_ response: String) -> Int? {
        response.split(separator: "\r\n").first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
    }

    @Test func aMissingUnreadableNonPEMOrMismatchedFileIsOneLineNamingIt() async throws {
        let c = try await Certificates()
        let cases: [(String, String, String, String)] = [
            (c.folder + "/missing.pem", c.key, c.folder + "/missing.pem", "cannot read the TLS certificate: No such file or directory"),
            (c.cert, c.folder + "/nokey.pem", c.folder + "/nokey.pem", "cannot read the TLS private key: No such file or directory"),
            (c.folder, c.key, c.folder, "is a folder, not a TLS certificate file"),
            (c.garbage, c.key, c.garbage, "is not a PEM certificate"),
            (c.cert, c.garbage, c.garbage, "is not a PEM private key"),
            (c.cert, c.otherKey, c.otherKey, "is not the private key of the certificate '\(c.cert)'"),
        ]
        for (cert, key, named, problem) in cases {
            do {
                _ = try DashboardTLS(certificatePath: cert, keyPath: key)
                Issue.record("\(cert) + \(key) accepted")
            } catch {
                let line = error.description
                #expect(line.hasPrefix("TLS: '\(named)' ") && line.contains(problem) && !line.contains("\n"), "\(line)")
            }
        }
        #expect((try? DashboardTLS(certificatePath: c.cert, keyPath: c.key)) != nil, "the matching pair is taken")
    }

    @Test func theTokenFlowWorksOverTLSWithASecureCookie() async throws {
        let c = try await Certificates()
        let tls = try DashboardTLS(certificatePath: c.cert, keyPath: c.key)
        #expect(DashboardAccess(token: "abc").url(HTTPAddress(host: "10.0.0.5", port: 8443), https: true) == "https://10.0.0.5:8443/?token=abc")
        try await withDashboardServer(DashboardHub(), host: "127.0.0.2", access: DashboardAccess(token: Self.token), tls: tls) { port in
            let base = "https://127.0.0.2:\(port)"
            let anonymous = await Self.curl(c, base + "/api/session")
            #expect(anonymous.status == 0 && Self.statusCode(anonymous.stdout) == 401, "\(anonymous)")
            let login = await Self.curl(c, base + "/?token=\(Self.token)")
            #expect(Self.statusCode(login.stdout) == 303, "\(login)")
            let cookieLine = try #require(login.stdout.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") })
            #expect(cookieLine.contains("Secure") && cookieLine.contains("HttpOnly") && cookieLine.contains("SameSite=Lax"), "\(cookieLine)")
            let value = try #require(cookieLine.split(separator: ";").first?.split(separator: "=").last.map(String.init))
            let session = await Self.curl(c, base + "/api/session", ["-H", "Cookie: \(DashboardAccess.cookieName)=\(value)"])
            #expect(Self.statusCode(session.stdout) == 200 && session.stdout.contains(#""calibration":"waiting""#), "\(session)")
            // The certificate is what curl checked: without trusting it, no connection.
            let untrusted = await runTool("/usr/bin/curl", ["-sS", "--max-time", "20", base + "/"])
            #expect(untrusted.status == 60, "curl: \(untrusted)")
        }
    }

    @Test func plainHTTPToTheTLSPortGetsNoDataAndABadHandshakeLeavesTheServerServing() async throws {
        let c = try await Certificates()
        let tls = try DashboardTLS(certificatePath: c.cert, keyPath: c.key)
        try await withDashboardServer(DashboardHub(), host: "127.0.0.2", access: DashboardAccess(token: Self.token), tls: tls) { port in
            let plain = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
            try plain.get("/api/session", headers: ["Authorization: Bearer \(Self.token)"])
            #expect(Self.closed(plain), "the server closes a connection that does not speak TLS")
            let viaCurl = await runTool("/usr/bin/curl", ["-sS", "--max-time", "20", "-H", "Authorization: Bearer \(Self.token)", "http://127.0.0.2:\(port)/api/session"])
            #expect(viaCurl.status != 0 && !viaCurl.stdout.contains("calibration"), "plain HTTP gets no data: \(viaCurl)")
            // A handshake cut short (left open), and a ClientHello that is no ClientHello.
            let cut = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
            try cut.send("\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}")
            let junk = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
            try junk.send("\u{16}\u{03}\u{01}\u{00}\u{05}\u{01}\u{00}\u{00}\u{01}\u{00}")
            #expect(Self.closed(junk), "a broken handshake is closed (after a TLS alert)")
            let after = await Self.curl(c, "https://127.0.0.2:\(port)/api/session", ["-H", "Authorization: Bearer \(Self.token)"])
            #expect(Self.statusCode(after.stdout) == 200 && after.stdout.contains("calibration"), "still serving: \(after)")
            _ = cut
        }
    }
}
