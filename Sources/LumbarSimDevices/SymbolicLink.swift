#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Points the symbolic link `link` at `target`, replacing it atomically (a new link, then `rename`), so
/// that an emulated sensor's stable name (`--link-dir`) never dangles half-made.
///
/// - Returns: the `errno` of a failure; nil when linked.
@discardableResult
public func replaceSymbolicLink(_ link: String, pointingTo target: String) -> Int32? {
    let temporary = link + ".new"
    unlink(temporary)
    guard symlink(target, temporary) == 0, rename(temporary, link) == 0 else { return errno }
    return nil
}

/// Removes the symbolic link `link` if it still points at `target` (an emulator's line it made): a link
/// left behind after the emulator ended would point at a pseudo-terminal number the system hands to the
/// next program that asks, and a daemon reopening the link would talk to that program.
///
/// - Returns: true when removed.
@discardableResult
public func removeSymbolicLink(_ link: String, ifPointingTo target: String) -> Bool {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink(link, &buffer, buffer.count - 1)
    guard n > 0, String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) == target else { return false }
    return unlink(link) == 0
}
