import Foundation

/// Runs a tool (openssl, curl) to its end on a thread of its own, off the Swift concurrency pool (whose few
/// threads the server under test needs): its exit status, standard output and standard error.
public func runTool(_ tool: String, _ arguments: [String]) async -> (status: Int32, stdout: String, stderr: String) {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            do { try process.run() } catch {
                continuation.resume(returning: (-1, "", "\(tool): \(error)"))
                return
            }
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            continuation.resume(returning: (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self)))
        }
    }
}
