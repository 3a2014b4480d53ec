#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable OS thread for blocking `poll` loops (one per serial port, one for libusb events), so a
/// blocked read never holds a thread of Swift's cooperative pool.
public final class OSThread: @unchecked Sendable {
    // @unchecked: `handle` is written once in `init` before any other thread can see `self`.
    private var handle: pthread_t

    /// Starts `body` on a new thread.
    public init(name: String, _ body: @escaping @Sendable () -> Void) {
        final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t? = nil
        #endif
        let result = pthread_create(&thread, nil, { raw in
            #if canImport(Glibc)
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            #else
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
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
}
