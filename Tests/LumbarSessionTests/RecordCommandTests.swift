import Foundation
import LumbarCore
import LumbarIO
import LumbarProtocol
import LumbarRecordings
import LumbarSession
import LumbarSim
import Testing

/// `lumbar record` as a real process reading real pseudo-terminals, including being killed with SIGKILL.
struct RecordCommandTests {
    /// The `lumbar` executable built next to the test bundle.
    static let lumbar: String? = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("lumbar").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let built = root.appendingPathComponent(".build/debug/lumbar").path
        return FileManager.default.isExecutableFile(atPath: built) ? built : nil
    }()

    /// Plays the first `seconds` of the clean demo session into one pseudo-terminal per sensor, paced in real time.
    static func playDevices(_ terminals: [PseudoTerminal], seconds: Double) throws {
        var stream = Simulator.stream(DemoScenario.cleanBackKick.script)
        var encoder = FrameEncoder()
        let start = Date()
        var bytes: [UInt8] = []
        while let p = stream.next(), p.arrivalTime < seconds {
            let wait = p.arrivalTime - Date().timeIntervalSince(start)
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            bytes.removeAll(keepingCapacity: true)
            encoder.encode(p.packet, into: &bytes)
            try terminals[p.sensorIndex].write(bytes)
            // Drain what the recorder sends the device (its commands), as firmware would read them.
            var sink = [UInt8](repeating: 0, count: 256)
            _ = sink.withUnsafeMutableBytes { terminals[p.sensorIndex].read(into: $0) }
        }
    }

    static func startRecorder(_ terminals: [PseudoTerminal], output: String, extra: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lumbar!)
        process.arguments = ["record", "--output", output, "--quiet"]
            + terminals.flatMap { ["--device", $0.devicePath] } + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)  // let it open the ports
        return process
    }

    @Test("lumbar record takes the sensors' bytes from their ports, and the recording replays them",
          .enabled(if: lumbar != nil, "the lumbar executable is not built"))
    func recordsPseudoTerminalSensors() throws {
        let terminals = [try PseudoTerminal(), try PseudoTerminal()]
        let path = RecordingTests.temporaryPath("pty.lrec")
        let process = try Self.startRecorder(terminals, output: path, extra: ["--duration", "4.5"])
        try Self.playDevices(terminals, seconds: 3.5)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let reader = try RecordingReader(path: path)
        var placements: [SensorPlacement] = []
        var dataBytes = 0
        while let r = try reader.next() {
            if r.type == .sensorConnected { placements.append(SensorDescriptor(text: KeyValueText(decoding: r.payload)).placement) }
            if r.type == .data { dataBytes += r.payload.count }
        }
        #expect(reader.closedCleanly)
        #expect(Set(placements) == [.lumbar, .rightAnkle], "placements from the device-info packets")
        #expect(dataBytes > 50_000)
        let (_, pipeline) = try ReplayTests.replay(path)
        let stats = pipeline.statistics
        #expect(stats.sensors.allSatisfy { $0.crcErrors == 0 && $0.samples > 1000 })
    }

    @Test("after kill -9, everything up to the last flush reads back and the tail is at worst torn",
          .enabled(if: lumbar != nil, "the lumbar executable is not built"))
    func survivesSIGKILL() throws {
        let terminals = [try PseudoTerminal(), try PseudoTerminal()]
        let path = RecordingTests.temporaryPath("killed.lrec")
        let process = try Self.startRecorder(terminals, output: path, extra: [])
        try Self.playDevices(terminals, seconds: 2.5)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let reader = try RecordingReader(path: path)
        var samples = 0
        var last: Int64 = 0
        var first: Int64?
        while let r = try reader.next() {
            if r.type == .data {
                first = first ?? r.receiveTime
                last = r.receiveTime
                samples += 1
            }
        }
        #expect(!reader.closedCleanly)
        #expect(reader.damage.allSatisfy { $0.kind == .tornTail })
        // Flushed every 0.5 s: at least the first 1.5 s of the 2.5 s written are on disk.
        #expect(Double(last - (first ?? last)) * 1e-9 > 1.5, "recording covers \(Double(last - (first ?? last)) * 1e-9) s")
        let (_, pipeline) = try ReplayTests.replay(path)
        #expect(pipeline.statistics.samples > 1000)
    }
}
