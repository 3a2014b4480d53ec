import ArgumentParser
import LumbarCore
import LumbarProtocol
import LumbarRecordings
import LumbarSession

/// `lumbar record`: sensors → a recording file (raw bytes with receive times, see RECORDING.md).
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Records sensors to a file (.lrec) while printing the live events.",
        discussion: """
            Records the raw bytes of each sensor with their receive times, flushed every 0.5 s, so \
            'lumbar replay FILE' later reproduces the live session exactly. Stops on Ctrl-C or after \
            --duration seconds. (The '--simulate NAME' mode records a simulated demo session instead: \
            \(DemoScenario.allCases.map(\.rawValue).joined(separator: ", ")).)
            """
    )

    @Option(name: .shortAndLong, help: "The recording to write (.lrec).")
    var output: String

    @Option(name: .customLong("device"), help: "A sensor's serial port (repeat for each sensor).")
    var devices: [String] = []

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Option(help: ArgumentHelp("Record a simulated demo session instead of devices.", visibility: .hidden))
    var simulate: DemoScenario?

    @Option(help: ArgumentHelp("Record a long simulated three-sensor session of about this many minutes (benchmarks).",
                               visibility: .hidden))
    var simulateMinutes: Int?

    @Flag(help: "Replace FILE when it exists (by default a recording is never overwritten: it gets the next free numbered name, e.g. session-1.lrec).")
    var overwrite = false

    @Option(help: ArgumentHelp(
        "With --simulate: re-frame the samples, N per frame or a range 'A-B' drawn per frame (1-64).",
        visibility: .hidden))
    var frameSamples: String?

    @Option(help: ArgumentHelp(
        "With --frame-samples: USB latency from a frame's last sample to its arrival, ms, 'A-B' (default 1-4).",
        visibility: .hidden))
    var latencyMs: String = "1-4"

    @Option(help: ArgumentHelp(
        "With --frame-samples: a 200 ms stall of each link about every this many seconds, then a burst.",
        visibility: .hidden))
    var stallEvery: Double?

    @Option(help: ArgumentHelp("With --frame-samples: seed of the latency and stall draws.", visibility: .hidden))
    var framingSeed: UInt64 = 1

    @Flag(name: .shortAndLong, help: "Do not print events.")
    var quiet = false

    func validate() throws {
        if simulate == nil && simulateMinutes == nil && devices.isEmpty {
            throw ValidationError("name the sensors to record with --device PATH (one per sensor)")
        }
        if let duration, !(duration > 0) { throw ValidationError("'--duration' must be positive, got '\(duration)'") }
        _ = try framing()
    }

    /// The re-framing asked for with `--frame-samples` (nil: as the simulated sensors send).
    func framing() throws -> Framing? {
        guard let frameSamples else { return nil }
        func range(_ text: String, _ option: String) throws -> ClosedRange<Double> {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Double($0) }
            guard (1...2).contains(parts.count), let a = parts.first!, let b = parts.last!, a >= 0, b >= a else {
                throw ValidationError("'\(option)' must be a number or a range 'A-B' with 0 <= A <= B, got '\(text)'")
            }
            return a...b
        }
        let n = try range(frameSamples, "--frame-samples")
        let max = Double(SampleBatch.maximumSampleCount)
        guard n.lowerBound >= 1, n.upperBound <= max, n.lowerBound.rounded() == n.lowerBound,
            n.upperBound.rounded() == n.upperBound
        else {
            throw ValidationError("'--frame-samples' must be whole numbers in 1-\(Int(max)), got '\(frameSamples)'")
        }
        let latency = try range(latencyMs, "--latency-ms")
        if let stallEvery, !(stallEvery > 0) {
            throw ValidationError("'--stall-every' must be positive, got '\(stallEvery)'")
        }
        return Framing(
            samplesPerFrame: Int(n.lowerBound)...Int(n.upperBound),
            latency: latency.lowerBound / 1000...latency.upperBound / 1000, stallInterval: stallEvery,
            seed: framingSeed)
    }

    func run() throws {
        let terminal = TerminalLines(eventsToStandardError: false)
        var output = try SessionExporter(options: .init())
        if !quiet { output.eventLine = { terminal.event($0) } }
        if let minutes = simulateMinutes {
            let script = SimulatedRecording.longSession(minutes: minutes)
            try SimulatedRecording.record(script, name: "long-\(minutes)min", to: self.output, overwrite: overwrite, output: &output)
            return
        }
        if let simulate {
            let written = try SimulatedRecording.record(
                simulate, to: self.output, overwrite: overwrite, framing: try framing(), output: &output)
            if written != self.output { TerminalLines.standardError("'\(self.output)' exists: recorded to '\(written)' instead") }
            if !quiet {
                let s = output.summary(duration: output.events.last?.time ?? 0)
                terminal.line("recorded '\(written)': \(simulate.summary); \(s.reps) reps found live")
            }
            return
        }
        try DeviceRecording(devices: devices, output: self.output, overwrite: overwrite, duration: duration, terminal: terminal)
            .run(into: &output)
    }
}

extension DemoScenario: ExpressibleByArgument {}
