// What every libFuzzer target of `make fuzz` shares: the command line (`--write-seeds ... DIR` or a
// libFuzzer run), seed files, and the input-chosen chunking each decoder check feeds its input through.

import CFuzzShim
import Glibc

/// The `main` of a fuzz target.
///
/// ```swift
/// FuzzDriver.main(name: "RecordingFuzzer", seedArguments: "DIR", seeds: { _ in seedFiles() }) { data, size in
///     check(data, size)
/// }
/// ```
public enum FuzzDriver {
    /// `NAME --write-seeds [ARGUMENTS...] DIR` writes the seeds `seeds(ARGUMENTS)` gives into DIR (nil or none:
    /// exit 1); anything else runs libFuzzer with `check`, then `cleanup`. Never returns.
    ///
    /// - Parameters:
    ///   - seedArguments: how many arguments `--write-seeds` takes before DIR.
    ///   - check: the per-input check; traps (fatalError, ASan) on a violated invariant, returns 0.
    public static func main(
        name: String, seedArguments: Int = 0, seeds: ([String]) -> [[UInt8]]?, cleanup: () -> Void = {},
        check: lumbar_fuzz_callback
    ) -> Never {
        let arguments = CommandLine.arguments
        if arguments.count == 3 + seedArguments && arguments[1] == "--write-seeds" {
            // The seeds are freed before `exit` (in `writeSeeds`): LeakSanitizer checks at exit.
            exit(writeSeeds(arguments: Array(arguments[2...]), seeds: seeds, name: name))
        }
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = lumbar_fuzz_run(&argc, &argv, check)
        cleanup()
        if status == -1 {
            print("\(name): not built with -sanitize=fuzzer; build with `make fuzz`")
            exit(2)
        }
        exit(status)
    }

    /// `seeds(ARGUMENTS)` written into DIR, the last of `arguments`; the exit status.
    static func writeSeeds(arguments: [String], seeds: ([String]) -> [[UInt8]]?, name: String) -> Int32 {
        guard let files = seeds(Array(arguments.dropLast())), !files.isEmpty else {
            print("\(name): no seeds written")
            return 1
        }
        return write(files, into: arguments[arguments.count - 1], name: name)
    }

    /// Writes `seeds` as `DIR/seed-0`, `DIR/seed-1`, … (DIR is created if missing).
    static func write(_ seeds: [[UInt8]], into directory: String, name: String) -> Int32 {
        mkdir(directory, 0o755)
        for (index, seed) in seeds.enumerated() {
            guard let out = fopen("\(directory)/seed-\(index)", "w") else {
                print("\(name): cannot write '\(directory)/seed-\(index)'")
                return 1
            }
            _ = seed.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, out) }
            fclose(out)
        }
        print("\(name): wrote \(seeds.count) seeds to \(directory)")
        return 0
    }

    /// Calls `body` with consecutive chunks of `bytes` whose lengths (1...64) are drawn from the input's own
    /// bytes, so the fuzzer explores how an input is split as well as what it holds.
    public static func forEachChunk(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        var cursor = 0
        while start < bytes.count {
            let length = Int(bytes[cursor % bytes.count] & 0x3F) + 1
            cursor += 1
            let end = min(bytes.count, start + length)
            body(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            start = end
        }
    }
}
