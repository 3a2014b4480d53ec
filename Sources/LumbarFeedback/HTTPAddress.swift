/// Where the dashboard listens, from the `--http ADDRESS:PORT` option.
///
/// Loopback unless the user names another address: `8080` and `:8080` mean `127.0.0.1:8080`.
/// IPv6 addresses go in brackets: `[::1]:8080`. Port 0 asks the system for a free port.
public struct HTTPAddress: Sendable, Hashable, CustomStringConvertible {
    /// A host name or IP address, without brackets.
    public var host: String
    /// TCP port, 0...65535 (0: any free port).
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `ADDRESS:PORT`, `[IPv6]:PORT`, `:PORT` or `PORT`.
    ///
    /// - Throws: `HTTPAddressError` naming the text and what was wrong.
    public init(_ text: String) throws(HTTPAddressError) {
        var hostPart: Substring
        var portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw HTTPAddressError(text: text, problem: "an IPv6 address in brackets has no closing ']'")
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else {
                throw HTTPAddressError(text: text, problem: "the port is missing after ']'")
            }
            portPart = rest.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") {
                throw HTTPAddressError(text: text, problem: "an IPv6 address must be written in brackets, e.g. '[::1]:8080'")
            }
        } else {
            hostPart = ""
            portPart = Substring(text)
        }
        if hostPart.isEmpty { hostPart = "127.0.0.1" }
        guard let port = Int(portPart), (0...65535).contains(port) else {
            throw HTTPAddressError(text: text, problem: "the port must be a number from 0 to 65535")
        }
        self.host = String(hostPart)
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// An `--http` value that is not `ADDRESS:PORT`.
public struct HTTPAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text as given.
    public var text: String
    /// What was wrong with it.
    public var problem: String

    public init(text: String, problem: String) {
        self.text = text
        self.problem = problem
    }

    public var description: String {
        "Invalid HTTP address '\(text)': \(problem) (expected ADDRESS:PORT, e.g. 127.0.0.1:8080)."
    }
}
