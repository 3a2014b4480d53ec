/// The bytes a newly opened port sent before it identified itself, kept with their receive times so
/// that the session gets them once the device info arrives (samples of a device that was already
/// streaming are not lost), bounded to the newest `limit` bytes in whole reads.
///
/// Why its own type: a port that never identifies itself (a babbling device, the wrong device) keeps
/// sending for as long as it is plugged in, and every read of it lands here on the session thread. The
/// cost of a read must therefore be that read's bytes, not the bytes already kept: the daemon used to keep
/// an array of read chunks inside the slot's state enum, and each read copied the whole array (the copy
/// on write of a shared enum payload), summed it and shifted it. At the 256 KiB limit that is a 256 KiB
/// copy per read: with a babbler delivering small reads (62-byte USB packets of an FTDI adapter) the
/// session thread spent all its time there and the real sensors' bytes waited (hil: the `garbage`
/// scenario stalled). Here appending copies the read once, dropping the oldest reads moves an index, and
/// the dead front is reclaimed only once it is as large as what is kept, so the bytes moved stay below
/// twice the bytes appended (`bytesMoved`, pinned by a test).
///
/// ```swift
/// var kept = HandshakeBuffer(limit: 256 << 10)
/// kept.append(bytes, receivedAt: now)          // each read before the device info
/// kept.forEachRead { bytes, receivedAt in session.receive(bytes, ...) }   // once identified
/// ```
public struct HandshakeBuffer: Sendable {
    /// Bytes kept at most (bytes); the newest read is kept whole even when it alone is larger.
    public let limit: Int
    /// Bytes moved by appends and reclaims since creation: the work done, for the linear-cost test.
    public private(set) var bytesMoved = 0
    /// `storage[head...]` are the kept bytes; before `head` is dead space, reclaimed lazily.
    private var storage: [UInt8] = []
    private var head = 0
    /// Start offset (in `storage`) and receive time of each kept read; `reads[firstRead...]` are live.
    private var reads: [(start: Int, receivedAt: Int64)] = []
    private var firstRead = 0

    /// - Parameter limit: bytes kept at most, > 0.
    public init(limit: Int) {
        precondition(limit > 0, "HandshakeBuffer.init: 'limit' must be > 0")
        self.limit = limit
    }

    /// Bytes kept now.
    public var count: Int { storage.count - head }

    /// Reads kept now.
    public var readCount: Int { reads.count - firstRead }

    /// Receive time of the oldest read kept (host ns), nil when empty.
    public var firstReceivedAt: Int64? { firstRead < reads.count ? reads[firstRead].receivedAt : nil }

    /// Keeps one read, then drops the oldest reads while more than `limit` bytes are kept.
    public mutating func append(_ bytes: UnsafeRawBufferPointer, receivedAt: Int64) {
        guard !bytes.isEmpty else { return }
        reads.append((storage.count, receivedAt))
        storage.append(contentsOf: bytes)
        bytesMoved += bytes.count
        while count > limit, readCount > 1 {
            firstRead += 1
            head = reads[firstRead].start
        }
        // Reclaim the dead front once it is at least as large as what is kept: each byte is moved at
        // most once more per time it survives such a reclaim, so the work stays linear in what was appended.
        if head > 0, head >= count {
            let live = count
            storage.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + head, byteCount: live)
            }
            storage.removeLast(head)
            bytesMoved += live
            let shift = head
            reads.removeFirst(firstRead)
            for index in reads.indices { reads[index].start -= shift }
            head = 0
            firstRead = 0
        }
    }

    /// Keeps one read held in an array.
    public mutating func append(_ bytes: [UInt8], receivedAt: Int64) {
        bytes.withUnsafeBytes { append($0, receivedAt: receivedAt) }
    }

    /// Calls `body` with each kept read, oldest first: its bytes (valid during the call) and receive time.
    public func forEachRead(_ body: (UnsafeRawBufferPointer, Int64) throws -> Void) rethrows {
        try storage.withUnsafeBytes { raw in
            for index in firstRead..<reads.count {
                let end = index + 1 < reads.count ? reads[index + 1].start : storage.count
                try body(UnsafeRawBufferPointer(rebasing: raw[reads[index].start..<end]), reads[index].receivedAt)
            }
        }
    }

    /// Forgets every kept byte (the storage stays allocated).
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        reads.removeAll(keepingCapacity: true)
        head = 0
        firstRead = 0
    }
}
