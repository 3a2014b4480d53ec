#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore

/// Real-time scheduling for the calling thread: `SCHED_FIFO` at a fixed priority, so a sensor's bytes
/// wake the session thread at once instead of waiting for a time slice behind ordinary processes.
///
/// Linux only allows it to root, to a process with `CAP_SYS_NICE`, or within `RLIMIT_RTPRIO` (the
/// systemd unit's `CPUSchedulingPolicy=fifo` / `CPUSchedulingPriority=` or `LimitRTPRIO=` grant it).
/// The thread only ever blocks in `poll` and runs a few microseconds per read, so it cannot starve the
/// machine: three 400 Hz sensors cost it about 2 % of one core.
public enum RealtimeScheduling {
    /// The priority used: low among real-time priorities (1…99), above every ordinary thread.
    public static let defaultPriority: Int32 = 10

    /// Puts the calling thread under `SCHED_FIFO` at `priority`.
    ///
    /// - Throws: `DeviceError` (code `.io`) naming what to grant, when the system refuses (`EPERM`).
    public static func makeCurrentThreadRealtime(priority: Int32 = defaultPriority) throws(DeviceError) {
        #if os(Linux)
        var parameters = sched_param()
        parameters.sched_priority = priority
        let status = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
        guard status == 0 else {
            throw DeviceError(
                code: .io, device: "the session thread",
                message: "Unable to use real-time scheduling (SCHED_FIFO \(priority)): \(Errno(status)). "
                    + "Run as root, grant CAP_SYS_NICE, or set LimitRTPRIO= in the systemd unit.",
                errno: Errno(status))
        }
        #endif
    }

    /// The calling thread's policy: "fifo", "rr" or "other".
    public static var currentPolicy: String {
        #if os(Linux)
        var policy: Int32 = 0
        var parameters = sched_param()
        guard pthread_getschedparam(pthread_self(), &policy, &parameters) == 0 else { return "other" }
        switch policy {
        case SCHED_FIFO: return "fifo"
        case SCHED_RR: return "rr"
        default: return "other"
        }
        #else
        return "other"
        #endif
    }
}
