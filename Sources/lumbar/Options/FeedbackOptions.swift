import ArgumentParser
import LumbarFeedback

/// The feedback `live` and `replay` can give besides the terminal: the web dashboard (`--http`) and the
/// machine's own sound (`--sound` and how it sounds).
struct FeedbackOptions: ParsableArguments {
    @Option(
        help: "Serve the live web dashboard on ADDRESS:PORT, e.g. 127.0.0.1:8080 (loopback unless another address is given). After a replay it stays up until interrupted.",
        transform: HTTPAddress.parse)
    var http: HTTPAddress?

    @Option(name: .customLong("tls-cert"), help: "Serve the dashboard over HTTPS with this PEM certificate (chain) file; needs --tls-key.")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "The PEM private key of --tls-cert (unencrypted; keep it readable by lumbar only).")
    var tlsKey: String?

    @OptionGroup(title: "Sound")
    var sound: SoundOptions

    func validate() throws {
        switch (tlsCertificate, tlsKey) {
        case (nil, nil): break
        case (_?, nil): throw ValidationError("'--tls-cert' needs its private key: add '--tls-key FILE'.")
        case (nil, _?): throw ValidationError("'--tls-key' needs its certificate: add '--tls-cert FILE'.")
        case (_?, _?):
            if http == nil { throw ValidationError("'--tls-cert' and '--tls-key' serve the dashboard over HTTPS: add '--http ADDRESS:PORT'.") }
        }
    }

    /// The certificate and key read and checked (nil without `--tls-cert`): a bad file is one line on
    /// standard error naming it, and the command fails before anything listens.
    func dashboardTLS() throws -> DashboardTLS? {
        guard let tlsCertificate, let tlsKey else { return nil }
        do {
            return try DashboardTLS(certificatePath: tlsCertificate, keyPath: tlsKey)
        } catch {
            TerminalLines.standardError("error: \(error)")
            throw ExitCode.failure
        }
    }
}
