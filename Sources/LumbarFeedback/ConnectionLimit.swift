import Glibc
import HummingbirdCore
import Logging

/// At most `maximum` dashboard connections open at once (Hummingbird's `AvailableConnectionsDelegate`:
/// above it the server stops accepting, and new connections wait in the kernel's listen backlog, holding
/// no descriptor of ours, until one closes). Says so in the log when the limit is reached: once, then at
/// most once a minute.
///
/// Why: every connection costs the process a file descriptor, and the same descriptor table holds the
/// sensors' ports and the recording. Unbounded, 200 idle connections at `RLIMIT_NOFILE` 128 made the
/// sensors' reopening fail with "Too many open files". `fitting` sizes the limit to what is left.
struct ConnectionLimit: AvailableConnectionsDelegate {
    /// Connections served at once.
    let maximum: Int
    /// Why this number, for the log line ("the configured limit", or the descriptor budget).
    let reason: String
    let logger: Logger
    private(set) var open = 0
    private var lastWarning: ContinuousClock.Instant?
    /// Seconds between two log lines about the limit.
    static let warningInterval: Duration = .seconds(60)

    init(maximum: Int, reason: String, logger: Logger) {
        self.maximum = maximum
        self.reason = reason
        self.logger = logger
    }

    mutating func connectionOpened() {
        open += 1
        guard open >= maximum else { return }
        let now = ContinuousClock.now
        if let last = lastWarning, now - last < Self.warningInterval { return }
        lastWarning = now
        logger.warning(
            "Dashboard: \(open) connections open, the limit (\(reason)); new connections wait until one closes.")
    }

    mutating func connectionClosed() {
        open -= 1
    }

    func isAcceptingNewConnections() -> Bool {
        open < maximum
    }

    /// The fewest connections a limit allows: a page and its stream, and a few more.
    static let minimum = 4

    /// The connection limit that leaves `reserved` descriptors free for sensors and files:
    /// `requested`, lowered to what fits under `descriptorLimit` once `openDescriptors` are counted,
    /// never below `minimum`.
    static func fitting(requested: Int, descriptorLimit: Int, openDescriptors: Int, reserved: Int) -> Int {
        max(minimum, min(requested, descriptorLimit - openDescriptors - reserved))
    }

    /// The process's soft `RLIMIT_NOFILE`; nil when unlimited or unreadable.
    static func descriptorLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {  // RLIM_INFINITY
            return nil
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// How many descriptors the process has open now (`/proc/self/fd`, less the one reading it).
    static func openDescriptors() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != CChar(46) { count += 1 }  // not "." or ".."
        }
        return max(0, count - 1)
    }
}
