import Foundation
import LumbarCore
import LumbarSession
import LumbarSim
import Testing

/// x-IMU3 data logger files (`.ximu3`: what the device logs to its microSD card, the protocol's byte
/// stream after a ping/time/settings preamble) in `replay` and `export`, written here by the emulator
/// (from x-io's manual); `make referee-ximu3` checks the same files against x-io's own reader.
@Suite("x-IMU3 .ximu3 data logger files")
struct XIMU3DataLoggerFileTests {
    /// A bundled recording's samples per placement, on device time 5 s + the session's sensor time (as
    /// an x-IMU3 counts from its start-up).
    static func recordedSamples() throws -> [SensorPlacement: [ImuSample]] {
        struct Collect: SessionOutput {
            var samples: [SensorPlacement: [ImuSample]] = [:]
            mutating func sample(_ s: SessionSample) {
                var sample = s.sample
                sample.time = 5 + s.deviceTime
                samples[s.placement, default: []].append(sample)
            }
            mutating func event(_ e: LumbarEvent) {}
        }
        let input = try SessionInput(path: ReplayTests.root + "/recordings/clean-back-kick.lrec")
        let pipeline = SessionPipeline()
        var collect = Collect()
        while try input.step(into: pipeline, output: &collect) != nil {}
        pipeline.finish(into: &collect)
        return collect.samples
    }

    static func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func folder(_ name: String) throws -> String {
        let path = RecordingTests.temporaryPath("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func error(_ path: String) -> String {
        do {
            _ = try ReplayTests.replay(path)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    /// The back sensor logged in binary mode, the ankle in ASCII, each on its own card, copied into one
    /// folder: the devices are placed by their names and the replay gives the recording's 8 reps.
    @Test func aSessionLoggedOnTwoDevicesCardsReplaysToTheRecordingsReps() throws {
        let samples = try Self.recordedSamples()
        let (intact, _) = try ReplayTests.replay(ReplayTests.root + "/recordings/clean-back-kick.lrec")
        let folder = try Self.folder("x-IMU3-cards")
        try Self.write(
            XIMU3Emulation.dataLoggerFile(samples[.lumbar]!, mode: .binary, name: "Lumbar", serialNumber: "65A4-71F2-0C3B-9D1E"),
            folder + "/Back_0001.ximu3")
        try Self.write(
            XIMU3Emulation.dataLoggerFile(samples[.rightAnkle]!, mode: .ascii, name: "Right Ankle", serialNumber: "0A1B-2C3D-4E5F-6071"),
            folder + "/Ankle_0001.ximu3")
        let input = try SessionInput(path: folder)
        #expect(input.kind == .xIMU3Folder)
        let (logged, pipeline) = try ReplayTests.replay(folder)
        #expect(Set(pipeline.sensors.map(\.placement)) == [.lumbar, .rightAnkle])
        #expect(Set(pipeline.sensors.map(\.id)) == ["65A4-71F2-0C3B-9D1E", "0A1B-2C3D-4E5F-6071"])
        #expect(intact.reps.count == 8)
        #expect(logged.reps.count == intact.reps.count)
        for (a, b) in zip(logged.reps, intact.reps) {
            #expect(abs(a.startTime - b.startTime) < 0.05 && abs(a.endTime - b.endTime) < 0.05, "\(a) vs \(b)")
        }
    }

    /// Golden: every sample of a binary file comes back exactly (times to the µs, counted from the first
    /// sample), the status messages between them are skipped, the preamble names the device.
    @Test func aBinaryFileGivesBackEverySampleExactlyAndItsDevice() throws {
        let samples = Array(try Self.recordedSamples()[.lumbar]!.prefix(1000))
        let path = try Self.folder("x-IMU3-one") + "/Test_2026-12-05_06-00-00.ximu3"
        try Self.write(XIMU3Emulation.dataLoggerFile(samples, mode: .binary, name: "x-IMU3", serialNumber: "65A4-71F2-0C3B-9D1E"), path)
        let file = try XIMU3DataLoggerFile(segments: [path])
        #expect(file.serialNumber == "65A4-71F2-0C3B-9D1E")
        #expect(file.deviceName == "x-IMU3")
        #expect(file.startedAt == "2026-12-05 06:00:00")
        var got: [ImuSample] = []
        while let s = try file.next() { got.append(s) }
        #expect(got.count == samples.count)
        #expect(file.firstTime == (samples[0].time * 1e6).rounded() / 1e6)
        for (a, b) in zip(got, samples) {
            #expect(a.gyroscope == b.gyroscope && a.accelerometer == b.accelerometer)
            #expect(((a.time + file.firstTime!) * 1e6).rounded() == (b.time * 1e6).rounded())
        }
        #expect(file.warnings.isEmpty, "\(file.warnings)")
        #expect(file.bytesRead == file.fileSize)
        // One device alone is the lumbar sensor; the descriptor says where its samples came from.
        let data = try XIMU3LoggedData(path: path)
        #expect(data.devices.map(\.placement) == [.lumbar])
        #expect(data.devices.map(\.source) == ["x-IMU3 .ximu3 file"])
        #expect(data.startedAt(0) == "2026-12-05 06:00:00")
    }

    /// A device splits a long log into files (maximum size or period): the files of one serial number are
    /// one device, read in name order, its timestamps running on.
    @Test func aDevicesSplitFilesAreOneDeviceReadInOrder() throws {
        let samples = Array(try Self.recordedSamples()[.lumbar]!.prefix(900))
        let folder = try Self.folder("x-IMU3-split")
        for (part, slice) in [samples[0..<300], samples[300..<600], samples[600...]].enumerated() {
            var bytes = XIMU3Emulation.dataLoggerFile(Array(slice), mode: .binary, name: "Lumbar", serialNumber: "65A4-71F2-0C3B-9D1E")
            // The device's error message (battery empty) at the end of its log.
            if part == 2 { bytes += XIMU3Emulation.text(letter: "F", time: samples.last!.time, "Battery empty.", mode: .binary) }
            try Self.write(bytes, folder + "/Log_000\(part).ximu3")
        }
        let data = try XIMU3LoggedData(path: folder)
        #expect(data.devices.count == 1)
        #expect(data.devices.first?.folder == folder + "/Log_0000.ximu3")
        var times: [Double] = []
        while let (_, s) = try data.next() { times.append(s.time) }
        #expect(times.count == samples.count)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        #expect(abs(times.last! - (samples.last!.time - samples[0].time)) < 1e-6)
        let seconds = FixedDecimal.format((samples.last!.time * 1e6).rounded() / 1e6 - (samples[0].time * 1e6).rounded() / 1e6, decimals: 3)
        #expect(data.warnings == ["'\(folder)/Log_0000.ximu3' (and 2 more segments): the device logged 'Battery empty.' at \(seconds) s"])
    }

    /// A file read from a pipe has no name: its first bytes, the ping response, make it x-IMU3 data.
    @Test func aFileWithoutItsExtensionIsKnownByItsPingResponse() throws {
        let samples = Array(try Self.recordedSamples()[.lumbar]!.prefix(50))
        let path = try Self.folder("x-IMU3-noext") + "/lumbar-input-Xy12Ab"
        try Self.write(XIMU3Emulation.dataLoggerFile(samples, mode: .ascii, name: "Lumbar", serialNumber: "S1"), path)
        #expect(try SessionInput(path: path).kind == .xIMU3File)
    }

    /// Damage: fatal where nothing can be used (one line naming the file and what is wrong); otherwise the
    /// samples that can be are replayed and the damage is a warning naming the file.
    @Test func damagedFilesAreOneLineNamingTheFile() throws {
        let folder = try Self.folder("x-IMU3-bad")
        // 150 samples: the file ends with an inertial message (status messages follow every 100th).
        let samples = Array(try Self.recordedSamples()[.lumbar]!.prefix(150))
        let good = XIMU3Emulation.dataLoggerFile(samples, mode: .binary, name: "Lumbar", serialNumber: "S1")

        let empty = folder + "/empty.ximu3"
        try Self.write([], empty)
        #expect(Self.error(empty) == "\(empty): empty file, expected x-IMU3 data (the device's ping response, then its messages)")

        let garbage = folder + "/garbage.ximu3"
        try Self.write([0x00, 0x01, 0x02] + good, garbage)
        #expect(Self.error(garbage) == "\(garbage): not an x-IMU3 data logger file: it starts with byte 0x00 (a .ximu3 file starts with a command message '{…}' or a data message)")

        let preambleOnly = folder + "/preamble.ximu3"
        let preamble = Array(good.prefix { $0 != 0x80 | UInt8(ascii: "I") })
        try Self.write(preamble, preambleOnly)
        #expect(Self.error(preambleOnly) == "\(preambleOnly): no x-IMU3 inertial message in \(preamble.count) bytes (6 other messages; is the device's inertial message rate divisor 0?)")

        let missing = folder + "/missing.ximu3"
        #expect(Self.error(missing) == "\(missing): cannot open the file: no such file or directory (ENOENT)")

        // Cut in the middle of the last message (logging stopped while writing it): the rest replays.
        let truncated = folder + "/truncated.ximu3"
        let torn = Array(good.dropLast(7))
        try Self.write(torn, truncated)
        let tail = torn.count - 1 - torn.lastIndex(of: 0x0A)!
        let cut = try XIMU3LoggedData(path: truncated)
        var count = 0
        while try cut.next() != nil { count += 1 }
        #expect(count == samples.count - 1)
        #expect(cut.warnings == ["'\(truncated)': the file ends in the middle of a message (its last \(tail) bytes have no LF; logging stopped while writing it?): they are skipped"])

        // A message damaged in the middle (a bad escape), and one whose floats are NaN: skipped and said.
        // Two inertial messages in a row with nothing escaped in them (34 bytes each, LF included).
        var damaged = good
        let ends: [Int] = damaged.indices.filter { damaged[$0] == 0x0A && $0 >= preamble.count }
        var pair = 1
        while ends[pair] - ends[pair - 1] != 34 || ends[pair + 1] - ends[pair] != 34 { pair += 1 }
        let start = ends[pair - 1] + 1
        #expect(damaged[start] == 0x80 | UInt8(ascii: "I"))
        damaged[start + 20] = 0xDB
        damaged[start + 21] = 0x00
        let nan = Float.nan.bitPattern
        for k in 0..<4 { damaged[start + 34 + 9 + k] = UInt8(truncatingIfNeeded: nan >> (8 * UInt32(k))) }
        let corrupt = folder + "/corrupt.ximu3"
        try Self.write(damaged, corrupt)
        let hurt = try XIMU3LoggedData(path: corrupt)
        count = 0
        while try hurt.next() != nil { count += 1 }
        #expect(count == samples.count - 2)
        #expect(hurt.warnings == [
            "'\(corrupt)': 1 x-IMU3 messages did not parse and were skipped (34 bytes)",
            "'\(corrupt)': 1 inertial messages with values that are not finite numbers were skipped",
        ])
        // Through the replay, damage is a warning, not an error.
        #expect(Self.error(corrupt) == "no error")
    }
}
