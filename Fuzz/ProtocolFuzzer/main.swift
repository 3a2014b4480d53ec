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

import CFuzzShim
import CLumbarProtocol
import Glibc
import LumbarProtocol

func check(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)

    var whole = FrameDecoder()
    var wholeOutputs: [DecoderOutput] = []
    whole.decode(bytes) { wholeOutputs.append($0) }

    // Chunk lengths drawn from the input's own bytes (1...64), so the fuzzer explores splits too.
    var chunked = FrameDecoder()
    var chunkedOutputs: [DecoderOutput] = []
    var start = 0
    var cursor = 0
    while start < size {
        let length = Int(bytes[cursor % size] & 0x3F) + 1
        cursor += 1
        let end = min(size, start + length)
        chunked.decode(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) { chunkedOutputs.append($0) }
        start = end
    }
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

/// Writes each golden vector's stream (the `"hex"` fields of vectors.json) as one seed file.
func writeSeeds(vectorsPath: String, directory: String) -> Int32 {
    guard let file = fopen(vectorsPath, "r") else {
        print("ProtocolFuzzer: cannot read '\(vectorsPath)'")
        return 1
    }
    var text: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        text += buffer[0..<count]
    }
    fclose(file)
    mkdir(directory, 0o755)
    let key = Array("\"hex\": \"".utf8)
    var seeds = 0
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
        let path = "\(directory)/vector-\(seeds)"
        if let out = fopen(path, "w") {
            _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, out) }
            fclose(out)
            seeds += 1
        }
        index = cursor
    }
    print("ProtocolFuzzer: wrote \(seeds) seeds to \(directory)")
    return seeds > 0 ? 0 : 1
}

let arguments = CommandLine.arguments
if arguments.count == 4 && arguments[1] == "--write-seeds" {
    exit(writeSeeds(vectorsPath: arguments[2], directory: arguments[3]))
}
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = lumbar_fuzz_run(&argc, &argv) { data, size in check(data, size) }
if status == -1 {
    print("ProtocolFuzzer: not built with -sanitize=fuzzer; build with `make fuzz`")
    exit(2)
}
exit(status)
