#if canImport(Glibc)
import Glibc
#endif
import LumbarCore
import Testing

/// The one errno type: the C number kept for switching on, the meaning and name for one-line messages.
@Suite struct ErrnoTests {
    @Test func aNamedErrnoReadsAsItsMeaningThenItsCName() {
        #expect(Errno(ENOSPC).description == "no space left on device (ENOSPC)")
        #expect(Errno(EACCES).description == "permission denied (EACCES)")
        #expect(Errno(ENOENT).name == "ENOENT")
    }

    @Test func anUnnamedErrnoReadsAsItsMeaningAlone() {
        #expect(Errno(EADDRINUSE).description == "address already in use")
        #expect(Errno(EADDRINUSE).name == nil)
    }

    @Test func currentIsTheErrnoOfTheFailedCallJustMade() {
        #expect(close(-1) == -1)
        #expect(Errno.current == Errno(EBADF))
        #expect(Errno.current.rawValue == EBADF)
    }
}
