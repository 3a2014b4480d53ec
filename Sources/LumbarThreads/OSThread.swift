#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable, named OS thread: the one way Lumbar runs blocking work off the caller's thread (the live
/// session thread, the libusb event pump, the sound player, the replay stages, the recorder's flusher, the
/// export writer). Blocking work (`poll`, `write`, `fsync`, a semaphore wait) never holds a thread of
/// Swift's cooperative pool, and Dispatch's global queues cap their threads near the core count, so a
/// second blocked stage could wait for a thread (measured: a three-stage replay took twice as long through
/// `DispatchQueue.global()`). Every thread is joined by its owner; see the README's "Concurrency" notes.
public final class OSThread: @unchecked Sendable {
    // @unchecked: `handle` is written once in `init` before any other thread can see `self`.
    private var handle: pthread_t

    /// Starts `body` on a new thread named `name` (what `top -H`, `ps -L` and debuggers show; the kernel
    /// keeps the first 15 bytes).
    public init(name: String, _ body: @escaping @Sendable () -> Void) {
        final class Box {
            let name: String
            let body: @Sendable () -> Void
            init(_ name: String, _ body: @escaping @Sendable () -> Void) { (self.name, self.body) = (name, body) }
        }
        let context = Unmanaged.passRetained(Box(name, body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t? = nil
        #endif
        let result = pthread_create(&thread, nil, { raw in
            #if canImport(Glibc)
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            // Glibc's `pthread_setname_np` needs _GNU_SOURCE, which Swift's Glibc module does not define: the
            // kernel's own interface instead (the name is cut to 15 bytes; no /proc leaves the default name).
            let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            if fd >= 0 {
                let name = Array(box.name.utf8.prefix(15))
                _ = name.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
            #else
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            _ = pthread_setname_np(box.name)
            #endif
            box.body()
            return nil
        }, context)
        precondition(result == 0, "OSThread.init: pthread_create failed with \(result)")
        #if canImport(Glibc)
        handle = thread
        #else
        handle = thread!
        #endif
    }

    /// Waits for the thread to finish. Call at most once, never from the thread itself.
    public func join() {
        _ = pthread_join(handle, nil)
    }

    /// CPU time the calling thread has used so far, s (`CLOCK_THREAD_CPUTIME_ID`).
    public static var cpuSeconds: Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
