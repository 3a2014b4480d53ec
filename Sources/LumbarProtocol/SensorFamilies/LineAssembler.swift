#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into LF-terminated messages for the line-based families (x-IMU3, text lines),
/// whatever the chunking: a message split across reads is kept in a fixed buffer until its LF arrives.
/// A message longer than the buffer is dropped whole (counted once, its bytes skipped).
///
/// Every message is handed over with its LF readable right after it (the byte at `message.count`), so a
/// parser may let the line's end stop its loops instead of checking each index (`DecimalText`'s
/// `inLine:` readers).
struct LineAssembler: Sendable {
    /// Longest message kept, LF excluded.
    let capacity: Int
    private var buffer: [UInt8]
    private var count = 0
    /// True after an overflow, until the LF that ends the oversize message.
    private var discarding = false
    /// Bytes of the oversize message dropped so far.
    private var droppedLength = 0

    /// An assembler for messages of up to `capacity` bytes; capacity 0 is the placeholder a decoder leaves
    /// in its property while it feeds its own copy: no storage (no allocation per chunk), never fed.
    init(capacity: Int) {
        self.capacity = capacity
        buffer = capacity == 0 ? [] : [UInt8](repeating: 0, count: capacity + 1)
    }

    /// The index of the first LF at or after `start`, or `bytes.count` when there is none: the C
    /// library's `memchr`, which compares a vector of bytes at a time (a byte loop cost as much as the
    /// parsing behind it).
    @inline(__always)
    static func lineFeed(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard let base = bytes.baseAddress, start < bytes.count else { return bytes.count }
        guard let found = memchr(base + start, 0x0A, bytes.count - start) else { return bytes.count }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// Calls `message` with each complete message in `bytes` (LF excluded, but readable right after it)
    /// and `oversize` with the byte count of each message dropped for length (reported when its LF arrives).
    @inline(__always)
    mutating func feed(
        _ bytes: UnsafeRawBufferPointer,
        message: (UnsafeRawBufferPointer) throws -> Void,
        oversize: (Int) throws -> Void
    ) rethrows {
        var buffer = self.buffer
        self.buffer = []
        defer { self.buffer = buffer }
        let total = bytes.count
        var index = 0
        try buffer.withUnsafeMutableBytes { storage in
            while index < total {
                let end = Self.lineFeed(in: bytes, from: index)
                let segment = end - index
                if discarding {
                    droppedLength += segment
                } else if count == 0 && end < total {
                    if segment <= capacity {
                        try message(UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                    } else {
                        try oversize(segment + 1)
                    }
                    index = end + 1
                    continue
                } else if count + segment > capacity {
                    discarding = true
                    droppedLength = count + segment
                    count = 0
                } else {
                    UnsafeMutableRawBufferPointer(rebasing: storage[count..<(count + segment)])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                    count += segment
                }
                if end < total {
                    if discarding {
                        discarding = false
                        try oversize(droppedLength + 1)
                        droppedLength = 0
                    } else {
                        let length = count
                        count = 0
                        storage[length] = 0x0A
                        try message(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<length]))
                    }
                }
                index = end + 1
            }
        }
    }
}
