import Logging
import LumbarIO
import ServiceLifecycle
import LumbarThreads

/// `lumbar live` as a service of the process's `ServiceGroup`: SIGINT/SIGTERM start its graceful
/// shutdown, which tells the session thread to stop; the thread then sends stop-streaming, flushes and
/// closes the recording and prints the summary, and the service returns.
///
/// The session itself stays on its own OS thread (`LiveDaemon.run`), not on a task: the path from a
/// readable port to the written event line takes no hop through the concurrency runtime.
struct LiveService: Service {
    let daemon: LiveDaemon

    func run() async throws {
        let daemon = self.daemon
        try await withGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                _ = OSThread(name: "lumbar-session") {
                    do {
                        try daemon.run()
                        done.resume()
                    } catch {
                        done.resume(throwing: error)
                    }
                }
            }
        } onGracefulShutdown: {
            daemon.requestShutdown()
        }
    }
}
