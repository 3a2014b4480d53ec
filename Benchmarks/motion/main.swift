// The motion scorer: simulated sessions of every exercise, with and without nuisances, through the
// full chain (OrientationFilter per sensor -> MotionAnalyzer), scored against the simulator's truth.
// Prints the score table and the analyzer's cost per sample. `make bench-motion` runs it in release.
//
// Usage: MotionBench [--seeds N] [--misses]
import LumbarCore
import LumbarMotion
import LumbarMotionScoring
import LumbarSim

#if canImport(Glibc)
import Glibc
#endif

var seeds = 6
var showMisses = false
var trace: (Exercise, UInt64)?
var traceRate: Double?
var traceSets: (Int, Int)?
var arguments = CommandLine.arguments.dropFirst()
while let a = arguments.popFirst() {
    switch a {
    case "--seeds":
        guard let v = arguments.popFirst().flatMap(Int.init), v > 0 else {
            print("MotionBench: '--seeds' needs a positive integer")
            exit(2)
        }
        seeds = v
    case "--misses": showMisses = true
    case "--test-sessions":
        // The short 100 Hz sessions of SimulatedSessionTests (with --trace).
        traceRate = 100
        traceSets = (2, 5)
    case "--trace":
        guard let e = arguments.popFirst().flatMap(Exercise.init(rawValue:)),
            let seed = arguments.popFirst().flatMap(UInt64.init)
        else {
            print("MotionBench: '--trace' needs an exercise and a seed")
            exit(2)
        }
        trace = (e, seed)
    default:
        print("MotionBench: unknown argument '\(a)' (usage: MotionBench [--seeds N] [--misses])")
        exit(2)
    }
}

if let (exercise, seed) = trace {
    var script = SessionScript.random(exercise, seed: seed, nuisances: seed % 2 == 0 ? .all : .none)
    if let rate = traceRate { for i in script.sensors.indices { script.sensors[i].sampleRateHz = rate } }
    if let sets = traceSets { script = SessionScript.random(exercise, seed: seed, sets: sets.0, repsPerSet: sets.1, faultProbability: 0.4, nuisances: seed % 2 == 0 ? .all : .none); for i in script.sensors.indices { script.sensors[i].sampleRateHz = traceRate ?? 400 } }
    let session = Simulator.run(script)
    for r in session.truth.reps {
        print("truth rep \(r.rep) set \(r.set) \(r.leg) \(FixedDecimal.format(r.startTime, decimals: 2))-"
            + "\(FixedDecimal.format(r.endTime, decimals: 2)) ROM \(FixedDecimal.format(r.legROMDegrees, decimals: 1)) "
            + "lumbar \(FixedDecimal.format(r.lumbarPeakDeviationDegrees, decimals: 1)) \(r.fault?.kind.rawValue ?? "") "
            + "5deg at \(r.crossing5DegreesTime.map { FixedDecimal.format($0, decimals: 3) } ?? "-")")
    }
    for n in session.truth.nuisances {
        print("nuisance \(n.kind.rawValue) \(FixedDecimal.format(n.start, decimals: 2))-\(FixedDecimal.format(n.end, decimals: 2))")
    }
    let (traceEvents, traceAnalyzer) = SimulatedSessionAnalysis.run(session)
    for e in traceEvents { print(e.jsonLine) }
    print("recognised \(traceAnalyzer.exercise?.rawValue ?? "none")")
    for r in SimulatedSessionAnalysis.rejections(of: session) {
        print("rejected \(FixedDecimal.format(r.time, decimals: 2)) \(r.reason.rawValue)")
    }
    exit(0)
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

var total = MotionScore()
var withoutPrelude = MotionScore()
var perExercise: [(String, MotionScore)] = []
var analysisSeconds = 0.0
var samples = 0
for exercise in Exercise.allCases {
    var score = MotionScore()
    for seed in 1...seeds {
        let nuisances: Nuisances = seed % 2 == 0 ? .all : .none
        var script = SessionScript.random(exercise, seed: UInt64(seed), nuisances: nuisances)
        // The same session recorded from the start posture on (no upright period): the fallback's figures.
        script.prelude = nil
        let late = Simulator.run(script)
        withoutPrelude.add(
            events: SimulatedSessionAnalysis.events(of: late), truth: late.truth, label: "\(exercise) seed \(seed) late")
        script.prelude = .typical
        let session = Simulator.run(script)
        let t0 = now()
        let (events, analyzer) = SimulatedSessionAnalysis.run(session)
        analysisSeconds += now() - t0
        samples += session.sensors.reduce(0) { $0 + $1.samples.count }
        let label = "\(exercise) seed \(seed)\(seed % 2 == 0 ? " (nuisances)" : "")"
        score.add(
            events: events, truth: session.truth, label: label, recognised: analyzer.exercise, exercise: exercise)
        total.add(
            events: events, truth: session.truth, label: label, recognised: analyzer.exercise, exercise: exercise)
    }
    perExercise.append((exercise.rawValue, score))
}

print("Motion analysis vs simulator truth: \(Exercise.allCases.count) exercises x \(seeds) seeds "
    + "(even seeds with every nuisance), full chain OrientationFilter -> MotionAnalyzer")
print("")
print(total.table)
print("| exercise | reps P | reps R | leg | moved F1 | latency p50/p95 ms | lumbar MAE | ROM MAE | recognised |")
print("|---|---|---|---|---|---|---|---|---|")
for (name, s) in perExercise {
    func f(_ v: Double, _ d: Int) -> String { FixedDecimal.format(v, decimals: d) }
    print("| \(name) | \(f(s.repPrecision, 3)) | \(f(s.repRecall, 3)) | \(f(s.legAccuracy, 3)) | \(f(s.movedF1, 3)) "
        + "| \(f(s.latencyMedian * 1000, 0))/\(f(s.latencyP95 * 1000, 0)) | \(f(s.lumbarMAE, 2)) | \(f(s.legROMMAE, 1)) "
        + "| \(s.exerciseRecognised)/\(s.sessions) |")
}
print("")
print("Without the prelude (sessions start in the exercise posture: no upright period, the fallback's axes):")
print("rep P/R \(FixedDecimal.format(withoutPrelude.repPrecision, decimals: 4))/"
    + "\(FixedDecimal.format(withoutPrelude.repRecall, decimals: 4)), lumbar_moved F1 "
    + "\(FixedDecimal.format(withoutPrelude.movedF1, decimals: 4)), fault kind named "
    + "\(withoutPrelude.faultKindCorrect)/\(withoutPrelude.faultKindTotal), direction right "
    + "\(withoutPrelude.directionCorrect)/\(withoutPrelude.directionTotal) = "
    + "\(FixedDecimal.format(withoutPrelude.directionAccuracy, decimals: 3))")
print("")
print("fusion + analysis: \(FixedDecimal.format(analysisSeconds / Double(max(samples, 1)) * 1e9, decimals: 0)) ns per sample "
    + "(\(samples) samples)")
if showMisses {
    for m in total.misses { print("miss: \(m)") }
}
