import LumbarCore
import Testing

@testable import LumbarDevice

@Suite("Handshake buffer: what a port sent before it identified itself")
struct HandshakeBufferTests {
    /// The reads kept, as (bytes, receive time), oldest first.
    private func reads(of buffer: HandshakeBuffer) -> [([UInt8], Int64)] {
        var out: [([UInt8], Int64)] = []
        buffer.forEachRead { bytes, receivedAt in out.append((Array(bytes), receivedAt)) }
        return out
    }

    @Test func keepsTheNewestWholeReadsUpToTheLimitWithTheirReceiveTimes() {
        var buffer = HandshakeBuffer(limit: 10)
        buffer.append([1, 2, 3, 4], receivedAt: 100)
        buffer.append([5, 6, 7, 8], receivedAt: 200)
        #expect(buffer.count == 8)
        buffer.append([9, 10, 11, 12], receivedAt: 300)
        // 12 bytes > 10: the oldest read goes, whole.
        let kept = reads(of: buffer)
        #expect(kept.map(\.0) == [[5, 6, 7, 8], [9, 10, 11, 12]])
        #expect(kept.map(\.1) == [200, 300])
        #expect(buffer.count == 8)
        #expect(buffer.readCount == 2)
        #expect(buffer.firstReceivedAt == 200)
    }

    @Test func aReadLargerThanTheLimitIsKeptWholeAndAlone() {
        var buffer = HandshakeBuffer(limit: 4)
        buffer.append([1, 2], receivedAt: 1)
        buffer.append([3, 4, 5, 6, 7, 8], receivedAt: 2)
        #expect(reads(of: buffer).map(\.0) == [[3, 4, 5, 6, 7, 8]])
        #expect(buffer.firstReceivedAt == 2)
        buffer.append([9], receivedAt: 3)
        #expect(reads(of: buffer).map(\.0) == [[9]])
    }

    @Test func removeAllForgetsEverythingAndAnEmptyReadIsNoRead() {
        var buffer = HandshakeBuffer(limit: 8)
        buffer.append([1, 2, 3], receivedAt: 1)
        buffer.append([], receivedAt: 2)
        #expect(buffer.readCount == 1)
        buffer.removeAll()
        #expect(buffer.count == 0)
        #expect(buffer.firstReceivedAt == nil)
        #expect(reads(of: buffer).isEmpty)
        buffer.append([4], receivedAt: 3)
        #expect(reads(of: buffer).map(\.0) == [[4]])
    }

    /// The hil `garbage` stall: a babbler that never identifies itself, read in small pieces (an FTDI
    /// adapter's 62-byte USB packets; 8 bytes here), must cost each read its own bytes. Keeping the reads
    /// by copying everything kept per read moved 256 KiB per 8-byte read (over 60 GB for these 2 MiB).
    @Test func aPortThatNeverIdentifiesItselfCostsEachReadOnlyItsOwnBytes() {
        let limit = 256 << 10
        var buffer = HandshakeBuffer(limit: limit)
        var random = SplitMix64(seed: 7)
        var stream: [UInt8] = []
        let total = 2 << 20
        stream.reserveCapacity(total)
        var time: Int64 = 0
        while stream.count < total {
            let read = (0..<8).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            stream += read
            time += 1_000_000
            buffer.append(read, receivedAt: time)
        }
        #expect(buffer.bytesMoved <= 2 * total, "moved \(buffer.bytesMoved) bytes for \(total) appended")
        // And it kept exactly the newest `limit` bytes, in order, with the newest reads' times.
        #expect(buffer.count == limit)
        #expect(buffer.readCount == limit / 8)
        var kept: [UInt8] = []
        var times: [Int64] = []
        buffer.forEachRead { bytes, receivedAt in
            kept += bytes
            times.append(receivedAt)
        }
        #expect(kept == Array(stream.suffix(limit)))
        #expect(times.first == time - Int64(limit / 8 - 1) * 1_000_000)
        #expect(times.last == time)
    }
}
