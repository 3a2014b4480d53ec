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
