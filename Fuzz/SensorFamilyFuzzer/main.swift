// libFuzzer target for the sensor-family decoders (x-IMU3, WitMotion, text lines; `make fuzz`).
// Seed corpus: `SensorFamilyFuzzer --write-seeds CORPUS_DIR` (each family's emulator output, ASCII and
// binary x-IMU3, with and without garbage).
//
// Every input goes through all three decoders, and for each it checks what must hold for any bytes:
// - the decoder does not trap (ASan and Swift's checks are on);
// - feeding the input in chunks chosen by the input itself gives the same outputs and counters as whole;
// - every byte is counted, and no more bytes are skipped than were fed;
// - WitMotion sample times never decrease;
// - the Float number reader of x-IMU3 arguments and text-line axes (`DecimalText.scanFloat`) gives, from
//   every offset of the input, the same Float bits and stop as the Double reader it replaced, converted.

import FuzzSupport
import Glibc
import LumbarCore
import LumbarProtocol
import LumbarSim

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("SensorFamilyFuzzer: \(message())") }
}

func checkCounters(_ counters: SensorFamilyCounters, _ size: Int, _ family: String) {
    require(counters.bytes == UInt64(size), "\(family): \(counters.bytes) bytes counted of \(size)")
    require(counters.skippedBytes <= counters.bytes, "\(family): skipped \(counters.skippedBytes) of \(size)")
}

func check(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)

    var ximu3 = XIMU3Decoder()
    var ximu3Outputs: [SensorFamilyOutput] = []
    ximu3.decode(bytes) { ximu3Outputs.append($0) }
    var ximu3Chunked = XIMU3Decoder()
    var ximu3ChunkedOutputs: [SensorFamilyOutput] = []
    FuzzDriver.forEachChunk(bytes) { chunk in ximu3Chunked.decode(chunk) { ximu3ChunkedOutputs.append($0) } }
    // Binary messages can carry NaN bit patterns, which compare unequal to themselves: compare descriptions.
    require("\(ximu3Outputs)" == "\(ximu3ChunkedOutputs)" && ximu3.counters == ximu3Chunked.counters, "x-IMU3: chunking changed the outputs")
    checkCounters(ximu3.counters, size, "x-IMU3")

    var wit = WitMotionDecoder()
    var witOutputs: [SensorFamilyOutput] = []
    wit.decode(bytes, receivedAt: 1) { witOutputs.append($0) }
    var witChunked = WitMotionDecoder()
    var witChunkedOutputs: [SensorFamilyOutput] = []
    FuzzDriver.forEachChunk(bytes) { chunk in witChunked.decode(chunk, receivedAt: 1) { witChunkedOutputs.append($0) } }
    require(witOutputs == witChunkedOutputs && wit.counters == witChunked.counters, "WitMotion: chunking changed the outputs")
    checkCounters(wit.counters, size, "WitMotion")
    var last = -Double.infinity
    for case .sample(let sample) in witOutputs {
        require(sample.time > last, "WitMotion: sample times do not increase")
        last = sample.time
    }

    var text = TextLineDecoder()
    var textOutputs: [SensorFamilyOutput] = []
    text.decode(bytes) { textOutputs.append($0) }
    var textChunked = TextLineDecoder()
    var textChunkedOutputs: [SensorFamilyOutput] = []
    FuzzDriver.forEachChunk(bytes) { chunk in textChunked.decode(chunk) { textChunkedOutputs.append($0) } }
    require(text.counters == textChunked.counters, "text: chunking changed the counters")
    require("\(textOutputs)" == "\(textChunkedOutputs)", "text: chunking changed the outputs")
    checkCounters(text.counters, size, "text")

    for start in 0..<min(size, 256) {
        let double = DecimalText.scanDouble(bytes, start, size)
        let float = DecimalText.scanFloat(bytes, start, size)
        require(
            double.map { Float($0.value).bitPattern } == float.map(\.value.bitPattern) && double?.stop == float?.stop,
            "scanFloat at \(start): \(String(describing: float)), the Double reader: \(String(describing: double))")
    }

    // The line readers, on the input's first line as `LineAssembler` hands it over (its LF right after
    // it; a CR before the LF is the end): the checked readers' results from every start.
    if let lineFeed = bytes.firstIndex(of: 0x0A), lineFeed <= 256 {
        let line = UnsafeRawBufferPointer(rebasing: bytes[0..<lineFeed])
        let end = lineFeed > 0 && bytes[lineFeed - 1] == 0x0D ? lineFeed - 1 : lineFeed
        for start in 0...end {
            let float = DecimalText.scanFloat(inLine: line, start, end)
            let checked = DecimalText.scanFloat(line, start, end)
            require(
                float?.value.bitPattern == checked?.value.bitPattern && float?.stop == checked?.stop
                    && DecimalText.scanDouble(inLine: line, start, end).map { "\($0.value.bitPattern) \($0.stop)" }
                        == DecimalText.scanDouble(line, start, end).map { "\($0.value.bitPattern) \($0.stop)" }
                    && DecimalText.scanUInt64(inLine: line, start, end).map { "\($0.value) \($0.stop)" }
                        == DecimalText.scanUInt64(line, start, end).map { "\($0.value) \($0.stop)" },
                "line reader at \(start): \(String(describing: float)), the checked reader: \(String(describing: checked))")
        }
    }

    _ = SensorFamilyDetector.detect(Array(bytes))
    return 0
}

/// Each family's emulator output, one seed each.
func seeds() -> [[UInt8]] {
    let samples = Array(Simulator.run(.demo(.backKick, seed: 2)).sensors[0].samples.prefix(24))
    return [
        XIMU3Emulation.stream(samples, mode: .binary, statusEvery: 8),
        XIMU3Emulation.stream(samples, mode: .ascii, statusEvery: 8),
        XIMU3Emulation.text(letter: "N", time: 1, "Button pressed.", mode: .binary)
            + XIMU3Emulation.pingResponse(name: "x-IMU3", serialNumber: "01234567"),
        WitMotionEmulation.stream(samples),
        TextLineEmulation.stream(samples),
        Array("time[ms];ax[m/s2];ay[m/s2];az[m/s2];gx[rad/s];gy[rad/s];gz[rad/s]\n1500;0;0;9.8;3.1;0;0\n".utf8),
    ]
}

FuzzDriver.main(name: "SensorFamilyFuzzer", seeds: { _ in seeds() }) { data, size in
    check(data, size)
}
