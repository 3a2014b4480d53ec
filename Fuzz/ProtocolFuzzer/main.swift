// libFuzzer target for the frame decoders (`make fuzz`). Build:
//   swift build -c release --scratch-path .build-fuzz --product ProtocolFuzzer -Xswiftc -sanitize=fuzzer,address
// Run (bounded, seeded from the golden vectors):
//   SWIFT_BACKTRACE=enable=no .build-fuzz/release/ProtocolFuzzer -max_total_time=60 CORPUS_DIR
// Seed corpus: `ProtocolFuzzer --write-seeds firmware-protocol/vectors/vectors.json CORPUS_DIR`.
//
// For each input it checks what must hold for any bytes at all:
// - LumbarProtocol's decoder does not trap (ASan and Swift's checks are on);
// - feeding the input in chunks chosen by the input itself gives the same outputs as feeding it whole;
// - every byte is counted;
// - the C reference decoder (also instrumented) reaches exactly the same counters.

import CLumbarProtocol
import FuzzSupport
import Glibc
import LumbarProtocol

func check(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)

    var whole = FrameDecoder()
    var wholeOutputs: [DecoderOutput] = []
    whole.decode(bytes) { wholeOutputs.append($0) }

    var chunked = FrameDecoder()
    var chunkedOutputs: [DecoderOutput] = []
    FuzzDriver.forEachChunk(bytes) { chunk in chunked.decode(chunk) { chunkedOutputs.append($0) } }
    if chunkedOutputs != wholeOutputs || chunked.counters != whole.counters {
        fatalError("ProtocolFuzzer: chunked decoding differs from whole decoding")
    }
    if whole.counters.bytes != UInt64(size) {
        fatalError("ProtocolFuzzer: \(whole.counters.bytes) bytes counted of \(size)")
    }

    var c = lp_decoder()
    lp_decoder_init(&c)
    var result = lp_result()
    var position = 0
    while position < size {
        var produced: Int32 = 0
        position += lp_decoder_feed(&c, data + position, size - position, &result, &produced)
    }
    let s = whole.counters
    let same =
        c.counters.bytes == s.bytes && c.counters.frames == s.frames && c.counters.crc_failures == s.crcFailures
        && c.counters.oversize_frames == s.oversizeFrames && c.counters.unknown_packet_types == s.unknownPacketTypes
        && c.counters.malformed_frames == s.malformedFrames && c.counters.sequence_gaps == s.sequenceGaps
        && c.counters.lost_samples == s.lostSamples && c.counters.sequence_restarts == s.sequenceRestarts
        && c.counters.samples == s.samples
    if !same { fatalError("ProtocolFuzzer: C and Swift decoders disagree: \(c.counters) vs \(s)") }
    return 0
}

/// Each golden vector's stream (the `"hex"` fields of vectors.json), one seed each; nil when unreadable.
func seeds(vectorsPath: String) -> [[UInt8]]? {
    guard let file = fopen(vectorsPath, "r") else {
        print("ProtocolFuzzer: cannot read '\(vectorsPath)'")
        return nil
    }
    var text: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        text += buffer[0..<count]
    }
    fclose(file)
    let key = Array("\"hex\": \"".utf8)
    var seeds: [[UInt8]] = []
    var index = 0
    while index + key.count < text.count {
        guard text[index..<(index + key.count)].elementsEqual(key) else {
            index += 1
            continue
        }
        var cursor = index + key.count
        var bytes: [UInt8] = []
        while cursor + 1 < text.count, text[cursor] != UInt8(ascii: "\"") {
            let pair = String(decoding: text[cursor..<(cursor + 2)], as: UTF8.self)
            bytes.append(UInt8(pair, radix: 16) ?? 0)
            cursor += 2
        }
        seeds.append(bytes)
        index = cursor
    }
    return seeds
}

FuzzDriver.main(name: "ProtocolFuzzer", seedArguments: 1, seeds: { seeds(vectorsPath: $0[0]) }) { data, size in
    check(data, size)
}
