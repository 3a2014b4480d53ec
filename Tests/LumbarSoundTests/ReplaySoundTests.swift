import Foundation
import Testing
@testable import LumbarSound

/// `lumbar replay --sound` as a user runs it, with an asound.conf of the test's own (ALSA_CONFIG_PATH)
/// that defines the PCM `lumbar_test` as ALSA's `file` plugin writing a WAV.
@Suite(.serialized) struct ReplaySoundTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let lumbar = root + "/.build/debug/lumbar"

    /// Runs `lumbar ARGUMENTS` with `environment` added; exit status, stdout, stderr.
    static func run(_ arguments: [String], environment: [String: String], in scratch: Scratch) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: lumbar)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = scratch.path + "/stdout", err = scratch.path + "/stderr"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: out)
        p.standardError = FileHandle(forWritingAtPath: err)
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    @Test func aReplayWithSoundPlaysTheAlertCueAndTheLastRepsCountOnTheConfiguredDevice() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.lumbar) else {
            print("SKIP: \(Self.lumbar) not built (swift build)"); return
        }
        let scratch = Scratch()
        defer { scratch.remove() }
        let wavPath = scratch.path + "/replay.wav"
        let conf = """
            pcm.lumbar_test {
                type file
                slave.pcm { type null }
                file "\(wavPath)"
                format "wav"
            }
            """
        try conf.write(toFile: scratch.path + "/asound.conf", atomically: true, encoding: .utf8)
        let (status, stdout, stderr) = try Self.run(
            ["replay", Self.root + "/recordings/fatigue-back-kick.lrec", "--speed", "8", "--sound", "--sound-device", "lumbar_test",
             "--speak", "counts"],
            environment: ["ALSA_CONFIG_PATH": scratch.path + "/asound.conf"], in: scratch)
        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains("Sound on 'lumbar_test' 22050 Hz mono, period 128 frames (5.8 ms)"), "\(stderr)")
        #expect(stdout.contains("lumbar_moved") || stdout.contains("LUMBAR"), "\(stdout)")
        let wav = try #require(WAVFile(path: wavPath), "no WAV from the replay")
        var settings = SoundSettings()
        settings.spoken = [.counts]
        let bank = try SoundBank.render(settings)
        let alert = bestMatch(of: bank.clip(.alertFirst), in: wav.samples)
        #expect(alert.correlation > 0.999, "no alert cue in the replay's audio (\(alert.correlation))")
        // Speech is not compared here: espeak-ng carries its voice source's phase from one utterance to the
        // next, so this process's clips differ slightly from the replay's; AlsaRenderTests compares the
        // spoken count with the player's own bank.
    }

    @Test func noAudioDeviceIsOneLineAndTheReplayGoesOn() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.lumbar) else {
            print("SKIP: \(Self.lumbar) not built (swift build)"); return
        }
        let scratch = Scratch()
        defer { scratch.remove() }
        let (status, stdout, stderr) = try Self.run(
            ["replay", Self.root + "/recordings/clean-back-kick.lrec", "--speed", "1000", "--sound", "--sound-device", "lumbar_none"],
            environment: [:], in: scratch)
        #expect(status == 0, "\(stderr)")
        let lines = stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines == ["No sound: ALSA could not open 'lumbar_none': No such file or directory. The session goes on without it."])
        #expect(stdout.contains("8 reps"), "\(stdout)")
    }

    @Test func soundWithoutAPaceIsRefusedInOneLine() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.lumbar) else {
            print("SKIP: \(Self.lumbar) not built (swift build)"); return
        }
        let scratch = Scratch()
        defer { scratch.remove() }
        let (status, _, stderr) = try Self.run(["replay", Self.root + "/recordings/clean-back-kick.lrec", "--sound"], environment: [:], in: scratch)
        #expect(status == 64)
        #expect(stderr.contains("'--sound' plays the cues as the session happens: give '--speed 1' (real time)."), "\(stderr)")
    }
}
