#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The host's monotonic clock (`CLOCK_MONOTONIC`), in seconds: the receive time stamped on every
/// chunk read from a sensor. It is the same clock in every process of the machine, so a benchmark
/// in another process can compare its own write times with the daemon's.
public enum HostClock {
    /// Nanoseconds since an arbitrary fixed point (boot): the receive-time unit of the session pipeline.
    public static func nanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// Seconds since an arbitrary fixed point (boot), with nanosecond resolution.
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}
