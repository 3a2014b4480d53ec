// The motion scorer: the motion analysis scored on three sources, printed side by side:
//   real      UCI Physical Therapy Exercises, subject 1 (../shared/datasets/real/uci-pt/), through the same
//             pipeline as `lumbar export`, against its per-rep labels;
//   random    the randomised simulator (`SessionScript.randomised`), seeds split into a TUNE part and a
//             REPORT part (tune on one, report on the other; per-rep misses are printed for TUNE only);
//   classic   every exercise x --seeds seeds of `SessionScript.random` (even seeds with every nuisance).
// Simulated sessions run the full chain OrientationFilter -> MotionAnalyzer. `make bench-motion` runs it in
// release; `make bench-motion ARGS=--tune` runs the real data and the tune split only.
//
// Usage: MotionBench [--seeds N] [--tune] [--misses] [--tune-seeds A-B] [--report-seeds A-B] [--real DIR]
//        MotionBench --trace EXERCISE SEED | --trace-random SEED (a tune seed)
//        MotionBench --trace-ankle SEED FROM TO (a tune seed: both ankle tracks every 50 ms beside the true height)
//        MotionBench --trace-fusion SEED FROM TO (a tune seed: each ankle's true and fused inclination change from FROM,
//        every 0.25 s, with the absolute inclination error, the gyroscope reading and the filter's bias)
//        MotionBench --fusion-errors (tune seeds: per true rep, the fused inclination change's largest error against the
//        truth on the rep's leg and the lumbar sensor, and 1 s after the rep's end; the worst reps listed)
//        MotionBench --phases (tune seeds: every matched rep's true and measured start, end and phase durations)
//        MotionBench --sets (tune seeds: every true set counted wrong, what made the difference; kinds counted)
//        MotionBench --latency (tune seeds: every alerted rep's latency, as stamped and as emitted, with the true and
//        detected onsets, when the candidate began and was confirmed, and lost-sample bursts near it)
import LumbarCore
import LumbarFusion
import LumbarMotion
import LumbarMotionScoring
import LumbarSim

#if canImport(Glibc)
import Glibc
#endif

let usage = "usage: MotionBench [--seeds N] [--tune] [--misses] [--tune-seeds A-B] [--report-seeds A-B] [--real DIR]"
var seeds = 6
var showMisses = false
var tuneOnly = false
var tuneSeeds: ClosedRange<UInt64> = 0...59
var reportSeeds: ClosedRange<UInt64> = 1000...1059
var realDirectory = "../shared/datasets/real/uci-pt"
var trace: (Exercise, UInt64)?
var traceRandom: UInt64?
var traceAnkle: (seed: UInt64, from: Double, to: Double)?
var traceFusion: (seed: UInt64, from: Double, to: Double)?
var fusionErrors = false
var latencyListing = false
/// Lists every matched TUNE rep's true and measured start, end and phase durations (diagnosis of the phase dating).
var phaseListing = false
/// Lists every TUNE set counted wrong: its missed reps (first, last, inner) and extra ones (before, after, inner).
var setListing = false
/// With --latency: lost-sample bursts added around every faulty rep's 5° crossing, on this sensor ("lumbar" or
/// "ankle": the rep's leg's), to reproduce the bursts' effect on TUNE seeds.
var burstSensor: String?
var traceRate: Double?
var traceSets: (Int, Int)?

func seedRange(_ text: String?, _ option: String) -> ClosedRange<UInt64> {
    let parts = text?.split(separator: "-").compactMap { UInt64($0) } ?? []
    guard parts.count == 2, parts[0] <= parts[1] else {
        print("MotionBench: '\(option)' needs a seed range A-B with A <= B")
        exit(2)
    }
    return parts[0]...parts[1]
}

var arguments = CommandLine.arguments.dropFirst()

/// The seed and the two times that follow `option` on the command line.
@MainActor func seedWindow(_ option: String) -> (seed: UInt64, from: Double, to: Double) {
    guard let seed = arguments.popFirst().flatMap(UInt64.init), let from = arguments.popFirst().flatMap(Double.init),
        let to = arguments.popFirst().flatMap(Double.init)
    else {
        print("MotionBench: '\(option)' needs a seed and two times")
        exit(2)
    }
    return (seed, from, to)
}
while let a = arguments.popFirst() {
    switch a {
    case "--seeds":
        guard let v = arguments.popFirst().flatMap(Int.init), v > 0 else {
            print("MotionBench: '--seeds' needs a positive integer")
            exit(2)
        }
        seeds = v
    case "--misses": showMisses = true
    case "--latency": latencyListing = true
    case "--phases": phaseListing = true
    case "--sets": setListing = true
    case "--latency-bursts":
        guard let v = arguments.popFirst(), v == "lumbar" || v == "ankle" else {
            print("MotionBench: '--latency-bursts' needs 'lumbar' or 'ankle'")
            exit(2)
        }
        latencyListing = true
        burstSensor = v
    case "--tune": tuneOnly = true
    case "--tune-seeds": tuneSeeds = seedRange(arguments.popFirst(), a)
    case "--report-seeds": reportSeeds = seedRange(arguments.popFirst(), a)
    case "--real":
        guard let d = arguments.popFirst() else {
            print("MotionBench: '--real' needs a directory")
            exit(2)
        }
        realDirectory = d
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
    case "--trace-random":
        guard let seed = arguments.popFirst().flatMap(UInt64.init) else {
            print("MotionBench: '--trace-random' needs a seed")
            exit(2)
        }
        traceRandom = seed
    case "--trace-ankle":
        // A tune seed's ankle tracks every 50 ms between two times, beside each ankle's true height (diagnosis).
        traceAnkle = seedWindow(a)
    case "--fusion-errors":
        fusionErrors = true
    case "--trace-fusion":
        traceFusion = seedWindow(a)
    default:
        print("MotionBench: unknown argument '\(a)' (\(usage))")
        exit(2)
    }
}
if tuneSeeds.overlaps(reportSeeds) {
    print("MotionBench: the tune seeds \(tuneSeeds.lowerBound)-\(tuneSeeds.upperBound) overlap the report seeds "
        + "\(reportSeeds.lowerBound)-\(reportSeeds.upperBound)")
    exit(2)
}

/// Prints a session's truth, events and the analyzer's rejections (diagnosis of one session).
func printTrace(_ session: SimulatedSession, settings: MotionAnalyzer.Settings = .default, driftingClocks: Bool) {
    for r in session.truth.reps {
        print("truth rep \(r.rep) set \(r.set) \(r.leg) \(FixedDecimal.format(r.startTime, decimals: 2))-"
            + "\(FixedDecimal.format(r.endTime, decimals: 2)) conc \(FixedDecimal.format(r.concentricDuration, decimals: 2)) "
            + "hold \(FixedDecimal.format(r.holdDuration, decimals: 2)) ROM \(FixedDecimal.format(r.legROMDegrees, decimals: 1)) "
            + "lumbar \(FixedDecimal.format(r.lumbarPeakDeviationDegrees, decimals: 1)) \(r.fault?.kind.rawValue ?? "") "
            + "\(r.performedFast ? "fast " : "")"
            + "5deg at \(r.crossing5DegreesTime.map { FixedDecimal.format($0, decimals: 3) } ?? "-")")
    }
    for n in session.truth.nuisances {
        print("nuisance \(n.kind.rawValue) \(FixedDecimal.format(n.start, decimals: 2))-\(FixedDecimal.format(n.end, decimals: 2))")
    }
    var rejections: [(time: Double, reason: RepRejection)] = []
    let (traceEvents, traceAnalyzer) = SimulatedSessionAnalysis.run(session, settings: settings, driftingClocks: driftingClocks) {
        rejections.append($0)
    }
    for e in traceEvents { print(e.jsonLine) }
    print("recognised \(traceAnalyzer.exercise?.rawValue ?? "none")")
    for r in rejections {
        print("rejected \(FixedDecimal.format(r.time, decimals: 2)) \(r.reason.rawValue)")
    }
}

if let seed = traceRandom {
    guard !reportSeeds.contains(seed) else {
        print("MotionBench: seed \(seed) belongs to the REPORT split: its per-rep results are not shown")
        exit(2)
    }
    let r = SessionScript.randomised(seed: seed)
    print("randomised seed \(seed): \(r.summary)")
    printTrace(Simulator.run(r.script), settings: SimulatedSessionAnalysis.settings(prescribedBy: r.script),
        driftingClocks: true)
    exit(0)
}

if fusionErrors {
    let settings = OrientationFilter.Settings.default
    var rows: [(err: Double, endErr: Double, text: String)] = []
    var lumbarRows: [(err: Double, text: String)] = []
    for seed in tuneSeeds {
        let r = SessionScript.randomised(seed: seed)
        let session = Simulator.run(r.script)
        var gF: [[Vector3]] = []
        for s in session.sensors {
            var f = OrientationFilter(settings: settings)
            gF.append(s.samples.indices.map { k in
                f.update(ImuSample(time: s.trueTimes[k], accelerometer: s.samples[k].accelerometer, gyroscope: s.samples[k].gyroscope)).inverseRotate(.unitZ)
            })
        }
        func index(_ s: SimulatedSensor, _ t: Double) -> Int {
            let times = s.trueTimes
            var lo = 0, hi = times.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if times[mid] < t { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        for rep in session.truth.reps {
            for (i, s) in session.sensors.enumerated() {
                let mine = s.site == .lumbar || (s.site == .leftAnkle) == (rep.leg == .left)
                guard mine, !s.trueTimes.isEmpty else { continue }
                let k0 = index(s, rep.startTime - 0.2), k1 = index(s, rep.endTime + 1.0)
                guard k1 > k0 else { continue }
                let bT = s.trueOrientations[k0].inverseRotate(.unitZ), bF = gF[i][k0]
                var worst = 0.0, worstT = 0.0
                var last = 0.0
                for k in stride(from: k0, through: k1, by: 4) {
                    let tt = Double(bT.angle(to: s.trueOrientations[k].inverseRotate(.unitZ)).radiansToDegrees)
                    let ft = Double(bF.angle(to: gF[i][k]).radiansToDegrees)
                    let e = abs(ft - tt)
                    if e > worst { worst = e; worstT = s.trueTimes[k] }
                    last = ft - tt
                }
                let text = "seed \(seed) rep \(rep.rep) \(rep.exercise) \(s.site) \(FixedDecimal.format(rep.startTime, decimals: 2))-\(FixedDecimal.format(rep.endTime, decimals: 2)) conc \(FixedDecimal.format(rep.concentricDuration, decimals: 2)) ROM \(FixedDecimal.format(rep.legROMDegrees, decimals: 1)) worst \(FixedDecimal.format(worst, decimals: 2)) at \(FixedDecimal.format(worstT, decimals: 2)) end \(FixedDecimal.format(last, decimals: 2))"
                if s.site == .lumbar { lumbarRows.append((worst, text)) } else { rows.append((worst, last, text)) }
            }
        }
    }
    for (name, errs) in [("ankle", rows.map(\.err)), ("lumbar", lumbarRows.map(\.err))] {
        let sorted = errs.sorted()
        func q(_ p: Double) -> String { FixedDecimal.format(sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))], decimals: 2) }
        print("\(name): \(sorted.count) rep-sensors, |filter tilt change - true| worst over rep: p50 \(q(0.5)) p90 \(q(0.9)) p99 \(q(0.99)) max \(q(1.0)); >1 deg \(errs.filter { $0 > 1 }.count), >2 deg \(errs.filter { $0 > 2 }.count)")
    }
    let ends = rows.map { abs($0.endErr) }
    print("ankle end (1 s after true end) error >1 deg: \(ends.filter { $0 > 1 }.count), >2 deg: \(ends.filter { $0 > 2 }.count)")
    for row in rows.sorted(by: { $0.err > $1.err }).prefix(25) { print(row.text) }
    print("-- by end error")
    for row in rows.sorted(by: { abs($0.endErr) > abs($1.endErr) }) { print(row.text) }
    for row in lumbarRows.sorted(by: { $0.err > $1.err }).prefix(10) { print(row.text) }
    exit(0)
}

if let a = traceFusion {
    guard !reportSeeds.contains(a.seed) else { exit(2) }
    let r = SessionScript.randomised(seed: a.seed)
    print("randomised seed \(a.seed): \(r.summary)")
    let session = Simulator.run(r.script)
    for rep in session.truth.reps where rep.endTime > a.from && rep.startTime < a.to {
        print("truth rep \(rep.rep) \(rep.leg) \(FixedDecimal.format(rep.startTime, decimals: 2))-"
            + "\(FixedDecimal.format(rep.endTime, decimals: 2)) conc \(FixedDecimal.format(rep.concentricDuration, decimals: 2)) ROM \(FixedDecimal.format(rep.legROMDegrees, decimals: 1))")
    }
    let settings = OrientationFilter.Settings.default
    for s in session.sensors where s.site != .lumbar {
        var f = OrientationFilter(settings: settings)
        var last = -Double.infinity
        var baseT: Vector3?
        var baseF: Vector3?
        for k in s.samples.indices {
            let t = s.trueTimes[k]
            let q = f.update(ImuSample(time: t, accelerometer: s.samples[k].accelerometer, gyroscope: s.samples[k].gyroscope))
            guard t >= a.from, t <= a.to, t - last >= 0.25 else { continue }
            last = t
            let gT = s.trueOrientations[k].inverseRotate(.unitZ)
            let gF = q.inverseRotate(.unitZ)
            if baseT == nil { baseT = gT; baseF = gF }
            let st = f.state
            print("\(s.site) \(FixedDecimal.format(t, decimals: 2)) tt \(FixedDecimal.format(Double(baseT!.angle(to: gT).radiansToDegrees), decimals: 2)) "
                + "ft \(FixedDecimal.format(Double(baseF!.angle(to: gF).radiansToDegrees), decimals: 2)) "
                + "err \(FixedDecimal.format(Double(gT.angle(to: gF).radiansToDegrees), decimals: 2)) "
                + "gyr \(s.samples[k].gyroscope) bias \(st.gyroBias) rest \(st.isResting)")
        }
    }
    exit(0)
}

if let a = traceAnkle {
    guard !reportSeeds.contains(a.seed) else {
        print("MotionBench: seed \(a.seed) belongs to the REPORT split: its per-rep results are not shown")
        exit(2)
    }
    let r = SessionScript.randomised(seed: a.seed)
    print("randomised seed \(a.seed): \(r.summary)")
    let session = Simulator.run(r.script)
    for rep in session.truth.reps where rep.endTime > a.from && rep.startTime < a.to {
        print("truth rep \(rep.rep) \(rep.leg) \(FixedDecimal.format(rep.startTime, decimals: 2))-"
            + "\(FixedDecimal.format(rep.endTime, decimals: 2)) conc \(FixedDecimal.format(rep.concentricDuration, decimals: 2)) "
            + "hold \(FixedDecimal.format(rep.holdDuration, decimals: 2)) ROM \(FixedDecimal.format(rep.legROMDegrees, decimals: 1))")
    }
    var lastPrinted = -Double.infinity
    var base: [Double?] = session.sensors.map { _ in nil }
    var baseGravity: [Vector3?] = session.sensors.map { _ in nil }
    let (events, _) = SimulatedSessionAnalysis.run(
        session, settings: SimulatedSessionAnalysis.settings(prescribedBy: r.script), driftingClocks: true,
        observe: { i, t, analyzer in
        let site = session.sensors[i].site
        guard site != .lumbar, t >= a.from, t <= a.to else { return }
        let h = session.trueHeight(ofSensor: i, at: t)
        if base[i] == nil { base[i] = h }
        guard t - lastPrinted >= 0.05 else { return }
        lastPrinted = t
        var line = FixedDecimal.format(t, decimals: 2)
        for (j, s) in session.sensors.enumerated() where s.site != .lumbar {
            let hj = session.trueHeight(ofSensor: j, at: t) - (base[j] ?? 0)
            // The shank's true inclination from where it was at the window's start, degrees.
            let times = session.sensors[j].trueTimes
            var lo = 0, hi = times.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if times[mid] < t { lo = mid + 1 } else { hi = mid } }
            let g = session.sensors[j].trueOrientations[lo].inverseRotate(.unitZ)
            if baseGravity[j] == nil { baseGravity[j] = g }
            let tilt = (baseGravity[j] ?? g).angle(to: g).radiansToDegrees
            line += " | \(s.site == .leftAnkle ? "L" : "R") h \(FixedDecimal.format(hj * 100, decimals: 1)) "
                + "tt \(FixedDecimal.format(Double(tilt), decimals: 1)) "
                + analyzer.ankleTrace(s.site)
        }
        print(line)
    })
    for e in events where (e.jsonLine.contains("rep_") || e.jsonLine.contains("calibrated")) { print(e.jsonLine) }
    exit(0)
}

if let (exercise, seed) = trace {
    var script = SessionScript.random(exercise, seed: seed, nuisances: seed % 2 == 0 ? .all : .none)
    if let rate = traceRate { for i in script.sensors.indices { script.sensors[i].sampleRateHz = rate } }
    if let sets = traceSets { script = SessionScript.random(exercise, seed: seed, sets: sets.0, repsPerSet: sets.1, faultProbability: 0.4, nuisances: seed % 2 == 0 ? .all : .none); for i in script.sensors.indices { script.sensors[i].sampleRateHz = traceRate ?? 400 } }
    printTrace(Simulator.run(script), driftingClocks: false)
    exit(0)
}

if latencyListing {
    // Every alerted rep of the TUNE seeds: when the back truly crossed 5°, when the alert says it was decided
    // (its time) and when it was emitted (held back until the rep was confirmed), the true and detected onsets,
    // and the lost-sample bursts near it; then the quantiles by exercise, both ways.
    var stamped: [Exercise: [Double]] = [:]
    var heard: [Exercise: [Double]] = [:]
    /// Stamped latency after the later of the crossing and the end of a lumbar burst over it (what is left to fix).
    var beyond: [Exercise: [Double]] = [:]
    func f(_ v: Double, _ d: Int = 2) -> String { FixedDecimal.format(v, decimals: d) }
    for seed in tuneSeeds {
        var r = SessionScript.randomised(seed: seed)
        if let which = burstSensor {
            // One burst per faulty rep: from 1 s before to 0.2 s after its true 5° crossing, 0.05-1.2 s long.
            let plain = Simulator.run(r.script)
            var rng = SimRandom(seed: SimRandom.derivedSeed(seed, stream: 991))
            for tr in plain.truth.reps {
                guard let crossing = tr.crossing5DegreesTime else { continue }
                let start = crossing + rng.uniform(-1.0...0.2)
                let length = rng.uniform(0.05...1.2)
                let site: SensorPlacement = which == "lumbar" ? .lumbar : tr.leg == .left ? .leftAnkle : .rightAnkle
                let i = r.script.sensors.firstIndex { $0.site == site }
                    ?? r.script.sensors.firstIndex { $0.site != .lumbar } ?? 0
                r.script.sensors[i].dropouts.append(SimulatedInterval(start: start, end: start + length))
            }
        }
        let session = Simulator.run(r.script)
        var emittedAt: [Double] = []
        // When each ankle's candidate began (idle -> candidate) and was confirmed, s.
        var began: [Double] = []
        var confirmedAt: [Double] = []
        var lastState: [SensorPlacement: String] = [:]
        let (events, _) = SimulatedSessionAnalysis.run(
            session, settings: SimulatedSessionAnalysis.settings(prescribedBy: r.script), driftingClocks: true,
            observe: { i, t, analyzer in
                let site = session.sensors[i].site
                guard site != .lumbar else { return }
                let state = String(analyzer.ankleTrace(site).prefix(4))
                if state == "cand" && lastState[site] == "idle" { began.append(t) }
                if state == "CONF" && lastState[site] != "CONF" { confirmedAt.append(t) }
                lastState[site] = state
            },
            emitted: { _, t in emittedAt.append(t) })
        let records = events.compactMap { e -> RepRecord? in
            if case .repCompleted(_, let rec) = e { return rec }
            return nil
        }
        for tr in session.truth.reps {
            guard let crossing = tr.crossing5DegreesTime else { continue }
            var best: (iou: Double, rec: RepRecord)?
            for rec in records {
                let iou = MotionScore.intersectionOverUnion((tr.startTime, tr.endTime), (rec.startTime, rec.endTime))
                if iou >= MotionScore.matchingIoU, iou > best?.iou ?? 0 { best = (iou, rec) }
            }
            guard let rec = best?.rec else { continue }
            var alert: (time: Double, emitted: Double)?
            for (i, e) in events.enumerated() {
                if case .lumbarMoved(let t, let n, _, _) = e, n == rec.rep, t >= rec.startTime, t <= rec.endTime {
                    alert = (t, emittedAt[i])
                    break
                }
            }
            guard let alert else { continue }
            var started = Double.nan
            for (i, e) in events.enumerated() {
                if case .repStarted(_, let n, _, _) = e, n == rec.rep, emittedAt[i] <= alert.emitted + 1e-9 { started = emittedAt[i] }
            }
            stamped[tr.exercise, default: []].append(alert.time - crossing)
            heard[tr.exercise, default: []].append(alert.emitted - crossing)
            // No alert can come before the lumbar's first sample past the crossing: a burst over it delays that.
            var lumbarBack = crossing
            for (i, s) in r.script.sensors.enumerated() where session.sensors[i].site == .lumbar {
                for d in s.dropouts where d.start <= crossing && d.end > crossing { lumbarBack = max(lumbarBack, d.end) }
            }
            beyond[tr.exercise, default: []].append(alert.time - lumbarBack)
            var lost: [String] = []
            for (i, s) in r.script.sensors.enumerated() {
                for d in s.dropouts where d.end > tr.startTime - 3 && d.start < alert.emitted {
                    lost.append("\(session.sensors[i].site.rawValue) \(f(d.start))-\(f(d.end))")
                }
            }
            print("latency seed \(seed) rep \(tr.rep) \(tr.exercise.rawValue) \(Int(r.script.sensors[0].sampleRateHz)) Hz, \(r.script.sensors.count - 1) ankle: "
                + "\(f((alert.time - crossing) * 1000, 0)) ms stamped, \(f((alert.emitted - crossing) * 1000, 0)) ms emitted; "
                + "true start \(f(tr.startTime)) 5° at \(f(crossing, 3)) (conc \(f(tr.concentricDuration)) s, "
                + "\(tr.fault?.kind.rawValue ?? "clean") peak \(f(tr.lumbarPeakDeviationDegrees, 1))°); detected start \(f(rec.startTime)), alert \(f(alert.time, 3)) "
                + "emitted \(f(alert.emitted, 3)) began \(f(began.last { $0 <= alert.time + 1e-9 } ?? .nan, 3)) "
                + "confirmed \(f(confirmedAt.last { $0 <= alert.emitted + 1e-9 } ?? .nan, 3)) rep_started \(f(started, 3))" + (lost.isEmpty ? "" : "; lost " + lost.joined(separator: ", ")))
        }
    }
    print("| exercise | n | stamped p50/p95/max ms | emitted p50/p95/max ms | stamped after a lumbar burst over 5° ends |")
    print("|---|---|---|---|---|")
    var allStamped: [Double] = []
    var allHeard: [Double] = []
    var allBeyond: [Double] = []
    func q(_ v: [Double]) -> String {
        "\(f(MotionScore.quantile(v, 0.5) * 1000, 0))/\(f(MotionScore.quantile(v, 0.95) * 1000, 0))/\(f((v.max() ?? 0) * 1000, 0))"
    }
    for e in Exercise.allCases {
        let a = stamped[e] ?? []
        let b = heard[e] ?? []
        allStamped += a
        allHeard += b
        allBeyond += beyond[e] ?? []
        print("| \(e.rawValue) | \(a.count) | \(q(a)) | \(q(b)) | \(q(beyond[e] ?? [])) |")
    }
    print("| all | \(allStamped.count) | \(q(allStamped)) | \(q(allHeard)) | \(q(allBeyond)) |")
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

// Real people.
let wallStart = now()
let realCSV = realDirectory + "/subject1-prone-leg-raise.csv"
let realLabels = realDirectory + "/subject1-prone-leg-raise.reps.csv"
var real: RealSessionScore?
if access(realCSV, R_OK) == 0 && access(realLabels, R_OK) == 0 {
    do {
        real = try RealSessionScore(csvPath: realCSV, labelsPath: realLabels)
    } catch {
        print("MotionBench: \(error)")
        exit(1)
    }
} else {
    print("real data: skipped (\(realCSV) and its .reps.csv not found; run from the repo root)")
}

/// One randomised split: the sessions' scores (drifting clocks, no exercise given), in all and broken down by
/// exercise and by how the session starts (aggregates only: they may be printed for REPORT too).
struct SplitScore {
    var all = MotionScore()
    var byExercise: [Exercise: MotionScore] = [:]
    var withPrelude = MotionScore()
    var withoutPrelude = MotionScore()
    /// Sessions with one ankle sensor (moved between legs) and with one on each ankle.
    var oneAnkle = MotionScore()
    var twoAnkles = MotionScore()
    /// Counted reps with a `lumbar_moved`, by the evidence that named the direction (`DirectionEvidence`), in
    /// sessions with and without the upright prelude.
    var evidenceWithPrelude = [Int](repeating: 0, count: DirectionEvidence.allCases.count)
    var evidenceWithoutPrelude = [Int](repeating: 0, count: DirectionEvidence.allCases.count)
}

@MainActor func randomisedScore(_ seeds: ClosedRange<UInt64>, split: String) -> SplitScore {
    var score = SplitScore()
    for seed in seeds {
        let r = SessionScript.randomised(seed: seed)
        let session = Simulator.run(r.script)
        let t0 = now()
        var emittedAt: [Double] = []
        let (events, analyzer) = SimulatedSessionAnalysis.run(
            session, settings: SimulatedSessionAnalysis.settings(prescribedBy: r.script), driftingClocks: true,
            emitted: { _, t in emittedAt.append(t) })
        analysisSeconds += now() - t0
        samples += session.sensors.reduce(0) { $0 + $1.samples.count }
        let label = "\(split) seed \(seed) [\(r.summary)]"
        func add(_ s: inout MotionScore) {
            s.add(events: events, truth: session.truth, label: label, recognised: analyzer.exercise,
                  exercise: r.script.exercise, emittedAt: emittedAt)
        }
        add(&score.all)
        add(&score.byExercise[r.script.exercise, default: MotionScore()])
        if r.script.prelude == nil { add(&score.withoutPrelude) } else { add(&score.withPrelude) }
        if r.script.sensors.filter({ $0.site != .lumbar }).count == 1 { add(&score.oneAnkle) } else { add(&score.twoAnkles) }
        for (i, n) in analyzer.directionEvidenceCounts.enumerated() {
            if r.script.prelude == nil { score.evidenceWithoutPrelude[i] += n } else { score.evidenceWithPrelude[i] += n }
        }
    }
    return score
}
let tune = randomisedScore(tuneSeeds, split: "tune")
let report = tuneOnly ? nil : randomisedScore(reportSeeds, split: "report")

if !tuneOnly {
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
            var emittedAt: [Double] = []
            let (events, analyzer) = SimulatedSessionAnalysis.run(
                session, settings: SimulatedSessionAnalysis.settings(prescribedBy: script),
                emitted: { _, t in emittedAt.append(t) })
            analysisSeconds += now() - t0
            samples += session.sensors.reduce(0) { $0 + $1.samples.count }
            let label = "\(exercise) seed \(seed)\(seed % 2 == 0 ? " (nuisances)" : "")"
            score.add(
                events: events, truth: session.truth, label: label, recognised: analyzer.exercise, exercise: exercise,
                emittedAt: emittedAt)
            total.add(
                events: events, truth: session.truth, label: label, recognised: analyzer.exercise, exercise: exercise,
                emittedAt: emittedAt)
        }
        perExercise.append((exercise.rawValue, score))
    }
}

func split(_ name: String, _ r: ClosedRange<UInt64>) -> String { "\(name) \(r.lowerBound)-\(r.upperBound)" }
var columns: [(title: String, figures: [String: String])] = []
if let real { columns.append(("real: UCI subject 1", real.figures)) }
columns.append(("random " + split("TUNE", tuneSeeds), tune.all.figures))
if let report { columns.append(("random " + split("REPORT", reportSeeds), report.all.figures)) }
if !tuneOnly { columns.append(("classic (\(Exercise.allCases.count) x \(seeds) seeds)", total.figures)) }
print("Motion analysis on three sources (random: SessionScript.randomised, drifting clocks, exercise recognised; "
    + "tune on TUNE, report REPORT)")
print("")
print(ScoreTable.render(columns))

/// The randomised splits broken down (aggregates): by exercise, and with / without the upright prelude.
func breakdown(_ name: String, _ s: SplitScore) {
    func f(_ v: Double) -> String { FixedDecimal.format(v, decimals: 3) }
    func line(_ label: String, _ m: MotionScore) -> String {
        "| \(name) | \(label) | \(m.sessions) | \(f(m.repPrecision)) / \(f(m.repRecall)) | \(f(m.exactSetFraction)) "
            + "| \(f(m.legAccuracy)) | \(f(m.movedF1)) | \(m.directionCorrect)/\(m.directionSagittal)/\(m.directionWrong) "
            + "| \(m.latencyFigures(m.latencies)) | \(m.latencyFigures(m.emittedLatencies)) |"
    }
    for e in Exercise.allCases { if let m = s.byExercise[e] { print(line(e.rawValue, m)) } }
    print(line("with upright prelude", s.withPrelude))
    print(line("no prelude (in position)", s.withoutPrelude))
    print(line("one ankle sensor", s.oneAnkle))
    print(line("two ankle sensors", s.twoAnkles))
}
/// How often each evidence named the direction of an alerted rep (`DirectionEvidence`), per split.
func evidenceTable(_ splits: [(String, SplitScore)]) {
    print("Direction evidence (counted reps with a lumbar_moved, by what named the direction):")
    print("")
    print("| split | sessions | " + DirectionEvidence.allCases.map(\.rawValue).joined(separator: " | ") + " |")
    print("|---|---|" + DirectionEvidence.allCases.map { _ in "---|" }.joined())
    for (name, s) in splits {
        for (label, counts) in [("with upright prelude", s.evidenceWithPrelude), ("no prelude", s.evidenceWithoutPrelude)] {
            print("| \(name) | \(label) | " + counts.map(String.init).joined(separator: " | ") + " |")
        }
    }
    print("")
}
evidenceTable([("TUNE", tune)] + (report.map { [("REPORT", $0)] } ?? []))
print("| split | sessions of | n | rep P / R | exact sets | leg | moved F1 | direction right/sagittal/wrong "
    + "| latency p50/p95/max ms | as emitted p50/p95/max ms |")
print("|---|---|---|---|---|---|---|---|---|---|")
breakdown("TUNE", tune)
if let report { breakdown("REPORT", report) }
print("")
if !tuneOnly {
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
}
print("wall time \(FixedDecimal.format(now() - wallStart, decimals: 1)) s")
if showMisses {
    for m in real?.misses ?? [] { print("miss: \(m)") }
    for m in tune.all.misses { print("miss: \(m)") }
    print("(per-rep misses of the REPORT split are never listed)")
}
if phaseListing {
    for line in tune.all.phaseLines { print("phases: \(line)") }
}
if setListing {
    for line in tune.all.setCountLines { print("set count: \(line)") }
    for (kind, n) in tune.all.setCountKinds.sorted(by: { $0.key < $1.key }) { print("set count kind: \(kind) \(n)") }
}
