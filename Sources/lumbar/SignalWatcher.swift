#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Calls `action` (once) on the first SIGINT or SIGTERM; a second signal ends the process at once.
/// The returned sources must stay alive while watching.
@discardableResult
func stopOnSignals(_ action: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
    let fired = SignalLatch()
    return [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            if fired.fire() { action() } else { exit(128 + number) }
        }
        source.resume()
        SignalLatch.keep(source)
        return source
    }
}

/// True the first time only; keeps signal sources alive for the process's lifetime.
final class SignalLatch: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private var fired = false
    private let lock = DispatchQueue(label: "lumbar.signal")
    // nonisolated(unsafe): appended to only by `stopOnSignals`, which a command calls once, from its
    // main thread, before it starts any other thread; never read (it only keeps the sources alive).
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    func fire() -> Bool { lock.sync { defer { fired = true }; return !fired } }

    static func keep(_ source: any DispatchSourceSignal) { sources.append(source) }
}
