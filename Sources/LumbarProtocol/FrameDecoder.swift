/// The streaming decoder of one byte stream (one sensor): feed it chunks of any size, get packets.
///
/// Chunks may split frames anywhere; feeding a stream one byte at a time or all at once gives the
/// same outputs. Corrupt frames are dropped, counted and reported, and decoding resumes at the next
/// 0x00 delimiter. Sample sequence numbers are tracked to count lost samples. The decoder never traps
/// on any input and, in steady state, allocates nothing (batch storage is reused when the consumer
/// does not keep the previous batch).
///
/// ```swift
/// var decoder = FrameDecoder()
/// decoder.decode(chunk) { output in
///     switch output {
///     case .packet(.deviceInfo(let info)): scale = info.scale
///     case .packet(.sampleBatch(let batch)): batch.forEachSample(scale: scale) { fuse($0) }
///     case .dropped(let error): log.debug("\(error)")
///     default: break
///     }
/// }
/// ```
public struct FrameDecoder: Sendable {
    /// Totals since this decoder was created.
    public private(set) var counters = FrameDecoderCounters()

    /// Encoded bytes of the frame in progress (only when a frame straddles chunks); fixed capacity.
    private var pending: [UInt8]
    private var pendingCount = 0
    /// Decoded frame scratch, `maximumEncodedFrameLength` bytes.
    private var frame: [UInt8]
    /// Sample storage handed to `SampleBatch`es and reused when the consumer let go of it.
    private var samples: [RawImuSample]
    /// True after an oversize frame was reported, until its delimiter arrives.
    private var discarding = false
    /// Stream position of the first byte of the frame in progress.
    private var frameStart: UInt64 = 0
    /// Sequence number the next sample batch should start with; `nil` before the first batch.
    private var expectedSequence: UInt32?

    public init() {
        pending = [UInt8](repeating: 0, count: WireFormat.maximumEncodedFrameLength)
        frame = [UInt8](repeating: 0, count: WireFormat.maximumEncodedFrameLength)
        samples = []
        samples.reserveCapacity(SampleBatch.maximumSampleCount)
    }

    /// Decodes `bytes` and calls `body` with each output, in stream order.
    ///
    /// A frame that is incomplete at the end of `bytes` is kept and completed by the next call.
    /// If `body` throws, decoding stops and the rest of `bytes` is skipped.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, _ body: (DecoderOutput) throws -> Void) rethrows {
        // Fast path for small reads inside a frame (a serial port delivering a few bytes at a time):
        // no delimiter, nothing to report, just append.
        if !discarding, pendingCount + bytes.count <= WireFormat.maximumEncodedFrameLength,
            Self.firstDelimiter(in: bytes, from: 0) == bytes.count
        {
            if pendingCount == 0 { frameStart = counters.bytes }
            counters.bytes &+= UInt64(bytes.count)
            let start = pendingCount
            pending.withUnsafeMutableBytes {
                UnsafeMutableRawBufferPointer(rebasing: $0[start...]).copyMemory(from: bytes)
            }
            pendingCount += bytes.count
            return
        }
        var pending = self.pending
        var frame = self.frame
        var samples = self.samples
        self.pending = []
        self.frame = []
        self.samples = []
        defer {
            self.pending = pending
            self.frame = frame
            self.samples = samples
        }
        let streamStart = counters.bytes
        counters.bytes &+= UInt64(bytes.count)
        try pending.withUnsafeMutableBytes { pendingBuffer in
            try frame.withUnsafeMutableBytes { frameBuffer in
                let count = bytes.count
                var index = 0
                while index < count {
                    let end = Self.firstDelimiter(in: bytes, from: index)
                    let terminated = end < count
                    let segment = UnsafeRawBufferPointer(rebasing: bytes[index..<end])
                    if !discarding && !segment.isEmpty {
                        if pendingCount == 0 { frameStart = streamStart &+ UInt64(index) }
                        if pendingCount + segment.count > WireFormat.maximumEncodedFrameLength {
                            pendingCount = 0
                            discarding = true
                            counters.oversizeFrames &+= 1
                            try body(
                                .dropped(.oversize(offset: frameStart, limit: WireFormat.maximumEncodedFrameLength))
                            )
                        } else if pendingCount == 0 && terminated {
                            try decodeFrame(segment, frameBuffer, &samples, body)
                        } else {
                            UnsafeMutableRawBufferPointer(rebasing: pendingBuffer[pendingCount...]).copyMemory(
                                from: segment
                            )
                            pendingCount += segment.count
                        }
                    }
                    if terminated {
                        if pendingCount > 0 {
                            let whole = UnsafeRawBufferPointer(rebasing: pendingBuffer[0..<pendingCount])
                            pendingCount = 0
                            try decodeFrame(whole, frameBuffer, &samples, body)
                        }
                        discarding = false
                    }
                    index = end + 1
                }
            }
        }
    }

    /// Decodes `bytes` and calls `body` with each output, in stream order.
    public mutating func decode(_ bytes: [UInt8], _ body: (DecoderOutput) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try decode($0, body) }
    }

    /// Decodes `bytes` and calls `body` with each output, in stream order.
    public mutating func decode(_ bytes: ArraySlice<UInt8>, _ body: (DecoderOutput) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try decode($0, body) }
    }

    /// Decodes `bytes` and returns the outputs in stream order (convenient; allocates an array per call).
    public mutating func decode(_ bytes: [UInt8]) -> [DecoderOutput] {
        var outputs: [DecoderOutput] = []
        decode(bytes) { outputs.append($0) }
        return outputs
    }

    /// Index of the first 0x00 at or after `start`, or `bytes.count`. Tests eight bytes per step with the
    /// "has a zero byte" bit trick: (v - 0x01…01) & ~v & 0x80…80 is non-zero iff some byte of v is zero.
    @inline(__always)
    private static func firstDelimiter(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = bytes.count
        var index = start
        while count - index >= 8 {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < count && bytes[index] != WireFormat.delimiter { index += 1 }
        return index
    }

    /// Checks and parses one complete encoded frame (delimiter excluded).
    private mutating func decodeFrame(
        _ encoded: UnsafeRawBufferPointer,
        _ scratch: UnsafeMutableRawBufferPointer,
        _ samples: inout [RawImuSample],
        _ body: (DecoderOutput) throws -> Void
    ) rethrows {
        let offset = frameStart
        guard encoded.count <= WireFormat.maximumEncodedFrameLength else {
            counters.oversizeFrames &+= 1
            return try body(.dropped(.oversize(offset: offset, limit: WireFormat.maximumEncodedFrameLength)))
        }
        let length: Int
        switch COBS.decode(encoded, into: scratch) {
        case .success(let decoded): length = decoded
        case .failure(let invalid):
            counters.malformedFrames &+= 1
            return try body(.dropped(.invalidEncoding(offset: offset, position: invalid.position, code: invalid.code)))
        }
        guard length <= WireFormat.maximumFrameLength else {
            counters.oversizeFrames &+= 1
            return try body(.dropped(.oversize(offset: offset, limit: WireFormat.maximumEncodedFrameLength)))
        }
        guard length >= WireFormat.frameOverhead else {
            counters.malformedFrames &+= 1
            return try body(.dropped(.tooShort(offset: offset, length: length)))
        }
        let decoded = UnsafeRawBufferPointer(rebasing: scratch[0..<length])
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: decoded[0..<(length - 4)]))
        let received = UInt32(littleEndian: decoded.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self))
        guard computed == received else {
            counters.crcFailures &+= 1
            return try body(
                .dropped(.crcMismatch(offset: offset, length: length, received: received, computed: computed))
            )
        }
        guard decoded[0] == WireFormat.protocolVersion else {
            counters.malformedFrames &+= 1
            return try body(.dropped(.unsupportedVersion(offset: offset, version: decoded[0])))
        }
        guard let type = PacketType(rawValue: decoded[1]) else {
            counters.unknownPacketTypes &+= 1
            return try body(.dropped(.unknownPacketType(offset: offset, type: decoded[1], length: length)))
        }
        let payload = UnsafeRawBufferPointer(rebasing: decoded[2..<(length - 4)])
        switch Packet.parse(type: type, payload: payload, samples: &samples) {
        case .failure(let defect):
            counters.malformedFrames &+= 1
            return try body(
                .dropped(.malformedPayload(offset: offset, type: type, payloadLength: payload.count, defect: defect))
            )
        case .success(let packet):
            counters.frames &+= 1
            if case .sampleBatch(let batch) = packet {
                try track(batch, body)
            }
            try body(.packet(packet))
        }
    }

    /// Compares a batch's sequence number with the expected one and reports gaps and restarts.
    private mutating func track(_ batch: SampleBatch, _ body: (DecoderOutput) throws -> Void) rethrows {
        counters.samples &+= UInt64(batch.samples.count)
        defer { expectedSequence = batch.nextSequence }
        guard let expected = expectedSequence, expected != batch.sequence else { return }
        let ahead = batch.sequence &- expected
        if ahead < 1 << 31 {
            counters.sequenceGaps &+= 1
            counters.lostSamples &+= UInt64(ahead)
            try body(.samplesLost(SequenceGap(expected: expected, received: batch.sequence, lostSamples: ahead)))
        } else {
            counters.sequenceRestarts &+= 1
            try body(.sequenceRestarted(expected: expected, received: batch.sequence))
        }
    }
}
