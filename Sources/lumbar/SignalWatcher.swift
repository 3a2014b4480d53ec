#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// Calls `action` (once) on the first SIGINT or SIGTERM; a second signal ends the process at once.
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
        // Retained for the process's lifetime: the watch never ends, whether or not the caller keeps the result.
        _ = Unmanaged.passRetained(source as AnyObject)
        return source
    }
}

/// True the first time only.
final class SignalLatch: Sendable {
    private let fired = Atomic<Bool>(false)

    func fire() -> Bool { !fired.exchange(true, ordering: .acquiringAndReleasing) }
}
