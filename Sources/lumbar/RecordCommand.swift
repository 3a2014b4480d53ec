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

    @Option(name: .customLong("device"), help: "A sensor's serial port, \(DeviceSpec.syntax) as for live (repeat for each sensor).")
    var devices: [String] = []

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @OptionGroup var ping: PingOption

    @Option(help: ArgumentHelp("Record a simulated demo session instead of devices.", visibility: .hidden))
    var simulate: DemoScenario?

    @Option(help: ArgumentHelp("Record a long simulated three-sensor session of about this many minutes (benchmarks).",
                               visibility: .hidden))
    var simulateMinutes: Int?

    @Flag(help: "Replace FILE when it exists (by default a recording is never overwritten: it gets the next free numbered name, e.g. session-1.lrec).")
    var overwrite = false

    @Option(
        help: ArgumentHelp(
            "With --simulate: re-frame the samples, N per frame or a range 'A-B' drawn per frame (1-64).", visibility: .hidden),
        transform: NumberRange.wholeNumbers(in: 1...SampleBatch.maximumSampleCount))
    var frameSamples: ClosedRange<Int>?

    @Option(
        help: ArgumentHelp(
            "With --frame-samples: USB latency from a frame's last sample to its arrival, ms, 'A-B' (default 1-4).",
            visibility: .hidden),
        transform: NumberRange.parse)
    var latencyMs: NumberRange = NumberRange(range: 1...4)

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
        if let stallEvery, !(stallEvery > 0) {
            throw ValidationError("'--stall-every' must be positive, got '\(stallEvery)'")
        }
    }

    /// The re-framing asked for with `--frame-samples` (nil: as the simulated sensors send).
    func framing() -> Framing? {
        guard let frameSamples else { return nil }
        let latency = latencyMs.range
        return Framing(
            samplesPerFrame: frameSamples, latency: latency.lowerBound / 1000...latency.upperBound / 1000,
            stallInterval: stallEvery, seed: framingSeed)
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
                simulate, to: self.output, overwrite: overwrite, framing: framing(), output: &output)
            if written != self.output { TerminalLines.standardError("'\(self.output)' exists: recorded to '\(written)' instead") }
            if !quiet {
                let s = output.summary(duration: output.events.last?.time ?? 0)
                terminal.line("recorded '\(written)': \(simulate.summary); \(s.reps) reps found live")
            }
            return
        }
        try DeviceRecording(
            devices: try devices.map(DeviceSpec.init), output: self.output, overwrite: overwrite, duration: duration, pings: ping.pings,
            terminal: terminal)
            .run(into: &output)
    }
}

extension DemoScenario: ExpressibleByArgument {}
