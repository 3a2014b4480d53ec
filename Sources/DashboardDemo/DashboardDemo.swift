import ArgumentParser
import Glibc
import LumbarCore
import LumbarFeedback
import Logging

/// Serves the dashboard from a scripted session, without sensors: calibration, then sets of reps on
/// each leg where every `--fault-every`-th rep arches the lower back past the threshold.
///
/// For the browser test (which drives it sped up) and for looking at the page:
/// `swift run DashboardDemo --http 127.0.0.1:8080`, then open http://127.0.0.1:8080/.
@main
struct DashboardDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serves the Lumbar dashboard from a scripted session (no sensors needed).")

    // Parsed once, here; the error names the option and what is wrong with the address.
    @Option(help: "Where to listen, ADDRESS:PORT (port 0: any free port, printed on stdout; default 127.0.0.1:8080).", transform: { try HTTPAddress($0) })
    var http = HTTPAddress(host: "127.0.0.1", port: 8080)

    @Option(help: "Pace relative to real time (1 = as live).")
    var speed = 1.0

    @Option(help: "Reps in the session (split into sets of --set-size, alternating legs).")
    var reps = 12

    @Option(help: "Reps per set.")
    var setSize = 6

    @Option(help: "Every N-th rep arches the lower back past the threshold (0: never).")
    var faultEvery = 3

    @Option(help: "Trace points per second of session time (the hub forwards at most 60).")
    var sampleRate = 100.0

    @Flag(help: "Exit when the script ends instead of serving until interrupted.")
    var exitWhenDone = false

    func validate() throws {
        guard speed > 0 else { throw ValidationError("'--speed' must be > 0, got '\(speed)'") }
        guard reps >= 0, setSize > 0 else { throw ValidationError("'--reps' must be >= 0 and '--set-size' > 0") }
        guard sampleRate >= 1 else { throw ValidationError("'--sample-rate' must be >= 1 Hz") }
    }

    func run() async throws {
        var logger = Logger(label: "lumbar.dashboard-demo")
        logger.logLevel = .warning
        // Sped up, the page still gets about 60 trace points per wall second, as in a live session.
        let hub = DashboardHub(settings: .init(traceInterval: max(1, speed) / 60))
        let server = DashboardServer(hub: hub, address: http, logger: logger)
        let script = DemoScript(reps: reps, setSize: setSize, faultEvery: faultEvery, sampleRate: sampleRate)
        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        let host = http.host
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.run { port in
                    readyContinuation.yield(port)
                    readyContinuation.finish()
                }
            }
            var iterator = ready.makeAsyncIterator()
            guard let port = await iterator.next() else { return }
            printLine("dashboard on http://\(HTTPAddress(host: host, port: port))/")
            try await script.play(into: hub, speed: speed)
            printLine("script done")
            if exitWhenDone {
                group.cancelAll()
            } else {
                try await group.next()
            }
        }
    }
}

/// Prints a line and flushes it at once: the browser test reads the port from a pipe.
private func printLine(_ text: String) {
    print(text)
    fflush(nil)
}
