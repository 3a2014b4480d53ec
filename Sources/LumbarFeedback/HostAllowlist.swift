import Glibc

/// The `Host` header values the dashboard answers (DNS-rebinding protection).
///
/// A web page on `http://evil.example:8080/` whose name an attacker re-points at 127.0.0.1 could
/// otherwise read `/api/session` and the streams of a loopback dashboard: the browser thinks it talks
/// to evil.example, but it sends `Host: evil.example:8080`. Only these hosts pass, each with the bound
/// port (without a port only when it is 80):
///
/// | bound to | allowed hosts |
/// |---|---|
/// | any address | `localhost`, `127.0.0.1`, `[::1]` |
/// | a name or address | that name or address too |
/// | `0.0.0.0` or `::` (every interface) | any IP address literal, and the machine's host name (and `NAME.local`) |
///
/// An IP literal cannot be the product of DNS rebinding (no name was resolved), which is why a wildcard
/// bind lets the LAN address through. Names compare case-insensitively.
public struct HostAllowlist: Sendable, Hashable {
    /// Lower-cased host names and IP literals (IPv6 without brackets).
    public var names: Set<String>
    /// The port the `Host` header must carry.
    public var port: Int
    /// True for a wildcard bind: any IP literal passes.
    public var anyIPAddress: Bool

    /// The loopback names, always allowed.
    public static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "::1"]

    /// - Parameters:
    ///   - boundHost: the host the server was bound to (`HTTPAddress.host`).
    ///   - port: the bound port (the system's pick when 0 was asked).
    ///   - machineName: this machine's host name, allowed with wildcard binds (`gethostname` by default).
    public init(boundHost: String, port: Int, machineName: String? = HostAllowlist.machineName()) {
        let bound = boundHost.lowercased()
        self.port = port
        anyIPAddress = bound == "0.0.0.0" || bound == "::" || bound.isEmpty
        var names = Self.loopbackNames
        if !bound.isEmpty { names.insert(bound) }
        if anyIPAddress, let machine = machineName?.lowercased(), !machine.isEmpty {
            names.insert(machine)
            names.insert(machine + ".local")
        }
        self.names = names
    }

    /// True when `authority` (the `Host` header: `name`, `name:port`, `[v6]:port`) is this server's.
    public func allows(_ authority: String) -> Bool {
        guard let (host, port) = Self.split(authority) else { return false }
        guard port ?? 80 == self.port else { return false }
        let name = host.lowercased()
        return names.contains(name) || (anyIPAddress && Self.isIPLiteral(name))
    }

    /// `(host, port)` of a `Host` value; nil when malformed (an unbracketed IPv6 address, a port that
    /// is not a number).
    static func split(_ authority: String) -> (host: Substring, port: Int?)? {
        let host: Substring
        let rest: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            rest = authority[authority.index(after: close)...]
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            rest = authority[colon...]
        } else {
            host = authority[...]
            rest = ""
        }
        guard !host.isEmpty else { return nil }
        if rest.isEmpty { return (host, nil) }
        let digits = rest.dropFirst()
        guard rest.first == ":", !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let port = Int(digits)
        else { return nil }
        return (host, port)
    }

    /// True for a dotted-quad IPv4 or an IPv6 address (`inet_pton`).
    static func isIPLiteral(_ text: String) -> Bool {
        var buffer = in6_addr()
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }

    /// This machine's host name (`gethostname`), nil when it cannot be read.
    public static func machineName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
