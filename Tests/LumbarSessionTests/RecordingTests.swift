import Foundation
import LumbarCore
import LumbarProtocol
@testable import LumbarSession
import Testing

/// The recording format: round trip, crash safety (torn tails), damage in the middle, full disks, drops.
struct RecordingTests {
    static func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lumbar-session-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    static let header = RecordingHeader(
        startUnixNanoseconds: 1_763_784_000_123_000_000, startHostNanoseconds: 5_000_000_000,
        software: "lumbar test", settings: KeyValueText([("exercise", "bird_dog")]))

    /// Writes a small recording: two sensors, `chunks` data records each, one loss, and returns the chunks.
    static func writeSample(path: String, chunks: Int = 50) throws -> [[UInt8]] {
        let recorder = try Recorder(path: path, header: header)
        recorder.sensorConnected(index: 0, SensorDescriptor(id: "L1", placement: .lumbar, port: "/dev/ttyACM0"),
                                 at: 5_000_000_100)
        recorder.sensorConnected(index: 1, SensorDescriptor(id: "R1", placement: .rightAnkle), at: 5_000_000_200)
        var sent: [[UInt8]] = []
        for k in 0..<chunks {
            for s in 0..<2 {
                let bytes = (0..<(7 + k % 13)).map { UInt8(truncatingIfNeeded: $0 * 31 + k + s) }
                recorder.append(sensor: s, receiveTime: 5_000_001_000 + Int64(k) * 1_000_000 + Int64(s), bytes: bytes)
                sent.append(bytes)
            }
        }
        recorder.sensorLost(index: 1, reason: .unplugged, at: 6_000_000_000)
        let stats = try recorder.close()
        #expect(stats.dataRecords == 2 * chunks)
        #expect(stats.droppedRecords == 0)
        return sent
    }

    /// Every record of a file: (type, sensor, time, payload).
    static func readAll(_ path: String) throws -> (records: [(UInt8, UInt8, Int64, [UInt8])], reader: RecordingReader) {
        let (records, _, reader) = try readAllWithOffsets(path)
        return (records, reader)
    }

    /// Every record after the header, with the file offset just past each one.
    static func readAllWithOffsets(_ path: String) throws
        -> (records: [(UInt8, UInt8, Int64, [UInt8])], ends: [Int], reader: RecordingReader)
    {
        let reader = try RecordingReader(path: path)
        var out: [(UInt8, UInt8, Int64, [UInt8])] = []
        var ends: [Int] = []
        while let r = try reader.next() {
            out.append((r.rawType, r.sensor, r.receiveTime, Array(r.payload)))
            ends.append(Int(r.offset) + RecordingFormat.recordHeaderSize + r.payload.count + RecordingFormat.recordTrailerSize)
        }
        return (out, ends, reader)
    }

    @Test("a recording reads back exactly: header, sensors, bytes with receive times, loss, clean end")
    func roundTrips() throws {
        let path = Self.temporaryPath("roundtrip.lrec")
        let sent = try Self.writeSample(path: path)
        let (records, reader) = try Self.readAll(path)
        #expect(reader.header == Self.header)
        #expect(reader.damage.isEmpty)
        #expect(reader.closedCleanly)
        let data = records.filter { $0.0 == RecordType.data.rawValue }
        #expect(data.map(\.3) == sent)
        #expect(data.first?.2 == 5_000_001_000)
        let sensors = records.filter { $0.0 == RecordType.sensorConnected.rawValue }
            .map { SensorDescriptor(text: KeyValueText(decoding: $0.3)) }
        #expect(sensors.map(\.id) == ["L1", "R1"])
        #expect(sensors[0].port == "/dev/ttyACM0" && sensors[1].placement == .rightAnkle)
        #expect(records.contains { $0.0 == RecordType.sensorLost.rawValue && $0.3 == Array("unplugged".utf8) })
    }

    @Test("a file cut at any byte (kill -9 mid-write) reads every complete record and reports the torn tail")
    func survivesTruncationAtEveryByte() throws {
        let path = Self.temporaryPath("torn-source.lrec")
        _ = try Self.writeSample(path: path, chunks: 6)
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        // Record end offsets, to know how many complete records each cut keeps.
        let (_, ends, _) = try Self.readAllWithOffsets(path)
        let headerEnd = RecordingFormat.magic.count + RecordingFormat.recordHeaderSize + Self.header.text.encoded.count
            + RecordingFormat.recordTrailerSize
        let cutPath = Self.temporaryPath("torn.lrec")
        for cut in headerEnd..<full.count {
            try full.prefix(cut).write(to: URL(fileURLWithPath: cutPath))
            let (records, reader) = try Self.readAll(cutPath)
            let complete = ends.filter { $0 <= cut }.count
            #expect(records.count == complete, "cut at \(cut)")
            let torn = cut - (ends.last { $0 <= cut } ?? headerEnd)
            if torn > 0 {
                #expect(reader.damage.map { [$0.kind == .tornTail ? 1 : 0, $0.offset, $0.length] } == [[1, Int64(cut - torn), Int64(torn)]],
                        "cut at \(cut)")
                #expect(reader.damage.first?.receivedBefore == nil, "cut at \(cut)")
            } else {
                #expect(reader.damage.isEmpty)
            }
            #expect(!reader.closedCleanly || cut == full.count)
        }
    }

    @Test("a damaged record in the middle is skipped and reported; the records after it still read")
    func skipsCorruptRecordInTheMiddle() throws {
        let path = Self.temporaryPath("corrupt.lrec")
        let sent = try Self.writeSample(path: path, chunks: 10)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // Flip one payload byte of the 5th data record.
        let (records, ends, _) = try Self.readAllWithOffsets(path)
        var target = 0
        var dataSeen = 0
        for (i, r) in records.enumerated() where r.0 == RecordType.data.rawValue {
            dataSeen += 1
            if dataSeen == 5 { target = ends[i] - RecordingFormat.recordTrailerSize - 1 }
        }
        bytes[target] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (after, reader) = try Self.readAll(path)
        let data = after.filter { $0.0 == RecordType.data.rawValue }.map(\.3)
        var expected = sent
        expected.remove(at: 4)
        #expect(data == expected)
        #expect(reader.damage.count == 1)
        #expect(reader.damage.first?.kind == .corrupt)
        #expect(reader.closedCleanly)
    }

    /// Issue 14 item 3: on main before the fix, a length byte damaged so that the record seemed to run past
    /// the end of the file ended the reading there, as a "torn tail": every record after it was lost.
    @Test("one damaged length byte in the middle: every record after it still reads, and exactly the damaged record is skipped")
    func resynchronisesAfterADamagedLength() throws {
        let path = Self.temporaryPath("damaged-length.lrec")
        let sent = try Self.writeSample(path: path, chunks: 10)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let (records, ends, _) = try Self.readAllWithOffsets(path)
        let fifth = records.indices.filter { records[$0].0 == RecordType.data.rawValue }[4]
        let recordStart = ends[fifth - 1]
        // The length's third byte: 0x0F0000 + a few bytes, within the format's limit but far past the end of the file.
        bytes[recordStart + 6] = 0x0F
        #expect(bytes.count < 0x0F_0000)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (after, reader) = try Self.readAll(path)
        var expected = sent
        expected.remove(at: 4)
        #expect(after.filter { $0.0 == RecordType.data.rawValue }.map(\.3) == expected)
        #expect(reader.closedCleanly)
        #expect(reader.damage.map { [$0.kind == .corrupt ? 1 : 0, $0.offset, $0.length] }
            == [[1, Int64(recordStart), Int64(ends[fifth] - recordStart)]])
        let damage = try #require(reader.damage.first)
        #expect(damage.receivedAfter == records[fifth - 1].2)
        #expect(damage.receivedBefore == records[fifth + 1].2)
        let text = damage.description(sessionStart: Self.header.startHostNanoseconds)
        #expect(text.contains("at byte \(recordStart)") && text.contains("between 0.001 s and 0.002 s"), "\(text)")
    }

    /// Issue 14 item 4: on main before the fix, a second recorder on the same path truncated the first recording.
    @Test("a recording is never overwritten: an existing path gets the next free numbered name unless overwrite is asked")
    func neverOverwritesARecording() throws {
        let path = Self.temporaryPath("kept.lrec")
        for p in [path] + (1...2).map({ FileDescriptorIO.numbered(path, $0) }) { unlink(p) }
        let sent = try Self.writeSample(path: path, chunks: 3)
        let second = try Recorder(path: path, header: Self.header)
        #expect(second.path == Self.temporaryPath("kept-1.lrec") && second.requestedPath == path)
        try second.close()
        let third = try Recorder(path: path, header: Self.header)
        #expect(third.path == Self.temporaryPath("kept-2.lrec"))
        try third.close()
        let (records, _) = try Self.readAll(path)
        #expect(records.filter { $0.0 == RecordType.data.rawValue }.map(\.3) == sent, "the first recording is intact")
        let replaced = try Recorder(path: path, header: Self.header, overwrite: true)
        #expect(replaced.path == path)
        try replaced.close()
        #expect(try Self.readAll(path).records.filter { $0.0 == RecordType.data.rawValue }.isEmpty)
        #expect(FileDescriptorIO.numbered("/a.b/session", 3) == "/a.b/session-3")
        #expect(FileDescriptorIO.numbered("x/.hidden", 1) == "x/.hidden-1")
        #expect(FileDescriptorIO.numbered("s.tar.lrec", 1) == "s.tar-1.lrec")
    }

    /// Issue 14 item 4: on main before the fix, the unit recorded every start to one path, truncated on each
    /// restart (`Restart=on-failure`); recordings now get the next free name, which the unit relies on.
    @Test("the shipped systemd unit records one file per start: --record without --overwrite")
    func systemdUnitKeepsEverySession() throws {
        let unit = try String(contentsOfFile: ReplayTests.root + "/packaging/lumbar.service", encoding: .utf8)
        let exec = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        #expect(exec.contains(" --record /var/lib/lumbar/"), "\(exec)")
        #expect(!exec.contains("--overwrite"), "\(exec)")
        let path = Self.temporaryPath("restarts.lrec")
        for p in [path] + (1...3).map({ FileDescriptorIO.numbered(path, $0) }) { unlink(p) }
        let written = try (0..<4).map { _ in try Recorder(path: path, header: Self.header).path }
        #expect(written == [path] + (1...3).map { FileDescriptorIO.numbered(path, $0) })
    }

    /// Issue 14 item 4: on main before the fix, any output (events, per-rep CSV) truncated a recording given as its path.
    @Test("an output is refused when it is the input or a recording, under any spelling of the path")
    func outputsNeverReplaceTheInputOrARecording() throws {
        let path = Self.temporaryPath("guarded.lrec")
        _ = try Self.writeSample(path: path, chunks: 2)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let dotted = (path as NSString).deletingLastPathComponent + "/./guarded.lrec"
        #expect(throws: ExportError.self) { try SessionExporter.Options(reps: dotted).refuseOverwriting(input: path) }
        #expect(throws: ExportError.self) { try ByteFileWriter(path: path) }
        do {
            _ = try SessionExporter(options: .init(events: dotted))
            Issue.record("an events file over a recording was opened")
        } catch {
            #expect(error.description == "'\(dotted)': is a Lumbar recording; outputs are never written over a recording (pick another name)")
        }
        let csv = Self.temporaryPath("input.csv")
        try "time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: ExportError.self) { try SessionExporter.Options(summary: csv).refuseOverwriting(input: csv) }
        try SessionExporter.Options(summary: Self.temporaryPath("other.txt"), html: "-").refuseOverwriting(input: csv)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a file that is not a recording is a clear error naming it")
    func rejectsOtherFiles() throws {
        let path = Self.temporaryPath("not-a-recording.csv")
        try "time_s,acc_x_g\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: RecordingError.self) { try RecordingReader(path: path) }
        do {
            _ = try RecordingReader(path: path)
        } catch {
            #expect(error.description.contains("not-a-recording.csv"))
            #expect(error.description.contains("not a Lumbar recording"))
        }
    }

    @Test("a full disk is a clear error naming the file and nothing traps")
    func reportsFullDisk() throws {
        // /dev/full accepts open() and fails every write with ENOSPC.
        let recorderOrError = Result { try Recorder(path: "/dev/full", header: Self.header) }
        switch recorderOrError {
        case .success(let recorder):
            Issue.record("writing the header to /dev/full should have failed")
            _ = try? recorder.close()
        case .failure(let error):
            let text = "\(error)"
            #expect(text.contains("'/dev/full'"), "\(text)")
            #expect(text.contains("ENOSPC"), "\(text)")
        }
    }

    @Test("when the buffer is full, chunks are dropped and counted, and the gap is marked in the file")
    func countsDropsWhenBufferIsFull() throws {
        let path = Self.temporaryPath("drops.lrec")
        let settings = Recorder.Settings(flushInterval: 60, bufferCapacity: 4096, syncToDisk: false)
        let recorder = try Recorder(path: path, header: Self.header, settings: settings)
        recorder.sensorConnected(index: 0, SensorDescriptor(id: "L1", placement: .lumbar), at: 1)
        let chunk = [UInt8](repeating: 7, count: 1000)
        for k in 0..<10 { recorder.append(sensor: 0, receiveTime: Int64(10 + k), bytes: chunk) }
        // 4096 bytes hold the sensor record and three 1020-byte data records.
        #expect(recorder.statistics.droppedRecords == 7)
        try recorder.flush()
        recorder.append(sensor: 0, receiveTime: 100, bytes: chunk)
        let stats = try recorder.close()
        #expect(stats.droppedBytes == 7000)
        let (records, reader) = try Self.readAll(path)
        #expect(reader.damage.isEmpty)
        let dropped = records.filter { $0.0 == RecordType.dropped.rawValue }
        #expect(dropped.count == 1)
        #expect(dropped.first.map { $0.3 } == [0x58, 0x1B, 0, 0, 0, 0, 0, 0])
        #expect(records.filter { $0.0 == RecordType.data.rawValue }.count == 4)
    }

    @Test("a record's checksum is the protocol's CRC-32C of its header and payload")
    func usesCRC32C() throws {
        var record: [UInt8] = []
        RecordEncoder.append(type: .data, sensor: 2, receiveTime: 123_456, payload: [1, 2, 3, 4, 5], to: &record)
        let body = Array(record.dropLast(RecordingFormat.recordTrailerSize))
        var bitwise: UInt32 = 0xFFFF_FFFF
        for byte in body {
            bitwise ^= UInt32(byte)
            for _ in 0..<8 { bitwise = bitwise & 1 != 0 ? (bitwise >> 1) ^ 0x82F6_3B78 : bitwise >> 1 }
        }
        let stored = record.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(stored == ~bitwise, "the trailer is CRC-32C (Castagnoli) of everything before it")
        #expect(stored == CRC32C.checksum(body))
        var b: [UInt8] = []
        RecordEncoder.append(type: .data, sensor: 0, receiveTime: 0, payload: [], to: &b)
        #expect(b.count == RecordingFormat.recordHeaderSize + RecordingFormat.recordTrailerSize)
        #expect(Array(b[0..<2]) == [0x4C, 0x52])
    }

    @Test("UTC timestamps are formatted without Foundation")
    func formatsUTC() {
        #expect(UTCTimestamp.iso8601(unixNanoseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(UTCTimestamp.iso8601(unixNanoseconds: 1_763_784_000_123_000_000) == "2025-11-22T04:00:00.123Z")
        #expect(UTCTimestamp.iso8601(unixNanoseconds: 951_782_400_000_000_000) == "2000-02-29T00:00:00.000Z")
    }
}
