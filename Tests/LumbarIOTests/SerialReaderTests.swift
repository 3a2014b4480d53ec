import Glibc
import Synchronization
import Testing

@testable import LumbarIO

@Suite("Serial reader thread")
struct SerialReaderTests {
    /// Collects what a reader delivers and lets the test wait for its end.
    final class Collector: Sendable {
        let bytes = Mutex<[UInt8]>([])
        let endings = Mutex<[DeviceError?]>([])
        let stream: AsyncStream<Void>
        let continuation: AsyncStream<Void>.Continuation

        init() { (stream, continuation) = AsyncStream.makeStream() }

        func deliver(_ event: SerialReader.Event) {
            switch event {
            case .chunk(let chunk): bytes.withLock { $0 += chunk.bytes }
            case .ended(let reason):
                endings.withLock { $0.append(reason) }
                continuation.finish()
            }
        }

        func waitForEnd() async { for await _ in stream {} }
    }

    @Test func deliversAllBytesInOrderThenReportsTheUnplug() async throws {
        let device = try PseudoTerminal()
        let collector = Collector()
        let reader = try SerialReader(port: SerialPort(path: device.devicePath)) { collector.deliver($0) }
        let sent = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for start in stride(from: 0, to: sent.count, by: 333) {
            try device.write(Array(sent[start..<min(start + 333, sent.count)]))
        }
        // Wait until everything arrived, then unplug.
        while collector.bytes.withLock({ $0.count }) < sent.count { try await Task.sleep(for: .milliseconds(5)) }
        device.close()
        await collector.waitForEnd()
        #expect(collector.bytes.withLock { $0 } == sent)
        let endings = collector.endings.withLock { $0 }
        #expect(endings.count == 1)
        #expect(endings.first??.code == .vanished)
        reader.stop()
        #expect(reader.port.fileDescriptor == -1)
    }

    @Test func stopEndsTheReaderWithoutAnErrorAndClosesThePort() async throws {
        let device = try PseudoTerminal()
        let collector = Collector()
        let reader = try SerialReader(port: SerialPort(path: device.devicePath)) { collector.deliver($0) }
        reader.stop()
        await collector.waitForEnd()
        #expect(collector.endings.withLock { $0.count } == 1)
        #expect(collector.endings.withLock { $0.first! } == nil)
        #expect(reader.port.fileDescriptor == -1)
        // The device node is free again: it opens anew.
        _ = try SerialPort(path: device.devicePath)
    }
}
