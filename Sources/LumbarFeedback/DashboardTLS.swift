#if canImport(Glibc)
import Glibc
#endif
import HummingbirdTLS
import NIOSSL

/// HTTPS for the dashboard (`--tls-cert FILE --tls-key FILE`): the certificate chain and private key the
/// clinic gives, both PEM, checked once at start so that a wrong file is one line before anything listens.
///
/// Why checked here and not at the first connection: NIOSSL would otherwise accept the files and fail every
/// handshake later, which a phone shows as "cannot connect" with no word on the daemon's terminal.
///
/// ```swift
/// let tls = try DashboardTLS(certificatePath: "/etc/lumbar/cert.pem", keyPath: "/etc/lumbar/key.pem")
/// let server = DashboardServer(hub: hub, address: address, tls: tls, logger: logger)
/// ```
public struct DashboardTLS: Sendable {
    public let certificatePath: String
    public let keyPath: String
    /// The server configuration (TLS 1.2 or newer, the chain and key as given).
    public let configuration: TLSConfiguration

    /// Reads and checks the certificate chain and the private key.
    ///
    /// - Throws: `DashboardTLSError`, one line naming the file: missing or unreadable, not PEM, or a key that
    ///   is not the certificate's.
    public init(certificatePath: String, keyPath: String) throws(DashboardTLSError) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        try Self.checkReadable(certificatePath, what: "certificate")
        try Self.checkReadable(keyPath, what: "private key")
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw DashboardTLSError(path: certificatePath, problem: "is not a PEM certificate ('-----BEGIN CERTIFICATE-----')")
        }
        guard !chain.isEmpty else {
            throw DashboardTLSError(path: certificatePath, problem: "holds no PEM certificate ('-----BEGIN CERTIFICATE-----')")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw DashboardTLSError(path: keyPath, problem: "is not a PEM private key, or one protected by a passphrase (lumbar takes an unencrypted key)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        // Building the context is where BoringSSL compares the key with the certificate.
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw DashboardTLSError(
                path: keyPath, problem: "is not the private key of the certificate '\(certificatePath)'")
        }
        self.configuration = configuration
    }

    /// A file that does not exist, is a folder or cannot be read: the system's words.
    private static func checkReadable(_ path: String, what: String) throws(DashboardTLSError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw DashboardTLSError(path: path, problem: "cannot read the TLS \(what): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT != S_IFDIR else {
            throw DashboardTLSError(path: path, problem: "is a folder, not a TLS \(what) file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw DashboardTLSError(path: path, problem: "cannot read the TLS \(what): \(String(cString: strerror(errno)))")
        }
        close(fd)
    }
}

/// A certificate or key file that cannot serve HTTPS.
public struct DashboardTLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file at fault.
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "TLS: '\(path)' \(problem)." }
}
