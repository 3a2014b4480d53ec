import LumbarCore
import LumbarProtocol
import LumbarSession
import LumbarSim

/// Plays a simulated session as if it were live: the simulator's packets are encoded into wire frames,
/// split into reads as a serial port would deliver them, and fed with their arrival times to a
/// `LiveSession` (pipeline and, optionally, recorder). Dropouts in the script become an unplug
/// (`sensor_lost: unplugged`) and a replug (`sensor_connected`) of that sensor.
public enum SimulatedRecording {
    /// Host monotonic time of the session's start, ns (any value; recordings store absolute times).
    public static let startHostNanoseconds: Int64 = 1_000_000_000_000

    /// The header a simulated recording gets.
    public static func header(for script: SessionScript, name: String) -> RecordingHeader {
        RecordingHeader(
            startUnixNanoseconds: 1_763_784_000_000_000_000, startHostNanoseconds: startHostNanoseconds,
            software: "lumbar 0.1.0 (simulated: \(name))",
            settings: KeyValueText([("source", "simulator"), ("scenario", name), ("seed", String(script.seed))]))
    }

    /// Runs `script` through `session`, returning when the simulated session is over (not paced).
    ///
    /// - Parameters:
    ///   - script: the simulated session.
    ///   - session: the live session to feed (its recorder, if any, records everything).
    ///   - output: receives the live events and samples.
    ///   - limit: stop after this many seconds of session time (nil = the whole session).
    ///   - framing: re-frames and re-times the samples (nil: as the simulator's sensors send them).
    public static func play<Output: SessionOutput>(
        _ script: SessionScript, into session: LiveSession, output: inout Output, limit: Double? = nil,
        framing: Framing? = nil
    ) {
        var stream = Simulator.stream(script)
        var reframed = framing.map { $0.apply(to: stream)[...] }
        var encoder = FrameEncoder()
        var frame: [UInt8] = []
        var split = SplitMix64(seed: script.seed)
        func ns(_ seconds: Double) -> Int64 { startHostNanoseconds + Int64((seconds * 1e9).rounded()) }
        let descriptors = script.sensors.enumerated().map { i, s in
            SensorDescriptor(
                id: s.serial, placement: s.reportedPlacement, port: "sim\(i)",
                details: KeyValueText([("rate_hz", String(s.sampleRateHz))]))
        }
        var indexOf = [Int](repeating: -1, count: script.sensors.count)
        for (i, d) in descriptors.enumerated() { indexOf[i] = session.connect(d, at: ns(0), into: &output) }
        // The dropout each sensor is in (unplugged), if any; packets in flight then are lost.
        var unplugged = [SimulatedInterval?](repeating: nil, count: script.sensors.count)
        var handled = [Int](repeating: 0, count: script.sensors.count)
        while let p = reframed != nil ? reframed!.popFirst() : stream.next() {
            if let limit, p.arrivalTime > limit { break }
            // Unplug sensors whose next dropout has begun by now.
            for (i, s) in script.sensors.enumerated() where unplugged[i] == nil && handled[i] < s.dropouts.count {
                let d = s.dropouts[handled[i]]
                if d.start <= p.arrivalTime {
                    unplugged[i] = d
                    handled[i] += 1
                    session.lose(sensor: indexOf[i], reason: .unplugged, at: ns(d.start), into: &output)
                }
            }
            let i = p.sensorIndex
            if let d = unplugged[i] {
                guard p.arrivalTime >= d.end else { continue }
                unplugged[i] = nil
                indexOf[i] = session.connect(descriptors[i], at: ns(p.arrivalTime) - 1000, into: &output)
            }
            frame.removeAll(keepingCapacity: true)
            encoder.encode(p.packet, into: &frame)
            // A serial read often ends mid-frame: deliver the first part 0.3 ms early, half of the time.
            if frame.count > 8 && split.next() & 1 == 0 {
                let cut = 1 + Int(split.next() % UInt64(frame.count - 1))
                frame.withUnsafeBytes { b in
                    session.receive(UnsafeRawBufferPointer(rebasing: b[0..<cut]), from: indexOf[i],
                                    at: ns(p.arrivalTime - 0.0003), into: &output)
                    session.receive(UnsafeRawBufferPointer(rebasing: b[cut...]), from: indexOf[i],
                                    at: ns(p.arrivalTime), into: &output)
                }
            } else {
                session.receive(frame, from: indexOf[i], at: ns(p.arrivalTime), into: &output)
            }
        }
    }

    /// Records `scenario` to `path` and returns what the live pipeline saw.
    ///
    /// - Throws: `RecordingError` when the file cannot be written.
    ///
    /// - Returns: the path written (a numbered name next to `path` when it existed, unless `overwrite`).
    @discardableResult
    public static func record<Output: SessionOutput>(
        _ scenario: DemoScenario, to path: String, overwrite: Bool = false, settings: SessionPipeline.Settings = .default,
        framing: Framing? = nil, output: inout Output
    ) throws(RecordingError) -> String {
        try record(
            scenario.script, name: scenario.rawValue, to: path, overwrite: overwrite, settings: settings, framing: framing,
            output: &output)
    }

    /// A long three-sensor session for benchmarks: bird dogs (lumbar and both ankles at 400 Hz),
    /// about one set of 10 reps per minute, faults at random.
    public static func longSession(minutes: Int, seed: UInt64 = 7) -> SessionScript {
        SessionScript.random(.birdDog, seed: seed, sets: max(1, minutes), repsPerSet: 10)
    }

    /// Records `script` to `path` and returns what the live pipeline saw.
    ///
    /// - Throws: `RecordingError` when the file cannot be written.
    ///
    /// - Returns: the path written (a numbered name next to `path` when it existed, unless `overwrite`).
    @discardableResult
    public static func record<Output: SessionOutput>(
        _ script: SessionScript, name: String, to path: String, overwrite: Bool = false,
        settings: SessionPipeline.Settings = .default, framing: Framing? = nil, output: inout Output
    ) throws(RecordingError) -> String {
        let recorder = try Recorder(
            path: path, header: header(for: script, name: name),
            settings: Recorder.Settings(flushInterval: 0.5, bufferCapacity: 1 << 30, syncToDisk: false), overwrite: overwrite)
        let session = LiveSession(pipeline: SessionPipeline(settings: settings), recorder: recorder)
        play(script, into: session, output: &output, framing: framing)
        try session.finish(into: &output)
        return recorder.path
    }
}

