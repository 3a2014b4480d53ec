import LumbarFeedback
import Testing

struct HTTPAddressTests {
    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080, "address and port"),
        ("8080", "127.0.0.1", 8080, "port alone means loopback"),
        (":9000", "127.0.0.1", 9000, "empty host means loopback"),
        ("0.0.0.0:80", "0.0.0.0", 80, "every interface, when asked"),
        ("[::1]:8080", "::1", 8080, "IPv6 in brackets"),
        ("localhost:0", "localhost", 0, "port 0 asks for a free port"),
    ])
    func parsesAddressAndPort(text: String, host: String, port: Int, what: String) throws {
        let address = try HTTPAddress(text)
        #expect(address.host == host, "\(what)")
        #expect(address.port == port, "\(what)")
    }

    @Test(arguments: [
        ("127.0.0.1:http", "the port must be a number from 0 to 65535"),
        ("127.0.0.1:70000", "the port must be a number from 0 to 65535"),
        ("::1:8080", "an IPv6 address must be written in brackets, e.g. '[::1]:8080'"),
        ("[::1:8080", "an IPv6 address in brackets has no closing ']'"),
        ("[::1]8080", "the port is missing after ']'"),
        ("", "the port must be a number from 0 to 65535"),
    ])
    func rejectsMalformedAddressNamingTheProblem(text: String, problem: String) {
        #expect(throws: HTTPAddressError(text: text, problem: problem)) { try HTTPAddress(text) }
    }

    @Test func describesIPv6WithBrackets() {
        #expect(HTTPAddress(host: "::1", port: 80).description == "[::1]:80")
        #expect(HTTPAddress(host: "127.0.0.1", port: 80).description == "127.0.0.1:80")
    }
}
