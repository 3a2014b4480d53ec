// libFuzzer target for the recording reader (`make fuzz`). Build:
//   swift build -c release --scratch-path .build-fuzz --product RecordingFuzzer -Xswiftc -sanitize=fuzzer,address
// Run (bounded, seeded with small recordings this program writes):
//   RecordingFuzzer --write-seeds CORPUS_DIR
//   SWIFT_BACKTRACE=enable=no .build-fuzz/release/RecordingFuzzer -max_total_time=30 CORPUS_DIR
//
// Each input is a file: as it is when it starts with 'L' (the magic and header checks), else after a
// valid magic and header record (the record stream, where damage and resynchronisation live). For any
// bytes at all, RecordingReader must not trap (ASan and Swift's checks are on), and:
// - every byte after the header is in exactly one record read or one damage span, in file order
//   (nothing skipped without a word, nothing counted twice);
// - each record's payload is the file's bytes at its offset, and its checksum holds;
// - `closedCleanly` is true exactly when an `end` record was read.

import FuzzSupport
import Glibc
import LumbarProtocol
import LumbarSession

let header = RecordingHeader(
    startUnixNanoseconds: 1_763_784_000_000_000_000, startHostNanoseconds: 5_000_000_000, software: "fuzz",
    settings: KeyValueText([("exercise", "bird_dog")]))
let fileStart = RecordEncoder.fileStart(header)
/// One scratch file per process, rewritten for each input (the reader reads files).
let scratchPath = (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") + "/lumbar-recording-fuzz-\(getpid()).lrec"

func fail(_ message: String) -> Never { fatalError("RecordingFuzzer: " + message) }

func check(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    var file: [UInt8] = data[0] == UInt8(ascii: "L") ? [] : fileStart
    file.append(contentsOf: UnsafeBufferPointer(start: data, count: size))
    guard let out = fopen(scratchPath, "w") else { fail("cannot write \(scratchPath)") }
    _ = file.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, out) }
    fclose(out)

    let reader: RecordingReader
    do { reader = try RecordingReader(path: scratchPath) } catch { return 0 }  // not a recording: a clean error
    var spans: [(start: Int64, end: Int64)] = []
    var sawEnd = false
    while true {
        let next: RecordingReader.Record?
        do { next = try reader.next() } catch { fail("read error on a regular file: \(error)") }
        guard let r = next else { break }
        let start = Int(r.offset)
        let payloadStart = start + RecordingFormat.recordHeaderSize
        let end = payloadStart + r.payload.count + RecordingFormat.recordTrailerSize
        guard start >= 0, end <= file.count else { fail("record [\(start), \(end)) outside the file of \(file.count)") }
        guard r.payload.elementsEqual(file[payloadStart..<(end - RecordingFormat.recordTrailerSize)]) else {
            fail("payload of the record at \(start) differs from the file's bytes")
        }
        // The wire protocol's CRC-32C, an implementation independent of the reader's.
        let crc = file.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<payloadStart + r.payload.count])) }
        let stored = file[(end - 4)..<end].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard crc == stored else { fail("record at \(start) returned with a wrong checksum") }
        if r.type == .end { sawEnd = true }
        spans.append((Int64(start), Int64(end)))
    }
    for d in reader.damage where d.offset >= reader.headerEnd { spans.append((d.offset, d.offset + d.length)) }
    spans.sort { $0.start < $1.start }
    var cursor = reader.headerEnd
    for s in spans {
        guard s.start == cursor, s.end > s.start else {
            fail("bytes [\(cursor), \(s.start)) unaccounted for or counted twice (span [\(s.start), \(s.end)))")
        }
        cursor = s.end
    }
    guard cursor == Int64(file.count) else { fail("the last \(Int64(file.count) - cursor) bytes are unaccounted for") }
    guard reader.closedCleanly == sawEnd else { fail("closedCleanly is \(reader.closedCleanly) with end record read: \(sawEnd)") }
    return 0
}

/// Seeds: a small recording with every record type (as the fuzzer feeds it: without magic and header),
/// the same cut short, with a damaged length byte, and whole (magic and header included).
func seeds() -> [[UInt8]] {
    var records: [UInt8] = []
    let connected = SensorDescriptor(id: "L1", placement: .lumbar, port: "/dev/ttyACM0").text.encoded
    RecordEncoder.append(type: .sensorConnected, sensor: 0, receiveTime: 5_000_000_100, payload: connected, to: &records)
    for k in 0..<4 {
        let bytes = (0..<(9 + k)).map { UInt8(truncatingIfNeeded: $0 * 37 + k) }
        RecordEncoder.append(type: .data, sensor: 0, receiveTime: 5_000_001_000 + Int64(k) * 1_000_000, payload: bytes, to: &records)
    }
    RecordEncoder.append(type: .dropped, sensor: 0, receiveTime: 5_010_000_000, payload: [16, 0, 0, 0, 0, 0, 0, 0], to: &records)
    RecordEncoder.append(type: .sensorLost, sensor: 0, receiveTime: 5_020_000_000, payload: Array("unplugged".utf8), to: &records)
    RecordEncoder.append(
        type: .end, sensor: RecordingFormat.noSensor, receiveTime: 0,
        payload: KeyValueText([("data_records", "4")]).encoded, to: &records)
    var damaged = records
    damaged[connected.count + 20 + 6] ^= 0x08  // the first data record's length, past the end of the file
    return [records, Array(records.prefix(records.count - 7)), damaged, fileStart + records]
}

FuzzDriver.main(name: "RecordingFuzzer", seeds: { _ in seeds() }, cleanup: { unlink(scratchPath) }) { data, size in
    check(data, size)
}
