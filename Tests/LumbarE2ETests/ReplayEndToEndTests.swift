import Foundation
import Testing

/// `lumbar replay` and `lumbar export` as a user runs them: hostile inputs and option values, outputs
/// that fail (issue 14).
@Suite(.serialized)
struct ReplayEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let kick = root + "/recordings/clean-back-kick.lrec"

    /// Runs `lumbar ARGUMENTS` to its end (at most `seconds`): exit status (nil when it had to be killed), stdout, stderr.
    static func run(_ arguments: [String], in scratch: ScratchDirectory, name: String = "run", seconds: Double = 60)
        async throws -> (status: Int32?, stdout: String, stderr: String)
    {
        let p = try LumbarProcess(arguments, in: scratch.path, name: name)
        let status = await p.waitForExit(seconds: seconds)
        return (status, p.stdout, p.stderr)
    }

    /// Half a second at 100 Hz, a 10^13 s jump, half a second more.
    static func jumpingCSV() -> String {
        var text = "time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n"
        for k in 0..<50 { text += "\(Double(k) * 0.01),0,0,1,0,0,0\n" }
        for k in 0..<50 { text += "\(1e13 + Double(k) * 0.01),0,0,1,0,0,0\n" }
        return text
    }

    /// Issue 14 item 2: on main before the fix this trapped (SIGILL, "Double value cannot be converted to Int64").
    @Test func aPacedReplayOfACSVWhoseTimeJumpsBy1e13SecondsSkipsTheGapWithOneWarning() async throws {
        let scratch = ScratchDirectory()
        let csv = scratch.path + "/jump.csv"
        try Self.jumpingCSV().write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try await Self.run(["replay", csv, "--speed", "1", "--quiet"], in: scratch)
        #expect(r.status == 0, "\(r.stderr)")
        let warnings = r.stderr.split(separator: "\n").filter { $0.contains("time jumps by") }
        #expect(warnings.count == 1, "\(r.stderr)")
        #expect(warnings.first?.contains(csv) == true)
    }

    /// Issue 14 items 2 and 11: on main before the fix `--speed 1e-12` trapped and `--speed -1` said "Missing value".
    @Test func speedsThatCannotPaceAReplayAreRefusedInOneLine() async throws {
        let scratch = ScratchDirectory()
        for speed in ["1e-12", "-1", "0", "nan", "inf"] {
            let r = try await Self.run(["replay", Self.kick, "--speed", speed, "--quiet"], in: scratch)
            #expect(r.status == 64, "--speed \(speed): \(r.stderr)")
            #expect(r.stderr.contains("'--speed' must be a number from 0.001 up"), "--speed \(speed): \(r.stderr)")
            #expect(!r.stderr.contains("Missing value"), "--speed \(speed): \(r.stderr)")
        }
    }

    /// Issue 14 item 4: on main before the fix, a second `record` to the same path truncated the first recording.
    @Test func aSecondRecordingToTheSamePathGetsANumberedNameAndOverwriteReplaces() async throws {
        let scratch = ScratchDirectory()
        let path = scratch.path + "/session.lrec"
        let first = try await Self.run(["record", "--simulate", "clean-back-kick", "--output", path, "--quiet"], in: scratch)
        #expect(first.status == 0, "\(first.stderr)")
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let second = try await Self.run(["record", "--simulate", "clean-back-kick", "--output", path, "--quiet"], in: scratch)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("'\(path)' exists: recorded to '\(scratch.path)/session-1.lrec' instead"), "\(second.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/session-1.lrec"))
        let third = try await Self.run(["record", "--simulate", "clean-back-kick", "--output", path, "--overwrite", "--quiet"], in: scratch)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/session-2.lrec"))
    }

    /// Issue 14 item 4: on main before the fix, `replay v.lrec --events v.lrec` and `export v.lrec --reps v.lrec`
    /// erased the recording they read.
    @Test func anOutputThatIsTheInputIsRefusedAndTheInputStaysIntact() async throws {
        let scratch = ScratchDirectory()
        let path = scratch.path + "/v.lrec"
        try FileManager.default.copyItem(atPath: Self.kick, toPath: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        for arguments in [["replay", path, "--events", path, "--quiet"], ["export", path, "--reps", scratch.path + "/./v.lrec"],
                          ["export", path, "--summary", scratch.path + "/summary.txt", "--html", path]] {
            let r = try await Self.run(arguments, in: scratch)
            #expect(r.status == 1, "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains("is the input; an output cannot be written over it"), "\(arguments): \(r.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original, "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/summary.txt"), "nothing is written when an output is refused")
    }
}

/// The small things of issue 14 item 11, each failing on main before the fix.
@Suite(.serialized)
struct SmallThingsEndToEndTests {
    /// On main: "exercise: auto" in the summary and report after the exercise was recognised, and no date in the report.
    @Test func theSummaryAndReportShowTheRecognisedExerciseAndTheReportItsDate() async throws {
        let scratch = ScratchDirectory()
        let r = try await ReplayEndToEndTests.run(
            ["export", ReplayEndToEndTests.root + "/recordings/bird-dog-rotation.lrec", "--summary", scratch.path + "/s.txt",
             "--html", scratch.path + "/r.html"], in: scratch)
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try String(contentsOfFile: scratch.path + "/s.txt", encoding: .utf8)
        #expect(summary.contains("exercise: bird_dog\n"), "\(summary)")
        let html = try String(contentsOfFile: scratch.path + "/r.html", encoding: .utf8)
        #expect(html.contains("<td class=\"l\" id=\"summary-exercise\">bird_dog</td>"))
        #expect(html.contains("<p id=\"recorded\">Recorded 2025-11-22T"), "no recording date in the report")
    }

    /// On main: a 7-byte file was "recording format version 0 is not supported".
    @Test func aSevenByteFileIsTooShortNotFormatVersionZero() async throws {
        let scratch = ScratchDirectory()
        let path = scratch.path + "/seven.lrec"
        try Data("LUMBREC".utf8).write(to: URL(fileURLWithPath: path))
        let r = try await ReplayEndToEndTests.run(["replay", path], in: scratch)
        #expect(r.status == 1)
        #expect(r.stderr.contains("'\(path)': only 7 bytes: the recording ends before its format version"), "\(r.stderr)")
        #expect(!r.stderr.contains("version 0"))
    }

    /// On main: `lumbar live --device DIR` retried the folder every 0.5 s forever.
    @Test func aFolderGivenAsADeviceIsRefusedAtOnce() async throws {
        let scratch = ScratchDirectory()
        let r = try await ReplayEndToEndTests.run(["live", "--device", scratch.path, "--no-status"], in: scratch, seconds: 20)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("'\(scratch.path)' is a folder, not a sensor port"), "\(r.stderr)")
    }

    /// On main: `--help` sent readers to FORMATS.md, which is not in the repository.
    @Test func helpCitesNoFileTheRepositoryLacks() async throws {
        let scratch = ScratchDirectory()
        for command in ["live", "export", "replay", "record", "simulate", "fuse"] {
            let r = try await ReplayEndToEndTests.run([command, "--help"], in: scratch, name: command)
            #expect(r.status == 0)
            #expect(!r.stdout.contains("FORMATS.md"), "lumbar \(command) --help: \(r.stdout)")
        }
    }
}

/// `lumbar simulate --pty --link-dir DIR`, the README's no-hardware quick start (issue 14 item 9).
@Suite(.serialized)
struct SimulateLinkDirectoryEndToEndTests {
    /// On main before the fix, a missing DIR gave no links and not a word.
    @Test func aMissingLinkFolderIsCreatedAndHoldsALinkPerSensor() async throws {
        let scratch = ScratchDirectory()
        let links = scratch.path + "/fresh/sensors"
        let simulator = try LumbarProcess(
            ["simulate", "--pty", "--link-dir", links, "--sets", "1", "--reps", "1"], in: scratch.path, name: "simulate")
        let ready = await simulator.wait(seconds: 30) { $0.stdout.contains("ready\n") }
        #expect(ready, "\(simulator.stderr)")
        let names = simulator.stdout.split(separator: "\n").prefix { $0 != "ready" }.map { String($0.split(separator: " ")[0]) }
        #expect(names.count >= 2)
        func target(_ name: String) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: links + "/" + name) }
        for name in names {
            #expect(target(name)?.hasPrefix("/dev/pts/") == true, "\(name): \(String(describing: target(name)))")
        }
        simulator.terminate()
        _ = await simulator.waitForExit(seconds: 10)
        // Its sensors are gone, and their links with them (a pty number is reused by the next program).
        #expect(names.allSatisfy { target($0) == nil }, "\(names.map { target($0) ?? "-" })")
    }

    @Test func aLinkFolderThatCannotBeCreatedIsOneClearLine() async throws {
        let scratch = ScratchDirectory()
        let file = scratch.path + "/a-file"
        FileManager.default.createFile(atPath: file, contents: Data())
        let r = try await ReplayEndToEndTests.run(["simulate", "--pty", "--link-dir", file + "/sensors"], in: scratch, seconds: 30)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("'\(file)/sensors': cannot create the --link-dir folder: not a directory (ENOTDIR)"), "\(r.stderr)")
    }
}

extension SmallThingsEndToEndTests {
    /// On main: `cat s.lrec | lumbar replay /dev/stdin` said "not a Lumbar recording" (the peek at its first
    /// bytes consumed them).
    @Test func aRecordingOnAPipeReplaysLikeTheFile() async throws {
        let scratch = ScratchDirectory()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: lumbarExecutable)
        p.arguments = ["replay", "/dev/stdin", "--quiet", "--events", scratch.path + "/events.jsonl"]
        p.environment = scratchEnvironment(scratch.path)
        let pipe = Pipe()
        p.standardInput = pipe
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: ReplayEndToEndTests.kick))
        try pipe.fileHandleForWriting.write(contentsOf: bytes)
        try pipe.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let expected = try String(contentsOfFile: ReplayEndToEndTests.root + "/recordings/expected/clean-back-kick.events.jsonl", encoding: .utf8)
        #expect(try String(contentsOfFile: scratch.path + "/events.jsonl", encoding: .utf8) == expected)
    }
}
