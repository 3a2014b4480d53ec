import Glibc
import LumbarThreads
import Testing

@testable import LumbarIO

@Suite("Port multiplexer: several ports read on the polling thread")
struct PortMultiplexerTests {
    @Test func deliversEachPortsBytesInOrderUnderItsTagThenItsUnplug() throws {
        let devices = [try PseudoTerminal(), try PseudoTerminal()]
        let mux = try PortMultiplexer(chunkSize: 97)
        for (tag, device) in devices.enumerated() { mux.add(try SerialPort(path: device.devicePath), tag: tag) }
        let sent = devices.indices.map { d in (0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ d) } }
        var received: [[UInt8]] = [[], []]
        var endings: [Int: DeviceError] = [:]
        for start in stride(from: 0, to: 5_000, by: 500) {
            for d in devices.indices { try devices[d].write(Array(sent[d][start..<start + 500])) }
            // Poll until this round arrived (a generous bound keeps a broken multiplexer from hanging the run).
            var rounds = 0
            while received.contains(where: { $0.count < start + 500 }), rounds < 10_000 {
                rounds += 1
                mux.poll(timeoutNanoseconds: 1_000_000_000) { tag, event in
                    if case .bytes(let bytes, _) = event { received[tag] += bytes }
                }
            }
        }
        #expect(received == sent)
        devices[1].close()
        var rounds = 0
        while endings.isEmpty, rounds < 100 {
            rounds += 1
            mux.poll(timeoutNanoseconds: 1_000_000_000) { tag, event in
                if case .ended(let error) = event { endings[tag] = error }
            }
        }
        #expect(endings.keys.sorted() == [1])
        #expect(endings[1]?.code == .vanished)
        #expect(mux.port(tag: 1) == nil, "an ended port leaves the set")
        #expect(mux.port(tag: 0) != nil)
    }

    @Test func aWakeFromAnotherThreadEndsTheWaitAndSaysSo() throws {
        let mux = try PortMultiplexer()
        let waker = mux.waker
        let thread = OSThread(name: "waker") { waker.wake() }
        var woken = false
        var rounds = 0
        while !woken, rounds < 100 {
            rounds += 1
            woken = mux.poll(timeoutNanoseconds: 1_000_000_000) { _, _ in Issue.record("no port, no event") }
        }
        thread.join()
        #expect(woken)
        // The wake was consumed: the next poll times out without being woken.
        #expect(mux.poll(timeoutNanoseconds: 0) { _, _ in } == false)
    }

    @Test func removingAPortClosesIt() throws {
        let device = try PseudoTerminal()
        let mux = try PortMultiplexer()
        let port = try SerialPort(path: device.devicePath)
        mux.add(port, tag: 7)
        mux.remove(tag: 7)
        #expect(port.fileDescriptor == -1)
        #expect(mux.port(tag: 7) == nil)
    }
}
