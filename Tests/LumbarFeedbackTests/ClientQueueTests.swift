import Testing

@testable import LumbarFeedback

struct ClientQueueTests {
    private func item(_ n: UInt64) -> ClientQueue.Item { .init(sequence: n, text: "\(n);") }

    @Test func dropsOldestTracesWhenFullButKeepsEveryEvent() {
        var q = ClientQueue(traceCapacity: 3, eventCapacity: 100)
        for n in UInt64(1)...10 {
            if n % 4 == 0 { q.enqueueEvent(item(n)) } else { q.enqueueTrace(item(n)) }
        }
        // Events 4 and 8 kept; traces 1,2,3,5,6,7,9,10 -> the newest three: 7, 9, 10.
        #expect(q.droppedTraces == 5)
        #expect(q.drain().map(\.sequence) == [4, 7, 8, 9, 10])
        #expect(q.isEmpty)
    }

    @Test func drainsInPublicationOrder() {
        var q = ClientQueue(traceCapacity: 10, eventCapacity: 10)
        q.enqueueTrace(item(1))
        q.enqueueEvent(item(2))
        q.enqueueTrace(item(3))
        q.enqueueEvent(item(4))
        q.enqueueEvent(item(5))
        #expect(q.drain().map(\.text).joined() == "1;2;3;4;5;")
    }

    @Test func overflowsInsteadOfDroppingAnEvent() {
        var q = ClientQueue(traceCapacity: 2, eventCapacity: 2)
        q.enqueueEvent(item(1))
        q.enqueueEvent(item(2))
        #expect(!q.overflowed)
        q.enqueueEvent(item(3))
        #expect(q.overflowed)
        #expect(q.isEmpty)
        q.enqueueTrace(item(4))
        #expect(q.isEmpty)
    }
}
