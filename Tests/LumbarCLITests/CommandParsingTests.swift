import ArgumentParser
import Foundation
import LumbarCore
import LumbarDevice
import LumbarFeedback
import LumbarIO
import LumbarMotion
import LumbarSession
import Testing

@testable import lumbar

/// The commands' options parsed as a user types them: typed values, parsed once, the shared option groups,
/// and the one-line errors that say what was wrong with which option.
@Suite struct CommandParsingTests {
    /// The message ArgumentParser prints for `arguments`, which must be refused.
    private func refusal(_ command: any ParsableCommand.Type, _ arguments: [String]) -> String {
        do {
            _ = try command.parseAsRoot(arguments)
        } catch {
            return command.message(for: error)
        }
        Issue.record("\(arguments) was accepted")
        return ""
    }

    @Test func liveParsesUSBIDsAddressAndSensorSettingsIntoTypedValues() throws {
        let live = try LiveCommand.parseAsRoot([
            "--usb-id", "0403:6001", "--usb-id", "1209:4C42", "--http", "0.0.0.0:8080", "--rate", "200", "--rate", "ankle=150",
            "--accel-range", "lumbar=4", "--gyro-range", "500",
        ]) as! LiveCommand
        #expect(live.discovery.usbIDs == [USBDeviceID(vendor: 0x0403, product: 0x6001), USBDeviceID(vendor: 0x1209, product: 0x4c42)])
        #expect(live.feedback.http == HTTPAddress(host: "0.0.0.0", port: 8080))
        let request = SensorSettingsRequest(rates: live.rate, accelerometerRanges: live.accelRange, gyroscopeRanges: live.gyroRange)
        #expect(request.global == .init(rateHz: 200, gyroscopeRangeDPS: 500))
        #expect(request.byPlacement[.leftAnkle] == .init(rateHz: 150))
        #expect(request.byPlacement[.rightAnkle] == .init(rateHz: 150))
        #expect(request.byPlacement[.lumbar] == .init(accelerometerRangeG: 4))
    }

    @Test func liveAndDevicesShareTheDiscoveryOptions() throws {
        let arguments = ["--config", "/etc/lumbar.conf", "--usb-id", "10c4:ea60", "--sysfs", "/tmp/sys"]
        let live = try LiveCommand.parseAsRoot(arguments) as! LiveCommand
        let devices = try DevicesCommand.parseAsRoot(arguments) as! DevicesCommand
        for discovery in [live.discovery, devices.discovery] {
            #expect(discovery.config == "/etc/lumbar.conf")
            #expect(discovery.usbIDs == [USBDeviceID(vendor: 0x10c4, product: 0xea60)])
            #expect(discovery.sysfsTree.devicesDirectory == "/tmp/sys")
        }
        #expect(LiveCommand.helpMessage().contains("--usb-id <usb-id>"))
        #expect(DevicesCommand.helpMessage().contains("--usb-id <usb-id>"))
    }

    @Test func theUSBIDsOfTheCommandLineReplaceTheConfigurations() throws {
        let devices = try DevicesCommand.parseAsRoot(["--usb-id", "2e8a:000a"]) as! DevicesCommand
        #expect(try devices.discovery.configuration().usbIDs == [USBDeviceID(vendor: 0x2e8a, product: 0x000a)])
        let plain = try DevicesCommand.parseAsRoot([]) as! DevicesCommand
        #expect(try plain.discovery.configuration().usbIDs == USBDeviceID.defaultSensorIDs)
    }

    @Test func aMissingConfigFileIsNamedInTheError() throws {
        let devices = try DevicesCommand.parseAsRoot(["--config", "/nonexistent/lumbar.conf"]) as! DevicesCommand
        #expect(throws: ValidationError.self) { try devices.discovery.configuration() }
        do { _ = try devices.discovery.configuration() } catch { #expect("\(error)".contains("/nonexistent/lumbar.conf")) }
    }

    @Test func aBadValueIsRefusedNamingTheOptionAndWhatWasWrong() {
        let cases: [(any ParsableCommand.Type, [String], String)] = [
            (LiveCommand.self, ["--usb-id", "nope"], "'--usb-id <usb-id>': expected vvvv:pppp in hex"),
            (DevicesCommand.self, ["--usb-id", "12345:1"], "'--usb-id <usb-id>': expected vvvv:pppp in hex"),
            (LiveCommand.self, ["--http", "127.0.0.1"], "'--http <http>':"),
            (ReplayCommand.self, ["x.lrec", "--http", "host:99999"], "'--http <http>':"),
            (LiveCommand.self, ["--rate", "lumbar=0"], "'--rate <rate>': expected a number from 1 to 10000 Hz"),
            (LiveCommand.self, ["--accel-range", "3.5"], "'--accel-range <accel-range>': expected a whole number from 1 to 64 g"),
            (LiveCommand.self, ["--gyro-range", "knee=100"], "'knee' is not a placement"),
            (LiveCommand.self, ["--rate", "lumbar=fast"], "'fast' is not a number"),
            (ReplayCommand.self, ["x.lrec", "--volume", "150"], "'--volume <volume>': volume '150' is not a percentage"),
            (LiveCommand.self, ["--speak", "counts,bogus"], "'bogus' is not a spoken cue"),
            (SimulateCommand.self, ["--pty", "--rate", "100"], "'--rate <rate>': expected PLACEMENT=VALUE"),
            (SimulateCommand.self, ["--pty", "--rate", "lumbar=5"], "expected a number from 10 to 4000 Hz"),
            (SimulateCommand.self, ["--pty", "--unplug", "lumbar@x"], "expected PLACEMENT@START+SECONDS"),
            (SimulateCommand.self, ["--pty", "--restart", "lumbar"], "expected PLACEMENT@SECONDS"),
            (SimulateCommand.self, ["--pty", "--sets", "1", "--fault", "1:twist:5"], "expected REP:KIND:DEGREES"),
            (SimulateCommand.self, ["--connect", "knee=/tmp/s"], "'knee' is not a placement"),
            (RecordCommand.self, ["-o", "x.lrec", "--simulate", "clean-back-kick", "--frame-samples", "0-3"], "whole numbers in 1-"),
            (RecordCommand.self, ["-o", "x.lrec", "--simulate", "clean-back-kick", "--frame-samples", "1", "--latency-ms", "4-1"],
             "range 'A-B' with 0 <= A <= B"),
        ]
        for (command, arguments, expected) in cases {
            let message = refusal(command, arguments)
            #expect(message.contains(expected), "\(arguments): \(message)")
            #expect(!message.contains("\n"), "\(arguments): one line")
        }
    }

    @Test func rulesThatSpanOptionsAreCheckedAfterParsing() {
        #expect(refusal(ExportCommand.self, ["x.lrec"]).contains("nothing to export"))
        #expect(refusal(ReplayCommand.self, ["x.lrec", "--sound"]).contains("give '--speed 1'"))
        #expect(refusal(SimulateCommand.self, ["--pty", "--fault", "1:extension:5"]).contains("--fault needs --sets"))
        #expect(refusal(SimulateCommand.self, ["--connect", "lumbar=/tmp/s", "--serial", "A1"]).contains("exactly one --connect PATH"))
    }

    @Test func soundOptionsOverrideTheConfigsSoundSection() throws {
        let replay = try ReplayCommand.parseAsRoot([
            "x.lrec", "--speed", "1", "--sound", "--volume", "40", "--speak", "counts, summaries", "--mute-counts",
        ]) as! ReplayCommand
        let config = [ConfigEntry(key: "volume", value: "90", location: "c.conf:2"), ConfigEntry(key: "voice", value: "f3", location: "c.conf:3")]
        let settings = try replay.feedback.sound.settings(config: config)
        #expect(settings.volume == 0.4)
        #expect(settings.voice == "f3")
        #expect(settings.spoken == [.summaries])
    }

    @Test func aBadSoundLineOfTheConfigNamesItsFileAndLine() {
        let options = try! SoundOptions.parse([])
        do {
            _ = try options.settings(config: [ConfigEntry(key: "volume", value: "loud", location: "c.conf:7")])
            Issue.record("accepted")
        } catch {
            #expect("\(error)" == "c.conf:7: volume 'loud' is not a percentage from 0 to 100.")
        }
    }

    @Test func exportAndReplayShareTheAnalysisOptionsAndExportNamesItsFiles() throws {
        let export = try ExportCommand.parseAsRoot([
            "s.lrec", "--reps", "r.csv", "--reps-json", "r.json", "--orientation", "o", "--html", "r.html",
            "--exercise", "bird_dog", "--tempo", "2-1-2",
        ]) as! ExportCommand
        let replay = try ReplayCommand.parseAsRoot(["s.lrec", "--exercise", "bird_dog", "--tempo", "2-1-2"]) as! ReplayCommand
        #expect(export.analysis.exercise == .birdDog && replay.analysis.exercise == .birdDog)
        #expect(export.analysis.tempo != nil && export.analysis.tempo == replay.analysis.tempo)
        #expect(export.files.exporter.paths == ["r.csv", "r.json", "o", "r.html"])
    }

    @Test func tempoTakesOnePrescriptionPerSetCommaSeparated() throws {
        let export = try ExportCommand.parseAsRoot(["s.lrec", "--summary", "-", "--tempo", "3-0-3,1-5-1"]) as! ExportCommand
        #expect(export.analysis.tempo?.perSet == [Tempo(concentric: 3, hold: 0, eccentric: 3), Tempo(concentric: 1, hold: 5, eccentric: 1)])
        #expect(throws: (any Error).self) { try ExportCommand.parseAsRoot(["s.lrec", "--summary", "-", "--tempo", "3-0-3,"]) }
    }

    @Test func liveTakesTheTempoOfReplayAndExportOnePerSet() throws {
        let live = try LiveCommand.parseAsRoot(["--device", "/dev/ttyACM0", "--tempo", "3-0-3,1-5-1"]) as! LiveCommand
        let export = try ExportCommand.parseAsRoot(["s.lrec", "--summary", "-", "--tempo", "3-0-3,1-5-1"]) as! ExportCommand
        #expect(live.tempo != nil && live.tempo == export.analysis.tempo)
        // Set 1 at 3-0-3, every later set at the last one: the analysis settings live runs with.
        let motion = live.pipelineSettings.motion
        #expect(motion.prescribedTempo(set: 1) == Tempo(concentric: 3, hold: 0, eccentric: 3))
        #expect(motion.prescribedTempo(set: 2) == nil)
        #expect(motion.profile(for: .proneLegRaise).tempo == Tempo(concentric: 1, hold: 5, eccentric: 1))
        let plain = try LiveCommand.parseAsRoot(["--device", "/dev/ttyACM0"]) as! LiveCommand
        #expect(plain.tempo == nil && plain.pipelineSettings.motion == SessionPipeline.Settings().motion)
        #expect(throws: (any Error).self) { try LiveCommand.parseAsRoot(["--tempo", "3-0-3,"]) }
        #expect(throws: (any Error).self) { try LiveCommand.parseAsRoot(["--tempo", "fast"]) }
    }

    /// A session recorded by `live --exercise --tempo` replays as it ran: the header keeps what live was told, and
    /// `replay` and `export` take it unless told otherwise (before, the replay recognised the exercise and judged
    /// the reps against the profiles' default tempo, so its too_fast and thresholds could differ from the live ones).
    @Test func liveRecordsTheExerciseAndTempoItWasToldAndItsReplayUsesThem() throws {
        let live = try LiveCommand.parseAsRoot([
            "--device", "/dev/ttyACM0", "--exercise", "bird_dog", "--tempo", "1.5-0-3,1-5-1",
        ]) as! LiveCommand
        #expect(live.pipelineSettings.motion.exercise == .birdDog)
        let replay = try ReplayCommand.parseAsRoot(["s.lrec", "--exercise", "bird_dog", "--tempo", "1.5-0-3,1-5-1"]) as! ReplayCommand
        #expect(live.pipelineSettings.motion == SessionPipeline.Settings(exercise: replay.analysis.exercise, tempo: replay.analysis.tempo).motion)
        let path = FileManager.default.temporaryDirectory.path + "/lumbar-live-settings-\(getpid()).lrec"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = RecordingHeader(
            startUnixNanoseconds: 1, startHostNanoseconds: 2,
            settings: RecordingHeader.analysisSettings(exercise: live.exercise, tempo: live.tempo))
        _ = try Recorder(path: path, header: header, overwrite: true).close()
        let input = try SessionInput(path: path)
        #expect(input.recordingHeader?.settings["tempo"] == "1.5-0-3,1-5-1")
        #expect(input.pipelineSettings().motion == live.pipelineSettings.motion, "the replay judges as live did")
        // What replay is told wins over what was recorded.
        let told = input.pipelineSettings(exercise: .backKick, tempo: TempoPrescription(parsing: "2-1-2"))
        #expect(told.motion == SessionPipeline.Settings(exercise: .backKick, tempo: TempoPrescription(parsing: "2-1-2")).motion)
        #expect(told.motion != live.pipelineSettings.motion)
        // A live session told nothing records nothing, and its replay recognises the exercise as before.
        let plain = try LiveCommand.parseAsRoot(["--device", "/dev/ttyACM0"]) as! LiveCommand
        #expect(RecordingHeader.analysisSettings(exercise: plain.exercise, tempo: plain.tempo).pairs.isEmpty)
        #expect(throws: (any Error).self) { try LiveCommand.parseAsRoot(["--exercise", "squat"]) }
    }

    @Test func aTempoWrittenOutReadsBackToTheSameSeconds() throws {
        for text in ["2-1-2", "1.5-0-3,1-5-1", "0.25-10-0.75", "3-0-3,1-5-1,2-2-2"] {
            let p = try #require(TempoPrescription(parsing: text))
            #expect(p.text == text)
            #expect(TempoPrescription(parsing: p.text) == p)
        }
        #expect(try #require(TempoPrescription(parsing: "2.0-1-02")).text == "2-1-2")
    }

    @Test func simulateGathersThePerSensorOptionsByPlacement() throws {
        let simulate = try SimulateCommand.parseAsRoot([
            "--pty", "--sets", "1", "--rate", "ankle=200", "--drift", "lumbar=-50", "--unplug", "right_ankle@20+3",
            "--restart", "lumbar@8", "--fault", "2:extension:12",
        ]) as! SimulateCommand
        let scenario = simulate.scenario()
        #expect(scenario.rates == [.leftAnkle: 200, .rightAnkle: 200])
        #expect(scenario.drifts == [.lumbar: -50])
        #expect(scenario.unplugs == [.rightAnkle: [20..<23]])
        #expect(scenario.restarts == [.lumbar: [8]])
        #expect(scenario.faults[2]?.degrees == 12)
        let connect = try SimulateCommand.parseAsRoot(["--connect", "left_ankle=/tmp/a", "--connect", "/tmp/b"]) as! SimulateCommand
        #expect(connect.scenario().lines.map { "\($0.0.rawValue) \($0.1)" } == ["left_ankle /tmp/a", "lumbar /tmp/b"])
    }

    @Test func recordReadsTheFramingRangesOnce() throws {
        let record = try RecordCommand.parseAsRoot([
            "-o", "x.lrec", "--simulate", "clean-back-kick", "--frame-samples", "4-16", "--latency-ms", "2",
        ]) as! RecordCommand
        let framing = try #require(record.framing())
        #expect(framing.samplesPerFrame == 4...16)
        #expect(framing.latency == 0.002...0.002)
        let plain = try RecordCommand.parseAsRoot(["-o", "x.lrec", "--simulate", "clean-back-kick"]) as! RecordCommand
        #expect(plain.framing() == nil)
    }

    @Test func recordTakesNoPingWithTheMeaningAndHelpOfLiveAndDevices() throws {
        let record = try RecordCommand.parseAsRoot(["-o", "x.lrec", "--device", "/dev/ttyACM0", "--no-ping"]) as! RecordCommand
        #expect(!record.ping.pings)
        let plain = try RecordCommand.parseAsRoot(["-o", "x.lrec", "--device", "/dev/ttyACM0"]) as! RecordCommand
        #expect(plain.ping.pings)
        let live = try LiveCommand.parseAsRoot(["--no-ping"]) as! LiveCommand
        let devices = try DevicesCommand.parseAsRoot(["--no-ping"]) as! DevicesCommand
        #expect(!live.discovery.ping.pings && !devices.discovery.ping.pings)
        /// The help of `--no-ping`: its text up to the next option, spaces folded.
        func help(_ command: any ParsableCommand.Type) -> String {
            let lines = command.helpMessage(columns: 200).split(separator: "\n", omittingEmptySubsequences: false)
            guard let first = lines.firstIndex(where: { $0.drop { $0 == " " }.hasPrefix("--no-ping") }) else { return "" }
            let following = lines[(first + 1)...].prefix { line in
                let trimmed = line.drop { $0 == " " }
                return !trimmed.isEmpty && !trimmed.hasPrefix("-")
            }
            return ([lines[first]] + following).joined(separator: " ").split(separator: " ").joined(separator: " ")
        }
        #expect(help(RecordCommand.self).contains("Send no x-IMU3 ping"))
        #expect(help(RecordCommand.self) == help(LiveCommand.self))
        #expect(help(RecordCommand.self) == help(DevicesCommand.self))
    }
}
