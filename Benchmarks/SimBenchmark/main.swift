// Release-build benchmark of the simulator: `make bench-sim` (or `swift run -c release SimBenchmark`).
// Prints one table row per workload: simulated seconds, samples, wall and CPU time, samples per CPU second,
// real-time factor (simulated seconds per CPU second). CPU time is the figure to quote on a shared machine.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore
import LumbarProtocol
import LumbarSim

/// A ~20-minute bird-dog session: 3 sensors (lumbar, both ankles) at 400 Hz, every nuisance.
func twentyMinuteSession() -> SessionScript {
    SessionScript.random(.birdDog, seed: 2026, sets: 17, repsPerSet: 10, nuisances: .all)
}

/// CPU time of this process, s.
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func measure(_ body: () -> (simulated: Double, samples: Int)) -> (Double, Double, Double, Int) {
    let clock = ContinuousClock()
    var result = (simulated: 0.0, samples: 0)
    let cpu0 = cpuSeconds()
    let elapsed = clock.measure { result = body() }
    let cpu = cpuSeconds() - cpu0
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return (seconds, cpu, result.simulated, result.samples)
}

func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
func lpad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }

let script = twentyMinuteSession()
var rows: [(String, Double, Double, Double, Int)] = []

let run = measure {
    let session = Simulator.run(script)
    return (session.truth.duration, session.sensors.reduce(0) { $0 + $1.samples.count })
}
rows.append(("run: samples + truth (3 sensors)", run.0, run.1, run.2, run.3))

let stream = measure {
    var frames = Simulator.stream(script)
    var samples = 0
    while let p = frames.next() { samples += p.batchTruth?.samples.count ?? 0 }
    return (frames.duration, samples)
}
rows.append(("stream: packets in arrival order", stream.0, stream.1, stream.2, stream.3))

var bytes = 0
let encoded = measure {
    var frames = Simulator.stream(script)
    var encoder = FrameEncoder()
    var buffer: [UInt8] = []
    var samples = 0
    while let p = frames.next() {
        buffer.removeAll(keepingCapacity: true)
        p.encode(with: &encoder, into: &buffer)
        bytes += buffer.count
        samples += p.batchTruth?.samples.count ?? 0
    }
    return (frames.duration, samples)
}
rows.append(("stream + encode wire frames", encoded.0, encoded.1, encoded.2, encoded.3))

print("LumbarSim benchmark: \(script.exercise), \(script.sets.count) sets, \(script.sensors.count) sensors at 400 Hz, all nuisances")
print(pad("workload", 36) + lpad("session s", 11) + lpad("samples", 11) + lpad("wall s", 9) + lpad("cpu s", 9)
    + lpad("samples/cpu s", 15) + lpad("x realtime", 12))
for (name, wall, cpu, simulated, samples) in rows {
    print(pad(name, 36) + lpad(FixedDecimal.format(simulated, decimals: 1), 11) + lpad(String(samples), 11)
        + lpad(FixedDecimal.format(wall, decimals: 2), 9) + lpad(FixedDecimal.format(cpu, decimals: 2), 9)
        + lpad(FixedDecimal.format(Double(samples) / cpu, decimals: 0), 15)
        + lpad(FixedDecimal.format(simulated / cpu, decimals: 0), 12))
}
print("encoded: \(bytes) bytes of frames")
