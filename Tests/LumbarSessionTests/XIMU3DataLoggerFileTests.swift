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

    /// Two cards whose devices were not synchronised: the ankle's timestamps count from its own start-up
    /// (4000 s before), and its log started 2 s after the back's (its file's start time says so, to the
    /// second). Aligned by the files' start times, every ankle sample lands within one sample period of
    /// its true time on the back's time line (counted from its own first sample it would be 2 s early),
    /// and the replay's sensors say how they were aligned.
    @Test func devicesWhoseClocksDifferAreAlignedByTheirFilesStartTimes() throws {
        let samples = try Self.recordedSamples()
        let back = Array(samples[.lumbar]!.prefix(3000))
        let start = back[0].time
        let ankle = Array(samples[.rightAnkle]!.filter { $0.time >= start + 2 }.prefix(3000)).map { s in
            var s = s
            s.time += 4000
            return s
        }
        let folder = try Self.folder("x-IMU3-unsynchronised")
        try Self.write(
            XIMU3Emulation.dataLoggerFile(back, mode: .binary, name: "Lumbar", serialNumber: "65A4-71F2-0C3B-9D1E", clock: "2026-12-05 06:00:00"),
            folder + "/Back_0001.ximu3")
        try Self.write(
            XIMU3Emulation.dataLoggerFile(ankle, mode: .ascii, name: "Right Ankle", serialNumber: "0A1B-2C3D-4E5F-6071", clock: "2026-12-05 06:00:02"),
            folder + "/Ankle_0001.ximu3")
        let data = try XIMU3LoggedData(path: folder)
        #expect(data.clockAlignment == .startTimes)
        #expect(data.warnings.isEmpty)
        let ankleDevice = data.devices.firstIndex { $0.placement == .rightAnkle }!
        let period = ankle[1].time - ankle[0].time
        var aligned: [Double] = []
        while let (device, s) = try data.next() { if device == ankleDevice { aligned.append(s.time) } }
        #expect(aligned.count == ankle.count)
        #expect(aligned.first == 2)
        let worst = zip(aligned, ankle).map { abs($0 - ($1.time - 4000 - start)) }.max() ?? .infinity
        #expect(worst <= period + 1e-6, "\(worst) s off")
        let (_, pipeline) = try ReplayTests.replay(folder)
        #expect(pipeline.sensors.count == 2 && pipeline.sensors.allSatisfy { $0.details["aligned_by"] == "file_start_times" })
    }

    /// Synchronised devices (one Wi-Fi network): their timestamps are one clock, and agree with the files'
    /// start times (cut to the second): aligned by the timestamps, to the microsecond, as x-io's tools do.
    @Test func synchronisedDevicesAreAlignedByTheirTimestampsToTheMicrosecond() throws {
        let samples = try Self.recordedSamples()
        let back = Array(samples[.lumbar]!.prefix(2000))
        let start = back[0].time
        let ankle = Array(samples[.rightAnkle]!.filter { $0.time >= start + 2.5 }.prefix(2000))
        let folder = try Self.folder("x-IMU3-synchronised")
        try Self.write(XIMU3Emulation.dataLoggerFile(back, mode: .binary, name: "Lumbar", serialNumber: "S1", clock: "2026-12-05 06:00:00"), folder + "/Back_0001.ximu3")
        try Self.write(XIMU3Emulation.dataLoggerFile(ankle, mode: .binary, name: "Right Ankle", serialNumber: "S2", clock: "2026-12-05 06:00:02"), folder + "/Ankle_0001.ximu3")
        let data = try XIMU3LoggedData(path: folder)
        #expect(data.clockAlignment == .deviceClock)
        var first: [Int: Double] = [:]
        while let (device, s) = try data.next() { if first[device] == nil { first[device] = s.time } }
        let back0 = (start * 1e6).rounded()
        let ankle0 = (ankle[0].time * 1e6).rounded()
        let ankleDevice = data.devices.firstIndex { $0.serialNumber == "S2" }!
        #expect(first[1 - ankleDevice] == 0)
        #expect(abs(first[ankleDevice]! - (ankle0 - back0) / 1e6) < 1e-9)
    }

    /// A file without a start time (no write time command in its preamble): nothing tells how its device's
    /// clock relates to the others', so each device counts from its first sample, and a warning names it.
    @Test func aFileWithoutAStartTimeLeavesEachDeviceFromItsFirstSample() throws {
        let samples = try Self.recordedSamples()
        let back = Array(samples[.lumbar]!.prefix(500))
        let ankle = Array(samples[.rightAnkle]!.dropFirst(300).prefix(500))
        let folder = try Self.folder("x-IMU3-no-time")
        try Self.write(XIMU3Emulation.dataLoggerFile(back, mode: .binary, name: "Lumbar", serialNumber: "S1"), folder + "/Back_0001.ximu3")
        try Self.write(XIMU3Emulation.dataLoggerFile(ankle, mode: .binary, name: "Right Ankle", serialNumber: "S2", clock: ""), folder + "/Ankle_0001.ximu3")
        let data = try XIMU3LoggedData(path: folder)
        #expect(data.clockAlignment == .firstSamples)
        var first: [Int: Double] = [:]
        while let (device, s) = try data.next() { if first[device] == nil { first[device] = s.time } }
        #expect(first[0] == 0 && first[1] == 0)
        #expect(data.warnings == ["'\(folder)/Ankle_0001.ximu3': no start time in the file's preamble (its write time command): each device's time counts from its first sample, as if all started logging together"])
    }

    /// The start time `YYYY-MM-DD hh:mm:ss` as seconds: across a minute, a year's end and a leap day.
    @Test func startTimesAreReadAsSecondsOfTheCalendar() {
        let seconds = XIMU3ClockAlignment.seconds
        #expect(seconds("2026-12-05 06:00:02")! - seconds("2026-12-05 06:00:00")! == 2)
        #expect(seconds("2025-01-01 00:00:00")! - seconds("2024-12-31 23:59:59")! == 1)
        #expect(seconds("2024-03-01 00:00:00")! - seconds("2024-02-28 00:00:00")! == 2 * 86_400)
        #expect(seconds("1970-01-01 00:00:00") == 0)
        #expect(seconds("2026-12-05") == nil && seconds("") == nil && seconds("2026-13-05 06:00:00") == nil)
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
