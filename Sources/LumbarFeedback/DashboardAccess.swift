/// Who may see a person's live data on the dashboard.
///
/// A dashboard on the default loopback address (`127.0.0.1`, `::1`, `localhost`) is open, as before: only
/// this machine reaches it (and `HostAllowlist` stops DNS rebinding). Any other bind (a LAN address,
/// `0.0.0.0`, even `127.0.0.2`) serves health data to whoever can reach the port, so it asks for a per-run
/// access token: the daemon prints the URL that carries it (`http://HOST:PORT/?token=…`, and a QR code), the
/// first visit trades it for a session cookie (HttpOnly, SameSite=Lax, and Secure when the dashboard is served
/// over TLS, so that a browser never sends it over plain HTTP), and every route then wants the
/// cookie (or `Authorization: Bearer TOKEN`, for tools). The token is 128 random bits from the system's
/// generator (`getrandom`), new on every start.
///
/// | request | open | token |
/// |---|---|---|
/// | `Origin` of another site (`Sec-Fetch-Site: cross-site`) | 403 | 403 |
/// | `?token=TOKEN` | served | 303 to the same path without it, with the session cookie |
/// | `?token=` anything else | served | 401 |
/// | session cookie or `Authorization: Bearer TOKEN` | served | served |
/// | nothing | served | 401 |
public struct DashboardAccess: Sendable, Hashable {
    /// The access token; nil for an open (loopback) dashboard.
    public var token: String?

    /// The cookie that carries a browser's session after it traded the token.
    public static let cookieName = "lumbar_session"

    /// An open dashboard (no token).
    public static let open = DashboardAccess(token: nil)

    public init(token: String?) {
        self.token = token
    }

    /// Open on the default loopback names, a new token on every other bind.
    public static func forBind(host: String) -> DashboardAccess {
        isDefaultLoopback(host) ? .open : DashboardAccess(token: randomHex(bytes: 16))
    }

    /// `127.0.0.1`, `::1` and `localhost` (case-insensitively): the addresses only this machine can reach
    /// and that `--http PORT` chooses. Other loopback addresses are treated like a LAN address, so that a
    /// test can try the token on `127.0.0.2` without a network namespace.
    public static func isDefaultLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host.lowercased())
    }

    /// The page's address as it must be opened: `https://` when served over TLS, with `?token=…` when one
    /// is needed.
    public func url(_ address: HTTPAddress, https: Bool = false) -> String {
        (https ? "https://" : "http://") + "\(address)/" + (token.map { "?token=" + $0 } ?? "")
    }

    /// `count` random bytes as lowercase hex (the system generator: `getrandom(2)` on Linux).
    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(2 * count)
        for _ in 0..<count {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Compares secrets in time that depends on their length only (no early exit on the first difference).
    static func secretsMatch(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
