// Decode throughput of LumbarProtocol's FrameDecoder on one core (release build: `make bench-protocol`).
//
// Builds a realistic in-memory stream (sample batches with a status every 200 frames), then decodes it
// several times per scenario and prints the best run as MB/s of wire bytes and samples/s.
// Target (issue 2): at least 20 million samples/s.

import Glibc
import LumbarCore
import LumbarProtocol

/// One benchmark scenario: how samples are batched on the wire and how the bytes arrive.
struct Scenario {
    var name: String
    var samplesPerBatch: Int
    var chunkSize: Int
    var convert: Bool
}

/// Checksum of everything decoded, printed so the optimiser cannot drop the work.
// nonisolated(unsafe): the benchmark runs on the main thread only.
nonisolated(unsafe) var sink: Int64 = 0

func makeStream(samplesPerBatch: Int, totalSamples: Int) -> [UInt8] {
    var encoder = FrameEncoder()
    var bytes: [UInt8] = []
    var sequence: UInt32 = 0
    var frame = 0
    var value: Int16 = 0
    while Int(sequence) < totalSamples {
        var samples: [RawImuSample] = []
        for _ in 0..<samplesPerBatch {
            value &+= 37
            samples.append(
                RawImuSample(
                    accelerometer: RawVector3(value, value &* 3, 4096),
                    gyroscope: RawVector3(0 &- value, value &+ 5, value >> 2)
                )
            )
        }
        let batch = SampleBatch(
            sequence: sequence,
            timestamp: UInt64(sequence) * 4808,
            samplePeriod: 4808,
            samples: samples
        )
        encoder.encode(.sampleBatch(batch), into: &bytes)
        sequence = batch.nextSequence
        frame += 1
        if frame % 200 == 0 {
            encoder.encode(
                .status(
                    DeviceStatus(
                        timestamp: UInt64(sequence) * 4808,
                        batteryMillivolts: 3900,
                        batteryPercent: 80,
                        isStreaming: true,
                        temperatureCentidegrees: 3000,
                        samplesDropped: 0,
                        errors: []
                    )
                ),
                into: &bytes
            )
        }
    }
    return bytes
}

/// CPU time of this thread, seconds: on a shared machine this is the "one core" figure, unlike wall time.
func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

func run(_ scenario: Scenario, stream: [UInt8], scale: ImuScale) -> (seconds: Double, cpuSeconds: Double, samples: Int)
{
    var decoder = FrameDecoder()
    var samples = 0
    var checksum: Int64 = 0
    let clock = ContinuousClock()
    let cpuStart = threadCPUSeconds()
    let elapsed = clock.measure {
        stream.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + scenario.chunkSize)
                decoder.decode(UnsafeRawBufferPointer(rebasing: all[start..<end])) { output in
                    guard case .packet(.sampleBatch(let batch)) = output else { return }
                    samples += batch.samples.count
                    if scenario.convert {
                        batch.forEachSample(scale: scale) { sample in
                            checksum &+=
                                Int64(sample.accelerometer.x.bitPattern) &+ Int64(sample.time.bitPattern & 0xFF)
                        }
                    } else {
                        checksum &+= Int64(batch.samples[batch.samples.count - 1].gyroscope.z)
                    }
                }
                start = end
            }
        }
    }
    let cpuSeconds = threadCPUSeconds() - cpuStart
    sink &+= checksum
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return (seconds, cpuSeconds, samples)
}

let scale = ImuScale(accelerometerSensitivity: 8.0 / 32768, gyroscopeSensitivity: 0.07, tickFrequency: 1_000_000)
let scenarios = [
    Scenario(name: "raw batches", samplesPerBatch: 26, chunkSize: 65536, convert: false),
    Scenario(name: "raw batches", samplesPerBatch: 83, chunkSize: 65536, convert: false),
    Scenario(name: "raw batches", samplesPerBatch: 8, chunkSize: 65536, convert: false),
    Scenario(name: "raw batches", samplesPerBatch: 26, chunkSize: 256, convert: false),
    Scenario(name: "raw batches", samplesPerBatch: 26, chunkSize: 1, convert: false),
    Scenario(name: "+ ImuSample (g, deg/s, s)", samplesPerBatch: 26, chunkSize: 65536, convert: true),
]
let totalSamples = 4_000_000
let repetitions = 3

func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
func fixed1(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

// `--families`: only the sensor-family table (issue 15), e.g. to compare two builds of the family decoders.
if !CommandLine.arguments.contains("--families") {
    print(
        "LumbarProtocol decode benchmark (release build, one thread, best of \(repetitions) runs of \(totalSamples) samples)"
    )
    print("CPU = per thread CPU time (one core's throughput on this shared machine); wall = elapsed time.")
    print("| scenario                   | samples/batch | chunk B | MB/s CPU | Msamples/s CPU | Msamples/s wall |")
    print("|----------------------------|---------------|---------|----------|----------------|-----------------|")
    for scenario in scenarios {
        let stream = makeStream(samplesPerBatch: scenario.samplesPerBatch, totalSamples: totalSamples)
        var best = Double.infinity
        var bestCPU = Double.infinity
        var decoded = 0
        for _ in 0..<(scenario.chunkSize == 1 ? 2 : repetitions) {
            let (seconds, cpuSeconds, samples) = run(scenario, stream: stream, scale: scale)
            best = min(best, seconds)
            bestCPU = min(bestCPU, cpuSeconds)
            decoded = samples
        }
        precondition(decoded >= totalSamples, "ProtocolBenchmarks: decoded \(decoded) of \(totalSamples) samples")
        print(
            "| \(pad(scenario.name, 26)) | \(pad(String(scenario.samplesPerBatch), 13)) | \(pad(String(scenario.chunkSize), 7)) "
                + "| \(pad(fixed1(Double(stream.count) / 1e6 / bestCPU), 8)) | \(pad(fixed1(Double(decoded) / 1e6 / bestCPU), 14)) "
                + "| \(pad(fixed1(Double(decoded) / 1e6 / best), 15)) |"
        )
    }
}
runSensorFamilyBenchmarks(repetitions: repetitions)
print("(checksum \(sink))")
