import Foundation
import Testing

/// `lumbar record --device ...` as a real process reading `lumbar simulate --pty` sensors, stopped with
/// SIGINT like a person pressing Ctrl-C; the recording is then replayed with `lumbar replay`.
/// Assertions are on the recording's content and the replayed events, never on timing. In the live
/// suite, so that it runs one at a time with the other real-time sessions.
extension LiveDaemonEndToEndTests {
    @Test func aRecordingOfEmulatedSensorsHoldsTheirDeviceInfoEverySampleAndTheReps() async throws {
        let scratch = ScratchDirectory()
        let directory = scratch.path
        let simulator = try LumbarProcess(
            // Longer than the test needs: the recorder is stopped with SIGINT while the sensors still stream.
            ["simulate", "--pty", "--link-dir", directory, "--sets", "1", "--reps", "8", "--seed", "21", "--fault", "2:extension:14"],
            in: directory, name: "simulate")
        #expect(await simulator.wait(seconds: 30) { $0.stdout.contains("ready\n") }, "\(simulator.stderr)")
        // "lumbar /dev/pts/N" and the ankle of the seed's leg, then "ready".
        let names = simulator.stdout.split(separator: "\n").prefix { $0 != "ready" }.map { String($0.split(separator: " ")[0]) }
        #expect(names.count == 2 && names.contains("lumbar"), "\(simulator.stdout)")
        let recording = directory + "/session.lrec"
        let recorder = try LumbarProcess(
            ["record", "--output", recording] + names.flatMap { ["--device", directory + "/" + $0] }, in: directory, name: "record")
        // Ctrl-C once three reps were seen live.
        let threeReps = await recorder.wait(seconds: 120) { $0.stdout.contains("rep 3 done") }
        #expect(threeReps, "lumbar record: \(recorder.stdout) \(recorder.stderr)")
        kill(recorder.process.processIdentifier, SIGINT)
        let recorderStatus = await recorder.waitForExit(seconds: 60)
        simulator.terminate()
        _ = await simulator.waitForExit(seconds: 30)
        #expect(recorderStatus == 0, "lumbar record: \(recorder.stderr)")
        let summary = recorder.stdout.split(separator: "\n").last { $0.hasPrefix("recorded ") }.map(String.init) ?? ""
        #expect(summary.contains(", 0 dropped;"), "\(recorder.stdout)")

        let eventsPath = directory + "/replay.jsonl"
        let replay = try LumbarProcess(["replay", recording, "--events", eventsPath], in: directory, name: "replay")
        #expect(await replay.waitForExit(seconds: 120) == 0, "lumbar replay: \(replay.stderr)")
        let events = readEvents(eventsPath)
        // Both sensors joined under their device info (id and placement from the device, not the port).
        let connected = events.filter { $0.type == "sensor_connected" }
        #expect(Set(connected.compactMap { $0.string("placement") }) == Set(names), "\(connected.map(\.fields))")
        #expect(connected.allSatisfy { $0.sensor?.hasPrefix("/") == false })
        #expect(events.contains { $0.type == "calibrated" })
        let reps = events.filter { $0.type == "rep_completed" }
        #expect(reps.count >= 3, "\(events.map(\.fields))")
        #expect(Set(events.filter { $0.type == "lumbar_moved" }.compactMap(\.rep)) == [2])
        // No sample lost or corrupt on either sensor, in the recording as replayed.
        let statistics = replay.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(statistics.components(separatedBy: " 0 CRC errors, 0 lost").count == 3, "\(replay.stdout)")
        // What record printed live is what the replay prints: same bytes, same receive times, same events.
        #expect(eventLines(recorder.stdout) == eventLines(replay.stdout))
        #expect(!eventLines(replay.stdout).isEmpty)
    }
}

/// The event lines of `lumbar record`/`lumbar replay` terminal output ("    2.001  calibrated ...").
private func eventLines(_ output: String) -> [Substring] {
    output.split(separator: "\n").filter { $0.hasPrefix(" ") }
}
