import Foundation
import LumbarCore
import LumbarRecordings
import LumbarSession
import Testing

/// Replay end to end: the bundled recordings against their expected files, live versus replay,
/// byte-identical exports, CSV input.
struct ReplayTests {
    /// The package root (this file is Tests/LumbarSessionTests/ReplayTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// Replays `path` into a fresh exporter with `options`.
    @discardableResult
    static func replay(_ path: String, _ options: SessionExporter.Options = .init()) throws -> (SessionExporter, SessionPipeline) {
        let input = try SessionInput(path: path)
        let pipeline = SessionPipeline()
        var exporter = try SessionExporter(options: options)
        while try input.step(into: pipeline, output: &exporter) != nil {}
        pipeline.finish(into: &exporter)
        try exporter.finish(title: path, duration: pipeline.sessionTime, thresholdDegrees: 5)
        return (exporter, pipeline)
    }

    @Test("each bundled recording replays to its checked-in events and per-rep metrics", arguments: DemoScenario.allCases)
    func bundledRecordingsReplayToExpectedFiles(_ scenario: DemoScenario) throws {
        let name = scenario.rawValue
        let dir = RecordingTests.temporaryPath("bundled-\(name)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.replay(
            "\(Self.root)/recordings/\(name).lrec",
            .init(events: dir + "/events.jsonl", reps: dir + "/reps.csv"))
        #expect(try Self.read(dir + "/events.jsonl") == Self.read("\(Self.root)/recordings/expected/\(name).events.jsonl"),
                "regenerate with 'make recordings' if the analysis changed on purpose")
        #expect(try Self.read(dir + "/reps.csv") == Self.read("\(Self.root)/recordings/expected/\(name).reps.csv"))
    }

    /// A recording's loss reason replays as the reason it was, a word this version does not name included
    /// (a recording written by another version): the `sensor_lost` line carries the recorded word.
    @Test(arguments: [SensorLossReason.stalled, .other("battery_low")])
    func aRecordedLossReplaysWithItsReason(_ reason: SensorLossReason) throws {
        let path = RecordingTests.temporaryPath("loss-\(reason.rawValue).lrec")
        let recorder = try Recorder(path: path, header: RecordingTests.header, overwrite: true)
        recorder.sensorConnected(index: 0, SensorDescriptor(id: "A1", placement: .leftAnkle), at: 5_000_000_000)
        recorder.sensorLost(index: 0, reason: reason, at: 5_500_000_000)
        _ = try recorder.close()
        let (exporter, _) = try Self.replay(path)
        let lost = exporter.events.filter { $0.type == "sensor_lost" }
        #expect(lost.count == 1)
        guard case .sensorLost(_, "A1", .leftAnkle, let replayed) = lost.first else { return }
        #expect(replayed == reason)
        #expect(lost[0].jsonLine.hasSuffix(#""reason":"\#(reason.rawValue)"}"#))
    }

    @Test("what the bundled recordings are for: reps found, unplug and replug seen")
    func bundledRecordingsHoldWhatTheReadmeSays() throws {
        let (clean, _) = try Self.replay("\(Self.root)/recordings/clean-back-kick.lrec")
        #expect(clean.reps.count == 8)
        #expect(clean.reps.allSatisfy { $0.leg == .right })
        let (unplugged, pipeline) = try Self.replay("\(Self.root)/recordings/unplugged-ankle.lrec")
        let sensorEvents = unplugged.events.filter { $0.type.hasPrefix("sensor_") }.map(\.type)
        #expect(sensorEvents == ["sensor_connected", "sensor_connected", "sensor_lost", "sensor_connected"])
        #expect(pipeline.statistics.sensors[1].losses == 1)
        #expect(unplugged.reps.count == 7, "the rep done while the ankle sensor was unplugged is not counted")
        // Unplugged in the middle of rep 4: that rep is abandoned (its number is used again), the set goes on.
        #expect(unplugged.reps.map(\.rep) == Array(1...7) && unplugged.reps.allSatisfy { $0.set == 1 })
        let started = unplugged.events.filter { $0.type == "rep_started" }.count
        #expect(started == 8, "rep 4 started, was abandoned when the ankle went silent, and the next rep is 4 again")
        let (fatigue, _) = try Self.replay("\(Self.root)/recordings/fatigue-back-kick.lrec")
        #expect(fatigue.reps.count == 10)
        #expect(fatigue.reps.prefix(4).allSatisfy { $0.faults.isEmpty }, "the first reps are clean")
        #expect(fatigue.reps.suffix(3).allSatisfy { $0.lumbarMoved }, "the last reps move the lower back")
        // The arching is extension (the standing start gives the lumbar sensor's axes), in the alert and the faults.
        #expect(fatigue.reps.suffix(4).allSatisfy { $0.faults.contains(.lumbarExtension) && $0.lumbarExtensionDegrees > 5 })
        let directions = fatigue.events.compactMap { e -> LumbarDirection? in
            if case .lumbarMoved(_, _, _, let d) = e { d } else { nil }
        }
        #expect(!directions.isEmpty && directions.allSatisfy { $0 == .extension_ }, "\(directions)")
        let maxima = fatigue.reps.map(\.lumbarMaxDeviationDegrees)
        #expect(maxima[9] > maxima[4] + 6, "the deviation creeps up: \(maxima)")
    }

    @Test("a simulated live session and the replay of its recording give identical events and samples")
    func liveAndReplayAgree() throws {
        struct Tape: SessionOutput {
            var events: [String] = []
            var samples: [SessionSample] = []
            mutating func sample(_ s: SessionSample) { samples.append(s) }
            mutating func event(_ e: LumbarEvent) { events.append(e.jsonLine) }
        }
        let path = RecordingTests.temporaryPath("live.lrec")
        var live = Tape()
        try SimulatedRecording.record(.unpluggedAnkle, to: path, output: &live)
        let input = try SessionInput(path: path)
        let pipeline = SessionPipeline()
        var replayed = Tape()
        while try input.step(into: pipeline, output: &replayed) != nil {}
        pipeline.finish(into: &replayed)
        #expect(!live.events.isEmpty)
        #expect(replayed.events == live.events)
        #expect(replayed.samples.count == live.samples.count)
        #expect(replayed.samples == live.samples)
        #expect(input.warnings.isEmpty)
    }

    @Test("replaying the same file twice gives byte-identical events and exports")
    func replayIsDeterministic() throws {
        let recording = "\(Self.root)/recordings/bird-dog-rotation.lrec"
        var outputs: [[String: String]] = []
        var lumbarSamples: UInt64 = 0
        for run in 0..<2 {
            let dir = RecordingTests.temporaryPath("determinism-\(run)")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let (_, pipeline) = try Self.replay(recording, .init(
                events: dir + "/events.jsonl", reps: dir + "/reps.csv", repsJSON: dir + "/reps.json",
                orientationDirectory: dir + "/orientation", openSense: dir + "/session.sto", summary: dir + "/summary.txt",
                html: dir + "/report.html"))
            lumbarSamples = pipeline.statistics.sensors[0].samples
            var files: [String: String] = [:]
            for name in ["events.jsonl", "reps.csv", "reps.json", "session.sto", "summary.txt", "report.html",
                         "orientation/lumbar.csv", "orientation/left_ankle.csv", "orientation/right_ankle.csv"] {
                files[name] = try Self.read(dir + "/" + name)
            }
            outputs.append(files)
        }
        #expect(outputs[0] == outputs[1])
        let sto = outputs[0]["session.sto"] ?? ""
        #expect(sto.hasPrefix("DataRate=400."), "\(sto.prefix(40))")
        #expect(sto.contains("DataType=Quaternion\nversion=3\nOpenSimVersion=4.2\nendheader\ntime\tpelvis_imu\ttibia_l_imu\ttibia_r_imu\n"))
        let orientation = outputs[0]["orientation/lumbar.csv"] ?? ""
        #expect(orientation.hasPrefix("time_s,qw,qx,qy,qz\n0.00"))
        #expect(orientation.split(separator: "\n").count == Int(lumbarSamples) + 1, "one row per lumbar sample")
        #expect(outputs[0]["reps.json"]?.hasPrefix("[\n  {\"rep\":1,\"leg\":") == true)
    }

    @Test("a Sample CSV replays through the same pipeline (sensor column, long format)")
    func replaysSampleCSV() throws {
        // Write the lumbar and ankle samples of a recording as a long-format Sample CSV, then replay it.
        struct CSVTape: SessionOutput {
            var text = "# from a recording\ntime_s,sensor,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n"
            mutating func sample(_ s: SessionSample) {
                let a = s.sample.accelerometer
                let g = s.sample.gyroscope
                text += "\(s.time),\(s.placement.rawValue),\(a.x),\(a.y),\(a.z),\(g.x),\(g.y),\(g.z)\n"
            }
            mutating func event(_ e: LumbarEvent) {}
        }
        let input = try SessionInput(path: "\(Self.root)/recordings/clean-back-kick.lrec")
        let pipeline = SessionPipeline()
        var tape = CSVTape()
        while try input.step(into: pipeline, output: &tape) != nil {}
        pipeline.finish(into: &tape)
        let csv = RecordingTests.temporaryPath("clean.csv")
        try tape.text.write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(!SessionInput.looksLikeRecording(csv))
        let (exporter, csvPipeline) = try Self.replay(csv)
        #expect(exporter.reps.count == 8)
        #expect(Set(csvPipeline.sensors.map(\.placement)) == [.lumbar, .rightAnkle])
    }

    @Test("a malformed CSV or a missing file is a one-line error naming the file")
    func badInputIsAClearError() throws {
        let csv = RecordingTests.temporaryPath("bad.csv")
        try "time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n0,0,0,1,0,0,0\n0.01,0,zero,1,0,0,0\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: SessionInputError.self) { try Self.replay(csv) }
        do { try Self.replay(csv) } catch { #expect("\(error)".contains("bad.csv:3")) }
        do { try Self.replay("/nonexistent/x.lrec") } catch { #expect("\(error)".contains("/nonexistent/x.lrec")) }
        let binary = RecordingTests.temporaryPath("noise.bin")
        var random = SplitMix64(seed: 3)
        try Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: random.next()) }).write(to: URL(fileURLWithPath: binary))
        do {
            try Self.replay(binary)
            Issue.record("binary data replayed without an error")
        } catch {
            #expect("\(error)" == "'\(binary)': neither a Lumbar recording (it does not start with 'LUMBREC') nor a "
                + "Sample CSV (it holds binary data)")
        }
    }

    /// Issue 14 item 3: on main before the fix, one damaged length byte in the middle of a bundled recording
    /// ended the replay there as a "torn tail" (4 of its 10 reps left).
    @Test("a damaged length byte in the middle of a recording costs one record, not the rest of the session")
    func replaysPastADamagedLength() throws {
        let path = "\(Self.root)/recordings/clean-back-kick.lrec"
        let (intact, _) = try Self.replay(path)
        // Find the data record that starts nearest the middle and damage its length's third byte.
        let reader = try RecordingReader(path: path)
        var middle = 0
        while let r = try reader.next() {
            if r.type == .data, r.offset >= reader.fileSize / 2 {
                middle = Int(r.offset)
                break
            }
        }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[middle + 6] ^= 0x08
        let damaged = RecordingTests.temporaryPath("damaged-length-kick.lrec")
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        let input = try SessionInput(path: damaged)
        let pipeline = SessionPipeline()
        var out = EventCollector()
        while try input.step(into: pipeline, output: &out) != nil {}
        pipeline.finish(into: &out)
        #expect(input.warnings.count == 1)
        let warning = try #require(input.warnings.first)
        #expect(warning.contains("damaged bytes at byte \(middle) skipped") && warning.contains(" s is lost"), "\(warning)")
        #expect(!warning.contains("torn tail"), "\(warning)")
        let reps = out.events.filter { $0.type == "rep_completed" }.count
        #expect(intact.reps.count >= 8)
        #expect(reps >= intact.reps.count - 1, "\(reps) of \(intact.reps.count) reps after one damaged byte")
    }

    @Test("a recording cut by a crash replays up to the cut and reports the torn tail")
    func replaysTornRecording() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(Self.root)/recordings/clean-back-kick.lrec"))
        let cut = RecordingTests.temporaryPath("cut.lrec")
        try data.prefix(data.count / 2 + 7).write(to: URL(fileURLWithPath: cut))
        let input = try SessionInput(path: cut)
        let pipeline = SessionPipeline()
        var out = EventCollector()
        while try input.step(into: pipeline, output: &out) != nil {}
        pipeline.finish(into: &out)
        #expect(input.warnings.count == 1)
        #expect(input.warnings.first?.contains("torn tail") == true)
        #expect(out.events.contains { $0.type == "rep_completed" })
    }
}
