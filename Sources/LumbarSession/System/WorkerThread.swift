#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a detached POSIX thread for a long-running, blocking job (a replay stage).
///
/// Not a Dispatch work item: a stage blocks on semaphores for its whole life, and Dispatch's global
/// queues cap their threads near the core count, so a second blocked stage could wait for a thread
/// (measured: replay on three stages took twice as long through `DispatchQueue.global()`).
enum WorkerThread {
    /// Runs `body` on a new detached thread.
    static func start(_ body: @escaping @Sendable () -> Void) {
        // @unchecked: holds only an immutable `@Sendable` closure (a box so it can cross as a raw pointer).
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, context)
        precondition(rc == 0, "WorkerThread.start: pthread_create failed (\(rc))")
        pthread_detach(thread)
    }

    /// CPU time the calling thread has used so far, s (`CLOCK_THREAD_CPUTIME_ID`).
    static var cpuSeconds: Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
