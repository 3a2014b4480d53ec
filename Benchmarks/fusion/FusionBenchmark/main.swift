// lumbar-fusion-bench: release-build figures for the orientation filter.
//
//   lumbar-fusion-bench speed [BROAD_DIR]       ns per OrientationFilter.update and heap allocations per update
//   lumbar-fusion-bench accuracy [BROAD_DIR] [setting=value ...]
//                                               BROAD inclination RMSE per trial, in process (settings for studies)
//
// BROAD_DIR defaults to $LUMBAR_BROAD_DIR, else ../shared/datasets/broad (or ../../shared/...) from the
// current directory. Speed runs on BROAD trial 21 (fast combined motion) when present, otherwise on a
// synthetic rotating, shaking sensor.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BroadBenchmark
import CMallocCounter
import LumbarCore
import LumbarFusion

func fail(_ message: String) -> Never {
    var text = "lumbar-fusion-bench: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(1)
}

/// CPU time of this thread (not wall time), so that other load on the machine does not count.
func nanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// A sensor rotating about a wobbling axis at up to ~400 deg/s and shaken at 3 Hz, 285.7 Hz, with noise.
func syntheticSamples(count: Int) -> [ImuSample] {
    var samples: [ImuSample] = []
    samples.reserveCapacity(count)
    var q = Quaternion.identity
    var seed: UInt64 = 42
    func noise() -> Float {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int64(bitPattern: seed >> 11) % 2000) / 1000 - 1
    }
    let dt = 1 / 285.714
    for i in 0..<count {
        let t = Double(i) * dt
        let w = Vector3(Float(300 * sin(0.7 * t)), Float(200 * cos(0.4 * t)), Float(100 * sin(1.3 * t)))
        q = (q * Quaternion(rotationVector: w * (Float(dt) * .pi / 180))).normalized
        let shake = Vector3(0, 0, Float(0.3 * sin(2 * .pi * 3 * t)))
        let f = q.inverseRotate(Vector3.unitZ + shake) + Vector3(noise(), noise(), noise()) * 0.01
        samples.append(ImuSample(time: t, accelerometer: f, gyroscope: w + Vector3(noise(), noise(), noise()) * 0.2))
    }
    return samples
}

/// Runs the filter over `samples` `passes` times; returns (best ns/update, median ns/update, allocations/update).
func measureSpeed(_ samples: [ImuSample], passes: Int) -> (Double, Double, Double) {
    var perPass: [Double] = []
    perPass.reserveCapacity(passes)
    var allocations: UInt64 = 0
    var checksum: Float = 0
    for _ in 0..<passes {
        var filter = OrientationFilter()
        let before = lumbar_malloc_count()
        let start = nanoseconds()
        for s in samples {
            let q = filter.update(s)
            checksum += q.x
        }
        let end = nanoseconds()
        allocations += lumbar_malloc_count() - before
        perPass.append(Double(end - start) / Double(samples.count))
    }
    if !checksum.isFinite { fail("the filter produced a non-finite orientation") }
    // The counter must see allocations elsewhere, or a 0 above would prove nothing.
    let probe = [Int](repeating: passes, count: 1000)
    if lumbar_malloc_count() == 0 || probe.isEmpty { fail("the allocation counter is not active") }
    perPass.sort()
    return (perPass[0], perPass[passes / 2], Double(allocations) / Double(passes * samples.count))
}

func applySetting(_ assignment: String, to s: inout OrientationFilter.Settings) {
    let parts = assignment.split(separator: "=")
    guard parts.count == 2, let v = Double(parts[1]) else { fail("expected setting=value, found '\(assignment)'") }
    switch parts[0] {
    case "tau": s.accelerometerTimeConstant = v
    case "restTau": s.restFilterTimeConstant = v
    case "biasMotion": s.estimatesBiasDuringMotion = v != 0
    case "gyroscopeDelay": s.gyroscopeDelay = v
    case "biasRest": s.estimatesBiasAtRest = v != 0
    default: fail("unknown setting '\(parts[0])'")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first ?? "speed"
var environment: [String: String] = [:]
if let dir = getenv("LUMBAR_BROAD_DIR") { environment["LUMBAR_BROAD_DIR"] = String(cString: dir) }
let explicitDirectory = arguments.dropFirst().first { !$0.contains("=") }
let broad = explicitDirectory ?? BroadTrial.directory(packageRoot: ".", environment: environment)

switch mode {
case "speed":
    let samples: [ImuSample]
    let source: String
    if let broad, let trial = try? BroadTrial(directory: broad, name: BroadTrial.names[3]) {
        samples = trial.samples
        source = "BROAD trial \(trial.number), \(samples.count) samples"
    } else {
        samples = syntheticSamples(count: 50_000)
        source = "synthetic motion, \(samples.count) samples"
    }
    let (best, median, allocations) = measureSpeed(samples, passes: 15)
    print("OrientationFilter.update, release build, one core (\(source), 15 passes)")
    print("| filter | ns/update (best) | ns/update (median) | allocations/update |")
    print("|---|---|---|---|")
    print("| Lumbar OrientationFilter | \(FixedDecimal.format(best, decimals: 1)) | \(FixedDecimal.format(median, decimals: 1)) | \(FixedDecimal.format(allocations, decimals: 3)) |")
    print("| VQF C++ core (issue 3, measured here) | ≈290 | | |")
    print("| x-io Fusion C core (issue 3, measured here) | ≈36 | | |")
case "accuracy":
    guard let broad else { fail("no BROAD folder (give it as an argument or set LUMBAR_BROAD_DIR)") }
    var settings = OrientationFilter.Settings.default
    for a in arguments.dropFirst() where a.contains("=") { applySetting(a, to: &settings) }
    var row = ""
    var header = ""
    var total = 0.0
    var worst = 0.0
    for name in BroadTrial.names {
        let trial: BroadTrial
        do { trial = try BroadTrial(directory: broad, name: name) } catch { fail("\(error)") }
        var filter = OrientationFilter(settings: settings)
        let estimates = trial.samples.map { filter.update($0) }
        let rmse = trial.inclinationRMSE(estimates)
        header += "  \(trial.number)  "
        row += " " + FixedDecimal.format(rmse, decimals: 3)
        total += rmse
        worst = max(worst, rmse)
    }
    print(header + "  mean  worst")
    print(row + " " + FixedDecimal.format(total / 6, decimals: 3) + " " + FixedDecimal.format(worst, decimals: 3))
default:
    fail("unknown mode '\(mode)' (expected speed or accuracy)")
}
