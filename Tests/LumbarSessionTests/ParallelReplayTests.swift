import Foundation
import LumbarCore
import LumbarRecordings
import LumbarReplay
import LumbarSession
import Testing

/// `ParallelReplay` on two or three threads (read, decode and align | fuse | merge: its own staging of
/// the pipeline's stages) and the serial `SessionInput.replay` give exactly what the one-record-at-a-time
/// `step` loop through the pipeline's public inputs gives: every export, byte for byte.
struct ParallelReplayTests {
    /// How a test drives the input.
    enum Mode: String, CaseIterable {
        case stepByStep, oneThread, twoThreads, threeThreads
    }

    static let exportNames = [
        "events.jsonl", "reps.csv", "reps.json", "session.sto", "summary.txt", "report.html",
        "orientation/lumbar.csv", "orientation/left_ankle.csv", "orientation/right_ankle.csv",
    ]

    /// Exports everything of `path` driven by `mode`; returns the files (missing ones absent), the
    /// statistics line and the error the input ended with, if any.
    static func export(_ path: String, mode: Mode, tag: String) throws -> (files: [String: Data], stats: String, error: String?) {
        let dir = RecordingTests.temporaryPath("parallel-\(tag)-\(mode.rawValue)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var exporter = try SessionExporter(options: .init(
            events: dir + "/events.jsonl", reps: dir + "/reps.csv", repsJSON: dir + "/reps.json",
            orientationDirectory: dir + "/orientation", openSense: dir + "/session.sto", summary: dir + "/summary.txt",
            html: dir + "/report.html"))
        let input = try SessionInput(path: path)
        let pipeline = SessionPipeline()
        var failure: String?
        do {
            switch mode {
            case .stepByStep: while try input.step(into: pipeline, output: &exporter) != nil {}
            case .oneThread: try input.replay(into: pipeline, output: &exporter)
            case .twoThreads: try ParallelReplay.run(input, into: pipeline, output: &exporter, threads: .two)
            case .threeThreads: try ParallelReplay.run(input, into: pipeline, output: &exporter, threads: .three)
            }
        } catch {
            failure = error.description
        }
        pipeline.finish(into: &exporter)
        try exporter.finish(title: path, duration: pipeline.sessionTime, thresholdDegrees: 5)
        var files: [String: Data] = [:]
        for name in exportNames {
            files[name] = FileManager.default.contents(atPath: dir + "/" + name)
        }
        return (files, "\(pipeline.statistics) \(pipeline.sensors) \(input.warnings)", failure)
    }

    static func expectSameInEveryMode(_ path: String, tag: String) throws {
        let reference = try export(path, mode: .stepByStep, tag: tag)
        #expect(reference.files["events.jsonl"]?.isEmpty == false)
        for mode in [Mode.oneThread, .twoThreads, .threeThreads] {
            let other = try export(path, mode: mode, tag: tag)
            #expect(other.files.keys.sorted() == reference.files.keys.sorted(), "\(mode)")
            for (name, data) in reference.files {
                #expect(other.files[name] == data, "\(name) differs between step by step and \(mode)")
            }
            #expect(other.stats == reference.stats, "\(mode)")
            #expect(other.error == reference.error, "\(mode)")
        }
    }

    @Test("replaying on two or three threads gives byte-identical exports to the step-by-step replay",
          arguments: DemoScenario.allCases)
    func twoThreadsMatchStepByStep(_ scenario: DemoScenario) throws {
        try Self.expectSameInEveryMode("\(ReplayTests.root)/recordings/\(scenario.rawValue).lrec", tag: scenario.rawValue)
    }

    @Test("a torn recording and a CSV that turns malformed midway end the same way on two and three threads")
    func damagedInputsMatchStepByStep() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(ReplayTests.root)/recordings/unplugged-ankle.lrec"))
        let cut = RecordingTests.temporaryPath("parallel-cut.lrec")
        try data.prefix(data.count * 2 / 3 + 5).write(to: URL(fileURLWithPath: cut))
        try Self.expectSameInEveryMode(cut, tag: "cut")

        // A long-format CSV of two sensors (more rows than one batch) with a bad row near the end.
        var rows = "time_s,sensor,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n"
        var random = SplitMix64(seed: 6)
        for i in 0..<12_000 {
            let t = Double(i / 2) * 0.005
            let sensor = i % 2 == 0 ? "lumbar" : "right_ankle"
            let wobble = Double(random.next() % 1000) / 10_000
            rows += "\(t),\(sensor),\(wobble),0.02,0.99,\(wobble * 30),-1.5,0.25\n"
            if i == 11_000 { rows += "\(t),lumbar,0,zero,1,0,0,0\n" }
        }
        let csv = RecordingTests.temporaryPath("parallel-bad.csv")
        try rows.write(toFile: csv, atomically: true, encoding: .utf8)
        let reference = try Self.export(csv, mode: .stepByStep, tag: "csv")
        #expect(reference.error?.contains("parallel-bad.csv:11003") == true, "\(reference.error ?? "no error")")
        try Self.expectSameInEveryMode(csv, tag: "csv")
    }

    @Test("the per-sample exports written on their own thread equal writing them inline, byte for byte")
    func writerThreadMatchesInlineWriters() throws {
        struct Tape: SessionOutput {
            var calls: [(SessionSample?, LumbarEvent?)] = []
            mutating func sample(_ s: SessionSample) { calls.append((s, nil)) }
            mutating func event(_ e: LumbarEvent) { calls.append((nil, e)) }
        }
        let input = try SessionInput(path: "\(ReplayTests.root)/recordings/unplugged-ankle.lrec")
        let pipeline = SessionPipeline()
        var tape = Tape()
        try input.replay(into: pipeline, output: &tape)
        pipeline.finish(into: &tape)

        let threaded = RecordingTests.temporaryPath("writer-threaded")
        var exporter = try SessionExporter(options: .init(orientationDirectory: threaded + "/o", openSense: threaded + "/s.sto"))
        let inline = RecordingTests.temporaryPath("writer-inline")
        try FileManager.default.createDirectory(atPath: inline + "/o", withIntermediateDirectories: true)
        let orientation = OrientationExporter(directory: inline + "/o")
        let openSense = try OpenSenseWriter(path: inline + "/s.sto")
        var connected: [String] = []
        for (sample, event) in tape.calls {
            if let sample {
                exporter.sample(sample)
                orientation.write(sample)
                openSense.write(sample)
            }
            if let event {
                exporter.event(event)
                if case .sensorConnected(_, let id, let placement) = event, !connected.contains(id) {
                    openSense.sensorConnected(index: connected.count, placement: placement)
                    connected.append(id)
                }
            }
        }
        try exporter.finish(title: "t", duration: pipeline.sessionTime, thresholdDegrees: 5)
        try orientation.close()
        try openSense.close()
        #expect((exporter.perSampleWriterCPUSeconds ?? -1) >= 0)
        for name in ["s.sto", "o/lumbar.csv", "o/right_ankle.csv"] {
            let a = FileManager.default.contents(atPath: threaded + "/" + name)
            #expect(a != nil && a == FileManager.default.contents(atPath: inline + "/" + name), "\(name)")
        }
    }
}
