import Dispatch
import Logging
import LumbarFeedback
import Testing

/// The background server that synchronous commands use.
struct DashboardRunnerTests {
    /// `DashboardRunner.start` blocks its thread until the socket listens: run it off the Swift pool, as a
    /// synchronous command's thread would.
    private func start(_ address: HTTPAddress) async -> Result<DashboardRunner, DashboardRunnerError> {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "command").async {
                var logger = Logger(label: "test")
                logger.logLevel = .critical
                continuation.resume(returning: Result { () throws(DashboardRunnerError) in
                    try DashboardRunner.start(address, logger: logger)
                })
            }
        }
    }

    @Test func servesOnTheBoundPortAndRefusesAPortInUse() async throws {
        let runner = try await start(HTTPAddress(host: "127.0.0.1", port: 0)).get()
        defer { runner.stop() }
        #expect(runner.address.port > 0)
        #expect(runner.url == "http://127.0.0.1:\(runner.address.port)/")
        runner.hub.publish(.calibrated(time: 1, posture: "quadruped", exercise: "donkey_kick"))
        let client = try LoopbackHTTPClient(port: runner.address.port)
        try client.get("/api/session")
        #expect(try await client.readHead().status == 200)
        #expect(try await client.readBody().contains(#""posture":"quadruped""#))

        let second = await start(runner.address)
        guard case .failure(let error) = second else {
            Issue.record("a second server on \(runner.address) should not start")
            return
        }
        // The system's words, not NIO's call site (issue 14 item 11: it said "bind(descriptor:ptr:bytes:): …").
        #expect(error.description == "Unable to serve the dashboard on '127.0.0.1:\(runner.address.port)': "
            + "address already in use. Choose another port with --http ADDRESS:PORT.")
    }
}
