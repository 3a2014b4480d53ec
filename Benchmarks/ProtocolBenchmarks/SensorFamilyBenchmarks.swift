// Decode throughput of the sensor-family decoders (issue 15) on one core, same method as the table
// above: an in-memory stream from each family's emulator, best of several runs, per-thread CPU time.

import LumbarCore
import LumbarProtocol
import LumbarSim

/// Samples with motion in every axis (so ASCII lines have realistic widths), device time at 400 Hz.
func familyBenchmarkSamples(_ count: Int) -> [ImuSample] {
    (0..<count).map { index in
        let phase = Float(index % 1000) / 1000
        return ImuSample(
            time: 10 + Double(index) / 400,
            accelerometer: Vector3(0.1 * phase - 0.05, -0.98 + 0.02 * phase, 0.12 * phase),
            gyroscope: Vector3(120 * phase - 60, -35.5 * phase, 8.25 - 16.5 * phase)
        )
    }
}

/// Decodes `stream` in chunks of `chunkSize` with `decode`, returns (CPU seconds, samples).
func timeFamily(_ stream: [UInt8], chunkSize: Int, _ decode: (UnsafeRawBufferPointer, inout Int, inout Int64) -> Void)
    -> (cpuSeconds: Double, samples: Int)
{
    var samples = 0
    var checksum: Int64 = 0
    let cpuStart = threadCPUSeconds()
    stream.withUnsafeBytes { all in
        var start = 0
        while start < all.count {
            let end = min(all.count, start + chunkSize)
            decode(UnsafeRawBufferPointer(rebasing: all[start..<end]), &samples, &checksum)
            start = end
        }
    }
    let cpuSeconds = threadCPUSeconds() - cpuStart
    sink &+= checksum
    return (cpuSeconds, samples)
}

/// Counts a decoded sample into the run's totals (and the checksum that keeps the work observable).
@inline(__always)
func tally(_ output: SensorFamilyOutput, _ samples: inout Int, _ checksum: inout Int64) {
    if case .sample(let s) = output {
        samples += 1
        checksum &+= Int64(s.accelerometer.x.bitPattern)
    }
}

func runSensorFamilyBenchmarks(repetitions: Int) {
    let count = 2_000_000
    let samples = familyBenchmarkSamples(count)
    let streams: [(name: String, bytes: [UInt8])] = [
        ("x-IMU3 binary", XIMU3Emulation.stream(samples, mode: .binary)),
        ("x-IMU3 ASCII", XIMU3Emulation.stream(samples, mode: .ascii)),
        ("WitMotion (0x50-0x53 cycle)", WitMotionEmulation.stream(samples, timePackets: true)),
        ("text lines (7 columns)", TextLineEmulation.stream(samples)),
    ]
    print("")
    print("Sensor-family decoders (issue 15), best of \(repetitions) runs of \(count) samples, 64 KiB chunks:")
    print("| family                      | B/sample | MB/s CPU | Msamples/s CPU |")
    print("|-----------------------------|----------|----------|----------------|")
    for (name, bytes) in streams {
        var bestCPU = Double.infinity
        var decoded = 0
        for _ in 0..<repetitions {
            let result: (cpuSeconds: Double, samples: Int)
            switch name {
            case _ where name.hasPrefix("x-IMU3"):
                var decoder = XIMU3Decoder()
                result = timeFamily(bytes, chunkSize: 65536) { chunk, samples, checksum in
                    decoder.decode(chunk) { tally($0, &samples, &checksum) }
                }
            case _ where name.hasPrefix("WitMotion"):
                var decoder = WitMotionDecoder(configuration: .init(rate: 400))
                var now = 0.0
                result = timeFamily(bytes, chunkSize: 65536) { chunk, samples, checksum in
                    now += 0.001
                    decoder.decode(chunk, receivedAt: now) { tally($0, &samples, &checksum) }
                }
            default:
                var decoder = TextLineDecoder()
                result = timeFamily(bytes, chunkSize: 65536) { chunk, samples, checksum in
                    decoder.decode(chunk) { tally($0, &samples, &checksum) }
                }
            }
            bestCPU = min(bestCPU, result.cpuSeconds)
            decoded = result.samples
        }
        precondition(decoded == count, "ProtocolBenchmarks: \(name) decoded \(decoded) of \(count) samples")
        print(
            "| \(pad(name, 27)) | \(pad(fixed1(Double(bytes.count) / Double(count)), 8)) "
                + "| \(pad(fixed1(Double(bytes.count) / 1e6 / bestCPU), 8)) | \(pad(fixed1(Double(decoded) / 1e6 / bestCPU), 14)) |"
        )
    }
}
