import LumbarProtocol

/// Reads a recording record by record, streaming (a fixed 1 MiB window, never the whole file).
///
/// Damage never stops it: a record with a wrong checksum or framing in the middle is skipped up to the
/// next valid record, and a file that ends inside a record (the writer was killed) ends the reading
/// there; both are listed in `damage`. Only a file that is not a recording at all is an error.
///
/// ```swift
/// let reader = try RecordingReader(path: "session.lrec")
/// while let record = try reader.next() {
///     // record.payload is valid until the next call to next()
/// }
/// for d in reader.damage { print("warning: \(d)") }
/// ```
public final class RecordingReader {
    /// One record; `payload` points into the reader's window and is valid until the next `next()`.
    public struct Record {
        /// The record type byte (see `RecordType`; unknown types are passed through for the caller to skip).
        public var rawType: UInt8
        /// The sensor index, or `RecordingFormat.noSensor`.
        public var sensor: UInt8
        /// Host monotonic receive time, nanoseconds.
        public var receiveTime: Int64
        /// The payload bytes.
        public var payload: UnsafeRawBufferPointer
        /// Byte offset of the record in the file.
        public var offset: Int64

        public var type: RecordType? { RecordType(rawValue: rawType) }
    }

    public let path: String
    /// The header record.
    public private(set) var header: RecordingHeader
    /// Damage found so far (torn tail, skipped records), in file order.
    public private(set) var damage: [RecordingDamage] = []
    /// True once the `end` record was read (the recorder closed the file cleanly).
    public private(set) var closedCleanly = false
    /// Bytes of the file consumed so far (for progress).
    public private(set) var bytesRead: Int64 = 0
    /// The file's size in bytes when opened.
    public let fileSize: Int64
    /// Bytes before the first record after the header: the magic, the header record and any damage before
    /// it. Every byte from here to the end of the file is in exactly one record read or one `damage` span.
    public private(set) var headerEnd: Int64 = 0

    private let fd: Int32
    private let capacity: Int
    private let window: UnsafeMutableRawBufferPointer
    private var start = 0  // first unconsumed byte in the window
    private var end = 0  // one past the last valid byte in the window
    private var fileOffsetOfWindow: Int64 = 0  // file offset of window[0]
    private var atEOF = false

    /// Opens `path` and reads its header.
    ///
    /// - Throws: `RecordingError` when the file cannot be opened or is not a Lumbar recording.
    public init(path: String, windowSize: Int = 1 << 20) throws(RecordingError) {
        self.path = path
        capacity = max(windowSize, 2 * (RecordingFormat.maximumPayload + 64))
        switch FileDescriptorIO.openForReading(path) {
        case .success(let fd): self.fd = fd
        case .failure(let e): throw RecordingError(path: path, message: "cannot open: \(e)", cause: e)
        }
        fileSize = FileDescriptorIO.size(fd) ?? 0
        window = .allocate(byteCount: capacity, alignment: 16)
        header = RecordingHeader(startUnixNanoseconds: 0, startHostNanoseconds: 0)
        try fill(RecordingFormat.magic.count)
        guard end - start >= RecordingFormat.magic.count,
            RecordingFormat.magic.indices.allSatisfy({ window[$0] == RecordingFormat.magic[$0] })
        else {
            if end - start >= 7, Array(window[0..<7]) == Array(RecordingFormat.magic[0..<7]) {
                guard end - start >= RecordingFormat.magic.count else {
                    throw RecordingError(
                        path: path, message: "only \(end - start) bytes: the recording ends before its format version")
                }
                throw RecordingError(
                    path: path, message: "recording format version \(window[7]) is not supported (this lumbar reads 1)")
            }
            throw RecordingError(path: path, message: "not a Lumbar recording (its first bytes are not 'LUMBREC')")
        }
        start += RecordingFormat.magic.count
        guard let first = try next(), first.type == .header,
            let h = RecordingHeader(text: KeyValueText(decoding: first.payload))
        else {
            throw RecordingError(path: path, message: "the header record is missing or damaged")
        }
        header = h
        headerEnd = position
    }

    deinit {
        window.deallocate()
        FileDescriptorIO.close(fd)
    }

    /// The next intact record, or nil at the end of the file (or of its intact part).
    ///
    /// After damage (a wrong marker, length or checksum) it searches forward, byte by byte, for the next
    /// record with a valid checksum; a damaged length that points past the end of the file is damage like
    /// any other, not the end of the reading. Damage that reaches the end of the file is a torn tail when
    /// it starts with a record the file ends inside (the writer was killed mid-write).
    ///
    /// - Throws: `RecordingError` only when reading the file fails (an I/O error).
    public func next() throws(RecordingError) -> Record? {
        let h = RecordingFormat.recordHeaderSize
        var damageStart: Int64? = nil
        /// True when the damage starts with a record that runs past the end of the file.
        var damageRunsPastEnd = false
        defer { bytesRead = fileOffsetOfWindow + Int64(start) }
        while true {
            try fill(h)
            let available = end - start
            if available < h {
                // The end of the file: what is left (and any damage before it) is not a record.
                let from = damageStart ?? position
                let kind: RecordingDamage.Kind = damageStart == nil || damageRunsPastEnd ? .tornTail : .corrupt
                note(kind, from: from, to: position + Int64(available), next: nil)
                start = end
                return nil
            }
            let base = window.baseAddress! + start
            let marker = base.loadUnaligned(as: UInt16.self).littleEndian
            let length = Int(base.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian)
            if marker != RecordingFormat.marker || length > RecordingFormat.maximumPayload {
                if damageStart == nil { damageStart = position }
                start += 1
                continue
            }
            let total = h + length + RecordingFormat.recordTrailerSize
            try fill(total)
            if end - start < total {
                // The file ends inside this record, or its length is damaged: a valid record may follow.
                if damageStart == nil {
                    damageStart = position
                    damageRunsPastEnd = true
                }
                start += 1
                continue
            }
            let b = window.baseAddress! + start
            let stored = b.loadUnaligned(fromByteOffset: h + length, as: UInt32.self).littleEndian
            let computed = CRC32C.checksum(UnsafeRawBufferPointer(start: b, count: h + length))
            if stored != computed {
                if damageStart == nil { damageStart = position }
                start += 1
                continue
            }
            let record = Record(
                rawType: b.load(fromByteOffset: 2, as: UInt8.self),
                sensor: b.load(fromByteOffset: 3, as: UInt8.self),
                receiveTime: Int64(bitPattern: b.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian),
                payload: UnsafeRawBufferPointer(start: b + h, count: length), offset: position)
            if let d = damageStart { note(.corrupt, from: d, to: position, next: record.receiveTime) }
            start += total
            if record.type == .end { closedCleanly = true } else { lastReceiveTime = record.receiveTime }
            return record
        }
    }

    /// The receive time of the last record read (not counting `end`, which carries no time).
    private var lastReceiveTime: Int64?

    private var position: Int64 { fileOffsetOfWindow + Int64(start) }

    /// Records damage from byte `from` up to byte `to`, between the last record read and the one at `next` (ns).
    private func note(_ kind: RecordingDamage.Kind, from: Int64, to: Int64, next: Int64?) {
        guard to > from else { return }
        damage.append(RecordingDamage(
            kind: kind, offset: from, length: to - from, receivedAfter: lastReceiveTime, receivedBefore: next))
    }

    /// Makes at least `count` bytes available after `start` unless the file ends first.
    private func fill(_ count: Int) throws(RecordingError) {
        while end - start < count && !atEOF {
            if start + count > capacity {
                // Slide the unconsumed bytes to the front.
                let n = end - start
                if n > 0 { window.baseAddress!.copyMemory(from: window.baseAddress! + start, byteCount: n) }
                fileOffsetOfWindow += Int64(start)
                start = 0
                end = n
            }
            switch FileDescriptorIO.read(fd, into: window.baseAddress! + end, count: capacity - end) {
            case .success(0): atEOF = true
            case .success(let n): end += n
            case .failure(let e): throw RecordingError(path: path, message: "read failed: \(e)", cause: e)
            }
        }
    }
}
