#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which process holds the `flock` on a device node, so that a refused open can name it
/// ("in use by another program (pid 4242, lumbar)").
///
/// Linux lists every lock in `/proc/locks`, one per line:
/// `3: FLOCK  ADVISORY  WRITE 4242 00:19:5 0 EOF` — kind, pid, then the node as
/// `MAJOR:MINOR:INODE` (major and minor of the file system's device in hex, the inode in decimal).
/// A pid of another PID namespace shows as 0 or -1: then the holder is unknown.
enum DeviceLockHolder {
    /// A process by id and command name (`/proc/PID/comm`).
    struct Process: Sendable, Hashable, CustomStringConvertible {
        var pid: Int32
        var name: String?

        var description: String { name.map { "pid \(pid), \($0)" } ?? "pid \(pid)" }
    }

    /// The holder of the lock on the node open at `fd`, now; nil when it cannot be told.
    static func holder(of fd: Int32) -> Process? {
        system_fileIdentity(fd).flatMap(holder(of:))
    }

    /// The holder of the lock on the node at `path` (after links), now; nil when it cannot be told.
    static func holder(ofPath path: String) -> Process? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return holder(of: (UInt64(info.st_dev), UInt64(info.st_ino)))
    }

    private static func holder(of node: (device: UInt64, inode: UInt64)) -> Process? {
        guard let bytes = FileSystem.contents(of: "/proc/locks"),
            let pid = pid(inProcLocks: String(decoding: bytes, as: UTF8.self), device: node.device, inode: node.inode)
        else { return nil }
        let name = FileSystem.contents(of: "/proc/\(pid)/comm", limit: 64).map {
            String(decoding: $0, as: UTF8.self).split(separator: "\n").first?.trimmingWhitespace() ?? ""
        }
        return Process(pid: pid, name: name.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The pid of the `FLOCK` listed in `text` (the contents of `/proc/locks`) for the node `inode` on
    /// the file system `device` (an `st_dev`); nil when none is listed or its pid is not visible here.
    static func pid(inProcLocks text: String, device: UInt64, inode: UInt64) -> Int32? {
        let wanted = "\(String(major(device), radix: 16)):\(String(minor(device), radix: 16)):\(inode)"
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            // "N:" "FLOCK" "ADVISORY" "WRITE" pid node …; a waiting lock has "->" after "N:".
            guard fields.count >= 6, fields[1] == "FLOCK", let pid = Int32(fields[4]), pid > 0 else { continue }
            if Self.sameNode(fields[5], wanted) { return pid }
        }
        return nil
    }

    /// `MAJOR:MINOR:INODE` texts compared as numbers (the kernel pads major and minor to two digits).
    private static func sameNode(_ listed: Substring, _ wanted: String) -> Bool {
        let a = listed.split(separator: ":"), b = wanted.split(separator: ":")
        guard a.count == 3, b.count == 3 else { return false }
        return UInt64(a[0], radix: 16) == UInt64(b[0], radix: 16) && UInt64(a[1], radix: 16) == UInt64(b[1], radix: 16)
            && UInt64(a[2]) == UInt64(b[2])
    }

    /// Linux's `dev_t` layout (glibc's `gnu_dev_major`): 12 bits of major in bits 8–19, the rest above 32.
    static func major(_ device: UInt64) -> UInt64 { ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff) }

    /// Linux's `dev_t` layout (glibc's `gnu_dev_minor`): 8 bits of minor in bits 0–7, the rest from bit 20.
    static func minor(_ device: UInt64) -> UInt64 { (device & 0xff) | ((device >> 12) & ~0xff) }
}
