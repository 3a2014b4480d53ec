import LumbarCore
import LumbarMotion
import LumbarSession
import LumbarSim

/// The motion analysis scored against simulator truth, accumulated over sessions.
///
/// - Rep matching: a detected rep (`rep_completed`) matches a true one when their intervals overlap with
///   IoU ≥ 0.5 (each true rep matches at most one detected rep, best IoU first).
/// - Exact rep count per set: a true set counts when the detected reps whose midpoint lies in it
///   (±1 s) are exactly its reps.
/// - `lumbar_moved`: on matched reps, detected = the record's `lumbar_moved`, true = the true deviation
///   from the rep start reached 5°.
/// - Alert latency: first `lumbar_moved` of the rep minus the true 5° crossing; as stamped (the event's time: when
///   the analyzer decided it) and, given the emission times, as emitted (an alert of a candidate not yet confirmed
///   is held back until its rep_started, or, the pelvis moving like walking, until rep_completed: heard then).
/// - Leg ROM and lumbar deviation: absolute error of `leg_rom_deg` and `lumbar_max_deviation_deg`.
public struct MotionScore: Sendable {
    /// The overlap (intersection over union of their intervals) from which a detected rep matches a true one.
    public static let matchingIoU = 0.5

    /// Intersection over union of two intervals (s): 0 when they do not overlap, 1 when they are the same.
    public static func intersectionOverUnion(
        _ a: (start: Double, end: Double), _ b: (start: Double, end: Double)
    ) -> Double {
        let intersection = min(a.end, b.end) - max(a.start, b.start)
        guard intersection > 0 else { return 0 }
        return intersection / (max(a.end, b.end) - min(a.start, b.start))
    }

    public var sessions = 0
    public var trueReps = 0
    public var detectedReps = 0
    public var matchedReps = 0
    public var trueSets = 0
    public var exactSets = 0
    public var legCorrect = 0
    /// Matched reps whose set number is the true one (sets split at rests, not at a change of leg or a missed rep).
    public var setNumberCorrect = 0
    public var movedTruePositive = 0
    public var movedFalsePositive = 0
    public var movedFalseNegative = 0
    public var latencies: [Double] = []
    /// The same alerts' latencies from when they were emitted (when `add` is given the emission times), s.
    public var emittedLatencies: [Double] = []
    public var legROMErrors: [Double] = []
    /// Per matched rep, the measured minus the true lift (concentric), hold and lower (eccentric) durations, s: how
    /// well the analysis dates where each phase begins and ends (what `too_fast` is judged from).
    public var phaseErrors: [(lift: Double, hold: Double, lower: Double)] = []
    /// Per matched rep, its true and measured start, end and phase durations (`MotionBench --phases`, diagnosis).
    public var phaseLines: [String] = []
    public var lumbarErrors: [Double] = []
    /// Per true set with 3 or more matched reps: the tempo consistency (`SessionSummary.variationPercent` of the rep
    /// durations, %) of the true reps and of the analysis' records of them.
    public var tempoVariations: [(truePercent: Double, measuredPercent: Double)] = []
    /// Faulty matched reps whose faults name the acted compensation, and how many faulty matched reps.
    public var faultKindCorrect = 0
    public var faultKindTotal = 0
    /// Faulty matched reps said `lumbar_sagittal` instead of the acted compensation (no upright moment): the
    /// kind left open, neither right nor wrong.
    public var faultKindSagittal = 0
    /// Faulty matched reps with a `lumbar_moved` whose first direction is the acted compensation's (extension,
    /// flexion; rotation and lateral flexion toward the lifted leg; rising and falling: extension), and how many.
    public var directionCorrect = 0
    /// Lumbar faults named on matched reps that the truth did not act (a clean rep's, or another component's
    /// than the acted compensation; rising and falling may name flexion too).
    public var extraLumbarFaults = 0
    public var directionTotal = 0
    /// Sessions whose exercise was recognised correctly (without `--exercise`).
    public var exerciseRecognised = 0
    /// Matched faulty reps whose first `lumbar_moved` said `sagittal` (the sign left open): neither right nor wrong.
    public var directionSagittal = 0
    /// `too_fast` on matched reps against the truth's `performedFast`.
    public var tooFastTruePositive = 0
    public var tooFastFalsePositive = 0
    public var tooFastFalseNegative = 0
    /// `too_fast` on reps not performed fast, by the check that most likely fired (`Tempo.isTooFast`): `lift` (the
    /// measured lift under 65 % of a prescribed 1 s or longer) or `hold` (a prescribed hold rushed).
    public var tooFastFalseByCheck: [String: Int] = [:]
    /// Every `lumbar_moved`, and those outside every true rep (start − 0.2 s … end + 0.5 s).
    public var movedEvents = 0
    public var movedOutsideReps = 0
    /// `lumbar_moved` events not inside a counted rep of their number (said for a candidate later dropped).
    public var movedUncounted = 0
    /// True clean reps (no 5° crossing), and those with a `lumbar_moved` inside them.
    public var cleanReps = 0
    public var alertsOnCleanReps = 0
    /// `rep_rejected` events by reason, and how many of them overlap a true rep (a rep wrongly not counted).
    public var rejectionsByReason: [String: Int] = [:]
    public var rejectionsOfTrueReps = 0
    /// Non-reps of the truth (foot taps, repositionings, weight shifts, walks, sensor pick-ups and moves) by
    /// kind: how many, how many a detected rep that matches no true rep overlaps (counted as a rep), and how
    /// many a `rep_rejected` overlaps (rejected with a reason).
    public var nonReps: [String: Int] = [:]
    public var nonRepsCounted: [String: Int] = [:]
    public var nonRepsRejected: [String: Int] = [:]
    /// True reps not matched, by cause: `no candidate` (nothing detected or rejected over it), `rejected <reason>`
    /// (a `rep_rejected` over it), `merged` (one detected rep over it and another true rep), `split` (two or more
    /// detected reps over it), or bounds: one detected rep over it with IoU < 0.5, named after its larger
    /// error (`start late`, `start early`, `end late`, `end early`).
    public var missCauses: [String: Int] = [:]
    /// Detected reps matching no true rep: `on a true rep` (overlapping one: bounds, merge or split) or `non-rep`.
    public var extraCauses: [String: Int] = [:]
    /// Set-number errors by cause, counted where the numbering goes wrong (a wrong break propagates to the rest of
    /// the session): `first set numbered off` (the session's first matched rep in another set than its true one),
    /// `extra break in a set` (two matched reps one after the other in one true set, numbered in different sets;
    /// `after a new posture` when a `calibrated` event lies between them, else `after a pause`), `extra break
    /// between sets` (numbered more sets apart than they are), `missed break between sets` (fewer).
    public var setErrorCauses: [String: Int] = [:]
    /// Pauses between consecutive counted reps that both match a true rep (the next one's start minus the
    /// previous one's end, s) by what truly lies between them: `within a set`, `within a set, a rep missed
    /// between` (a true rep between them not counted), `between sets`.
    public var setPauses: [String: [Double]] = [:]
    /// Matched reps whose `lumbar_moved` disagreed with the truth: (exercise, seed, rep, true°, measured°).
    public var misses: [String] = []
    /// Per true set counted wrong (`exactSets`), what made the difference (`MotionBench --sets`, diagnosis): each
    /// missed true rep by its place in the set (`first`, `last`, `inner`) and cause, each detected rep in the set's
    /// window that matches none of its reps by where it lies (`before` the first rep's start, `after` the last
    /// one's end, `inner`), and the set numbers of the set's matched reps.
    public var setCountLines: [String] = []
    /// Miscounted true sets by kind: `edge` when every missed rep is the set's first or last and every extra one
    /// lies before or after its reps, else `inner`; with `missed`, `extra` or `missed+extra`.
    public var setCountKinds: [String: Int] = [:]

    public init() {}

    /// Scores one session's events against its truth.
    /// - Parameter emittedAt: per event, the time of the sample that emitted it (`SimulatedSessionAnalysis.run`'s
    ///   `emitted`), s; nil: latencies as stamped only.
    public mutating func add(
        events: [LumbarEvent], truth: SessionTruth, label: String, recognised: Exercise? = nil,
        exercise: Exercise? = nil, emittedAt: [Double]? = nil
    ) {
        sessions += 1
        if let e = exercise, recognised == e { exerciseRecognised += 1 }
        let records = events.compactMap { e -> RepRecord? in
            if case .repCompleted(_, let r) = e { return r }
            return nil
        }
        // The first alert inside each completed rep (a dropped candidate's alerts carry the same number).
        var firstMoved: [Int: (time: Double, direction: LumbarDirection, emitted: Double?)] = [:]
        for r in records {
            for (i, e) in events.enumerated() {
                if case .lumbarMoved(let t, let rep, _, let direction) = e, rep == r.rep, t >= r.startTime,
                    t <= r.endTime
                {
                    firstMoved[rep] = (t, direction, emittedAt.flatMap { i < $0.count ? $0[i] : nil })
                    break
                }
            }
        }
        trueReps += truth.reps.count
        detectedReps += records.count

        // Best-IoU matching.
        var pairs: [(iou: Double, t: Int, d: Int)] = []
        for (ti, tr) in truth.reps.enumerated() {
            for (di, r) in records.enumerated() {
                let iou = Self.intersectionOverUnion((tr.startTime, tr.endTime), (r.startTime, r.endTime))
                if iou >= Self.matchingIoU { pairs.append((iou, ti, di)) }
            }
        }
        pairs.sort { $0.iou > $1.iou }
        var usedT = Set<Int>()
        var usedD = Set<Int>()
        var durationsBySet: [Int: [(truth: Double, measured: Double)]] = [:]
        for p in pairs where !usedT.contains(p.t) && !usedD.contains(p.d) {
            usedT.insert(p.t)
            usedD.insert(p.d)
            let tr = truth.reps[p.t]
            let r = records[p.d]
            durationsBySet[tr.set, default: []].append((tr.endTime - tr.startTime, r.duration))
            matchedReps += 1
            if r.set == tr.set {
                setNumberCorrect += 1
            } else {
                misses.append("\(label) rep \(tr.rep) set \(tr.set), found set \(r.set)")
            }
            if r.leg == tr.leg {
                legCorrect += 1
            } else {
                misses.append("\(label) rep \(tr.rep) (set \(tr.set)) leg \(tr.leg), found \(r.leg)")
            }
            let trulyMoved = tr.crossing5DegreesTime != nil
            switch (trulyMoved, r.lumbarMoved) {
            case (true, true): movedTruePositive += 1
            case (false, true): movedFalsePositive += 1
            case (true, false): movedFalseNegative += 1
            case (false, false): break
            }
            if trulyMoved != r.lumbarMoved {
                misses.append(
                    "\(label) rep \(tr.rep) true \(fmt(tr.lumbarPeakDeviationDegrees))° measured "
                        + "\(fmt(Double(r.lumbarMaxDeviationDegrees)))°")
            }
            if trulyMoved, r.lumbarMoved, let crossing = tr.crossing5DegreesTime, let first = firstMoved[r.rep] {
                latencies.append(first.time - crossing)
                if let emitted = first.emitted { emittedLatencies.append(emitted - crossing) }
            }
            switch (tr.performedFast, r.faults.contains(.tooFast)) {
            case (true, true): tooFastTruePositive += 1
            case (false, true):
                tooFastFalsePositive += 1
                let lift = r.concentricDuration < Tempo.tooFastConcentricFraction * Tempo.largestCheckedConcentric
                tooFastFalseByCheck[lift ? "lift" : "hold", default: 0] += 1
                misses.append(
                    "\(label) rep \(tr.rep) too_fast, concentric \(fmt(tr.concentricDuration, 2)) s hold "
                        + "\(fmt(tr.holdDuration, 2)) s, measured \(fmt(r.concentricDuration, 2))/\(fmt(r.holdDuration, 2)) s")
            case (true, false):
                tooFastFalseNegative += 1
                misses.append(
                    "\(label) rep \(tr.rep) fast (concentric \(fmt(tr.concentricDuration, 2)) s), no too_fast, measured "
                        + "\(fmt(r.concentricDuration, 2))/\(fmt(r.holdDuration, 2)) s")
            case (false, false): break
            }
            if let fault = tr.fault, let moved = firstMoved[r.rep] {
                directionTotal += 1
                let expected = fault.kind.expectedDirection(leg: tr.leg)
                if moved.direction == expected {
                    directionCorrect += 1
                } else if moved.direction.rawValue == "sagittal" {
                    directionSagittal += 1
                } else {
                    misses.append("\(label) rep \(tr.rep) direction \(moved.direction.rawValue), acted \(expected.rawValue)")
                }
            }
            legROMErrors.append(abs(Double(r.legROMDegrees) - tr.legROMDegrees))
            phaseErrors.append((
                r.concentricDuration - tr.concentricDuration, r.holdDuration - tr.holdDuration,
                r.eccentricDuration - tr.eccentricDuration))
            phaseLines.append(
                "\(label) rep \(tr.rep) \(tr.exercise.rawValue)\(tr.performedFast ? " fast" : "") start \(fmt(tr.startTime, 2)) "
                    + "err \(fmt(r.startTime - tr.startTime, 2)) end err \(fmt(r.endTime - tr.endTime, 2)) true "
                    + "\(fmt(tr.concentricDuration, 2))/\(fmt(tr.holdDuration, 2))/\(fmt(tr.eccentricDuration, 2)) measured "
                    + "\(fmt(r.concentricDuration, 2))/\(fmt(r.holdDuration, 2))/\(fmt(r.eccentricDuration, 2))"
                    + (r.faults.contains(.tooFast) ? " TOO_FAST" : ""))
            lumbarErrors.append(abs(Double(r.lumbarMaxDeviationDegrees) - tr.lumbarPeakDeviationDegrees))
            let lumbarFaults: Set<RepFault> = [.lumbarExtension, .lumbarFlexion, .lumbarRotation, .lumbarLateral]
            var acted: Set<RepFault> = tr.fault.map { [$0.kind.expectedRepFault] } ?? []
            if tr.fault?.kind == .risingAndFalling { acted.insert(.lumbarFlexion) }
            for f in r.faults where lumbarFaults.contains(f) && !acted.contains(f) {
                extraLumbarFaults += 1
                misses.append("\(label) rep \(tr.rep) extra fault \(f.rawValue) (acted: \(tr.fault?.kind.rawValue ?? "none"))")
            }
            if let fault = tr.fault {
                faultKindTotal += 1
                if r.faults.contains(fault.kind.expectedRepFault) {
                    faultKindCorrect += 1
                } else {
                    if r.faults.contains(.lumbarSagittal) { faultKindSagittal += 1 }
                    misses.append(
                        "\(label) rep \(tr.rep) \(fault.kind.rawValue) \(fmt(fault.degrees))°, faults "
                            + r.faults.map(\.rawValue).joined(separator: ";"))
                }
            }
        }
        scoreSetNumbers(
            events: events, truth: truth, records: records,
            matches: pairs.filter { usedT.contains($0.t) && usedD.contains($0.d) }, label: label)
        let rejections = events.compactMap(RejectedRep.init(event:))
        func overlaps(_ a: (Double, Double), _ b: (Double, Double)) -> Bool { min(a.1, b.1) - max(a.0, b.0) > 0 }
        var causeOfMissed: [Int: String] = [:]
        for (ti, tr) in truth.reps.enumerated() where !usedT.contains(ti) {
            let span = (tr.startTime, tr.endTime)
            let over = records.filter { overlaps(($0.startTime, $0.endTime), span) }
            let cause: String
            if over.count >= 2 {
                cause = "split"
            } else if let r = over.first {
                let others = truth.reps.filter { overlaps(($0.startTime, $0.endTime), (r.startTime, r.endTime)) }.count
                let startError = r.startTime - tr.startTime
                let endError = r.endTime - tr.endTime
                cause = others >= 2 ? "merged"
                    : abs(startError) >= abs(endError) ? (startError > 0 ? "start late" : "start early")
                    : (endError > 0 ? "end late" : "end early")
            } else if let r = rejections.first(where: { overlaps(($0.start, $0.end), span) }) {
                cause = "rejected \(r.reason)"
            } else {
                cause = "no candidate"
            }
            missCauses[cause, default: 0] += 1
            causeOfMissed[ti] = cause
            misses.append("\(label) missed rep \(tr.rep) \(fmt(tr.startTime, 2))-\(fmt(tr.endTime, 2)) \(tr.leg): \(cause)")
        }
        for (di, r) in records.enumerated() where !usedD.contains(di) {
            let onTrue = truth.reps.contains { overlaps(($0.startTime, $0.endTime), (r.startTime, r.endTime)) }
            extraCauses[onTrue ? "on a true rep" : "non-rep", default: 0] += 1
            misses.append("\(label) extra rep \(r.rep) \(fmt(r.startTime, 2))-\(fmt(r.endTime, 2)) \(r.leg)")
        }
        scoreAlertsAndRejections(events: events, truth: truth, records: records, matched: usedD, label: label)
        for (_, d) in durationsBySet.sorted(by: { $0.key < $1.key }) where d.count >= 3 {
            tempoVariations.append(
                (SessionSummary.variationPercent(d.map(\.truth)), SessionSummary.variationPercent(d.map(\.measured))))
        }
        for s in truth.sets {
            trueSets += 1
            let n = records.filter { r in
                let mid = (r.startTime + r.endTime) / 2
                return mid >= s.start - 1 && mid <= s.end + 1
            }.count
            if n == s.repCount {
                exactSets += 1
            } else {
                misses.append("\(label) set \(s.set) has \(s.repCount) reps, found \(n)")
                describeMiscountedSet(
                    s, truth: truth, records: records, matched: usedD, causeOfMissed: causeOfMissed, found: n,
                    label: label)
            }
        }
    }

    /// Lists what made true set `s` counted wrong (`setCountLines`, `setCountKinds`).
    private mutating func describeMiscountedSet(
        _ s: SetTruth, truth: SessionTruth, records: [RepRecord], matched: Set<Int>, causeOfMissed: [Int: String],
        found: Int, label: String
    ) {
        let members = truth.reps.indices.filter { truth.reps[$0].set == s.set }
        guard let firstIndex = members.first, let lastIndex = members.last else { return }
        var edge = true
        var parts: [String] = []
        var missed = 0
        for ti in members {
            guard let cause = causeOfMissed[ti] else { continue }
            missed += 1
            let place = ti == firstIndex ? "first" : ti == lastIndex ? "last" : "inner"
            if place == "inner" { edge = false }
            parts.append("missed \(place) rep \(truth.reps[ti].rep) (\(cause))")
        }
        var extra = 0
        var numbers: [Int: Int] = [:]
        for (di, r) in records.enumerated() {
            let mid = (r.startTime + r.endTime) / 2
            guard mid >= s.start - 1 && mid <= s.end + 1 else { continue }
            if matched.contains(di) {
                numbers[r.set, default: 0] += 1
                continue
            }
            extra += 1
            let place = r.endTime <= truth.reps[firstIndex].startTime + 0.25 ? "before"
                : r.startTime >= truth.reps[lastIndex].endTime - 0.25 ? "after" : "inner"
            if place == "inner" { edge = false }
            parts.append("extra \(place) \(fmt(r.startTime, 2))-\(fmt(r.endTime, 2)) set \(r.set)")
        }
        let kind = (edge ? "edge " : "inner ") + (missed > 0 && extra > 0 ? "missed+extra" : missed > 0 ? "missed" : "extra")
        setCountKinds[kind, default: 0] += 1
        let numbering = numbers.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ")
        setCountLines.append(
            "\(label) set \(s.set) \(fmt(s.start, 2))-\(fmt(s.end, 2)) has \(s.repCount), found \(found) [\(kind)]: "
                + parts.joined(separator: "; ") + "; matched numbered {\(numbering)}")
    }

    /// Where the set numbering goes wrong (`setErrorCauses`) and the pauses between counted reps (`setPauses`).
    /// `matches`: (true rep index, record index) of the matched reps (the best-IoU pairs kept).
    private mutating func scoreSetNumbers(
        events: [LumbarEvent], truth: SessionTruth, records: [RepRecord], matches: [(iou: Double, t: Int, d: Int)],
        label: String
    ) {
        var trueIndexOfRecord: [Int: Int] = [:]
        for m in matches { trueIndexOfRecord[m.d] = m.t }
        let calibrations = events.compactMap { e -> Double? in
            if case .calibrated(let t, _, _) = e { return t }
            return nil
        }
        var previous: (record: Int, truth: Int)?
        for di in records.indices.sorted(by: { records[$0].startTime < records[$1].startTime }) {
            guard let ti = trueIndexOfRecord[di] else { continue }
            let r = records[di]
            let tr = truth.reps[ti]
            guard let (pd, pt) = previous else {
                if r.set != tr.set {
                    setErrorCauses["first set numbered off", default: 0] += 1
                    misses.append("\(label) rep \(tr.rep): first set numbered \(r.set), truly \(tr.set)")
                }
                previous = (di, ti)
                continue
            }
            let p = records[pd]
            let ptr = truth.reps[pt]
            let trueStep = tr.set - ptr.set
            let step = r.set - p.set
            let pause = r.startTime - p.endTime
            let consecutive = records.indices.allSatisfy { i in
                i == di || i == pd || records[i].startTime <= p.startTime || records[i].startTime >= r.startTime
            }
            if consecutive {
                let between = trueStep > 0 ? "between sets"
                    : tr.rep == ptr.rep + 1 ? "within a set" : "within a set, a rep missed between"
                setPauses[between, default: []].append(pause)
            }
            if step != trueStep {
                let cause: String
                if trueStep == 0 {
                    let posture = calibrations.contains { $0 > p.endTime && $0 < r.startTime }
                    cause = "extra break in a set " + (posture ? "after a new posture" : "after a pause")
                } else {
                    cause = step > trueStep ? "extra break between sets" : "missed break between sets"
                }
                setErrorCauses[cause, default: 0] += 1
                misses.append(
                    "\(label) rep \(ptr.rep) -> \(tr.rep): \(cause), numbered \(p.set) -> \(r.set), truly "
                        + "\(ptr.set) -> \(tr.set), pause \(fmt(pause, 2)) s (true \(fmt(tr.startTime - ptr.endTime, 2)) s)")
            }
            previous = (di, ti)
        }
    }

    /// Alerts outside reps and on clean reps, `rep_rejected` events, and what became of the non-reps.
    private mutating func scoreAlertsAndRejections(
        events: [LumbarEvent], truth: SessionTruth, records: [RepRecord], matched: Set<Int>, label: String
    ) {
        let rejections = events.compactMap(RejectedRep.init(event:))
        for e in events {
            guard case .lumbarMoved(let t, _, _, _) = e else { continue }
            movedEvents += 1
            if case .lumbarMoved(_, let n, _, _) = e,
                !records.contains(where: { $0.rep == n && t >= $0.startTime - 1e-9 && t <= $0.endTime + 1e-9 })
            {
                movedUncounted += 1
                misses.append("\(label) lumbar_moved at \(fmt(t, 2)) s said for a candidate not counted")
            }
            if !truth.reps.contains(where: { t >= $0.startTime - 0.2 && t <= $0.endTime + 0.5 }) {
                movedOutsideReps += 1
                misses.append("\(label) lumbar_moved at \(fmt(t, 2)) s outside any rep")
            }
        }
        for tr in truth.reps where tr.crossing5DegreesTime == nil {
            cleanReps += 1
            let alerted = events.contains { e in
                if case .lumbarMoved(let t, _, _, _) = e { return t >= tr.startTime && t <= tr.endTime }
                return false
            }
            if alerted {
                alertsOnCleanReps += 1
                misses.append("\(label) clean rep \(tr.rep) (\(fmt(tr.lumbarPeakDeviationDegrees))°) alerted")
            }
        }
        for r in rejections {
            rejectionsByReason[r.reason, default: 0] += 1
            if let tr = truth.reps.first(where: { min($0.endTime, r.end) - max($0.startTime, r.start) > 0 }) {
                rejectionsOfTrueReps += 1
                misses.append(
                    "\(label) rep \(tr.rep) rejected: \(r.reason) \(fmt(r.value, 2))/\(fmt(r.limit, 0)) (\(fmt(r.start, 2))-\(fmt(r.end, 2)) "
                        + "vs \(fmt(tr.startTime, 2))-\(fmt(tr.endTime, 2)))")
            }
        }
        for n in truth.nuisances where n.kind != .vibration {
            let kind = n.kind == .sensorMoved ? NuisanceTruth.Kind.sensorPickedUp.rawValue : n.kind.rawValue
            nonReps[kind, default: 0] += 1
            let counted = records.indices.contains { i in
                !matched.contains(i) && min(records[i].endTime, n.end) - max(records[i].startTime, n.start) > 0
            }
            if counted {
                nonRepsCounted[kind, default: 0] += 1
                misses.append("\(label) \(kind) at \(fmt(n.start, 2)) s counted as a rep")
            }
            if rejections.contains(where: { min($0.end, n.end) - max($0.start, n.start) > 0 }) {
                nonRepsRejected[kind, default: 0] += 1
            }
        }
    }

    public var repPrecision: Double { detectedReps > 0 ? Double(matchedReps) / Double(detectedReps) : 0 }
    public var repRecall: Double { trueReps > 0 ? Double(matchedReps) / Double(trueReps) : 0 }
    public var exactSetFraction: Double { trueSets > 0 ? Double(exactSets) / Double(trueSets) : 0 }
    public var legAccuracy: Double { matchedReps > 0 ? Double(legCorrect) / Double(matchedReps) : 0 }
    public var setNumberAccuracy: Double { matchedReps > 0 ? Double(setNumberCorrect) / Double(matchedReps) : 0 }
    public var movedPrecision: Double { Self.share(movedTruePositive, of: movedTruePositive + movedFalsePositive) }
    public var movedRecall: Double { Self.share(movedTruePositive, of: movedTruePositive + movedFalseNegative) }
    public var movedF1: Double {
        let p = movedPrecision
        let r = movedRecall
        return p + r > 0 ? 2 * p * r / (p + r) : 0
    }
    /// "p50 / p95 / max" of latencies (s) in ms, "-" without any.
    public func latencyFigures(_ values: [Double]) -> String {
        values.isEmpty ? "-"
            : "\(fmt(Self.quantile(values, 0.5) * 1000, 0)) / \(fmt(Self.quantile(values, 0.95) * 1000, 0)) / "
                + "\(fmt((values.max() ?? 0) * 1000, 0))"
    }
    public var latencyMedian: Double { Self.quantile(latencies, 0.5) }
    public var latencyP95: Double { Self.quantile(latencies, 0.95) }
    public var legROMMAE: Double { legROMErrors.isEmpty ? 0 : legROMErrors.reduce(0, +) / Double(legROMErrors.count) }
    public var lumbarMAE: Double { lumbarErrors.isEmpty ? 0 : lumbarErrors.reduce(0, +) / Double(lumbarErrors.count) }
    public var tooFastPrecision: Double { Self.share(tooFastTruePositive, of: tooFastTruePositive + tooFastFalsePositive) }
    public var tooFastRecall: Double { Self.share(tooFastTruePositive, of: tooFastTruePositive + tooFastFalseNegative) }

    /// `part / whole`, 1 when there is nothing to get wrong (precision with no detection, recall with no truth).
    static func share(_ part: Int, of whole: Int) -> Double { whole > 0 ? Double(part) / Double(whole) : 1 }
    /// Faulty alerted reps whose direction named another movement than the acted one.
    public var directionWrong: Int { directionTotal - directionCorrect - directionSagittal }
    public var faultKindAccuracy: Double { faultKindTotal > 0 ? Double(faultKindCorrect) / Double(faultKindTotal) : 1 }
    public var directionAccuracy: Double { directionTotal > 0 ? Double(directionCorrect) / Double(directionTotal) : 1 }

    /// The figures of the side-by-side table (`ScoreTable`), by row name.
    public var figures: [String: String] {
        func ratio(_ a: Int, _ b: Int) -> String { "\(a)/\(b)" }
        func counts(_ d: [String: Int]) -> String {
            d.isEmpty ? "0" : d.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        let nonRepTotal = nonReps.values.reduce(0, +)
        return [
            ScoreTable.sessions: "\(sessions)",
            ScoreTable.reps: "\(trueReps) / \(detectedReps) / \(matchedReps)",
            ScoreTable.repPR: "\(fmt(repPrecision, 3)) / \(fmt(repRecall, 3))",
            ScoreTable.exactSets: "\(ratio(exactSets, trueSets)) = \(fmt(exactSetFraction, 3))",
            ScoreTable.setNumber: fmt(setNumberAccuracy, 3),
            ScoreTable.setErrors: counts(setErrorCauses),
            ScoreTable.setPauses: setPauses.isEmpty ? "-" : setPauseFigure,
            ScoreTable.leg: fmt(legAccuracy, 3),
            ScoreTable.movedPRF: "\(fmt(movedPrecision, 3)) / \(fmt(movedRecall, 3)) / \(fmt(movedF1, 3))",
            ScoreTable.direction: directionTotal == 0 ? "-"
                : "\(directionCorrect) / \(directionSagittal) / \(directionWrong) of \(directionTotal) "
                    + "(wrong \(fmt(Double(directionWrong) / Double(directionTotal) * 100, 1)) %)",
            ScoreTable.latency: latencyFigures(latencies),
            ScoreTable.emittedLatency: latencyFigures(emittedLatencies),
            ScoreTable.tooFastPR: "\(fmt(tooFastPrecision, 3)) / \(fmt(tooFastRecall, 3))",
            ScoreTable.tooFastCounts: "\(tooFastTruePositive)/\(tooFastTruePositive + tooFastFalseNegative) / "
                + "\(tooFastFalsePositive)/\(matchedReps - tooFastTruePositive - tooFastFalseNegative)"
                + (tooFastFalseByCheck.isEmpty ? "" : " (\(counts(tooFastFalseByCheck)))"),
            ScoreTable.movedOutside: "\(movedOutsideReps) of \(movedEvents)",
            ScoreTable.movedUncounted: "\(movedUncounted) of \(movedEvents)",
            ScoreTable.cleanAlerted: "\(alertsOnCleanReps) of \(cleanReps)",
            ScoreTable.faultKinds: "\(faultKindCorrect) / \(faultKindSagittal) of \(faultKindTotal); \(extraLumbarFaults)",
            ScoreTable.nonRepsCounted: nonRepTotal == 0 ? "-"
                : "\(nonRepsCounted.values.reduce(0, +)) of \(nonRepTotal) (\(counts(nonRepsCounted)))",
            ScoreTable.nonRepsRejected: nonRepTotal == 0 ? "-"
                : "\(nonRepsRejected.values.reduce(0, +)) of \(nonRepTotal)",
            ScoreTable.rejectedTrue: "\(rejectionsOfTrueReps)",
            ScoreTable.rejections: counts(rejectionsByReason),
            ScoreTable.missCauses: counts(missCauses),
            ScoreTable.extraCauses: counts(extraCauses),
            ScoreTable.lumbarMAE: fmt(lumbarMAE, 2),
            ScoreTable.phaseErrors: phaseErrors.isEmpty ? "-" : phaseErrorFigure,
            ScoreTable.tempoVariation: tempoVariations.isEmpty ? "-" : tempoVariationFigure,
            ScoreTable.recognised: ratio(exerciseRecognised, sessions),
        ]
    }

    /// Pauses between counted reps within and between true sets: p5 / p50 / p95 (and the max within, the min
    /// between), s.
    var setPauseFigure: String {
        setPauses.sorted { $0.key > $1.key }.map { key, v in
            "\(key) \(fmt(Self.quantile(v, 0.05), 1)) / \(fmt(Self.quantile(v, 0.5), 1)) / "
                + "\(fmt(Self.quantile(v, 0.95), 1)) [\(fmt(v.min() ?? 0, 1))-\(fmt(v.max() ?? 0, 1))] (\(v.count))"
        }.joined(separator: "; ")
    }

    /// Tempo consistency per set: the median true and measured variation, and the median and 90th percentile of
    /// their difference, percentage points.
    var tempoVariationFigure: String {
        let errors = tempoVariations.map { abs($0.measuredPercent - $0.truePercent) }
        return "true \(fmt(Self.quantile(tempoVariations.map(\.truePercent), 0.5), 0)) % / measured "
            + "\(fmt(Self.quantile(tempoVariations.map(\.measuredPercent), 0.5), 0)) %; |error| p50 "
            + "\(fmt(Self.quantile(errors, 0.5), 1)) / p90 \(fmt(Self.quantile(errors, 0.9), 1)) points "
            + "(\(tempoVariations.count) sets)"
    }

    /// Phase duration errors per phase: |measured − true| p50 / p90 and the signed median (bias), s.
    var phaseErrorFigure: String {
        func phase(_ name: String, _ e: [Double]) -> String {
            let a = e.map(abs)
            return "\(name) \(fmt(Self.quantile(a, 0.5), 2))/\(fmt(Self.quantile(a, 0.9), 2)) "
                + "(\(fmt(Self.quantile(e, 0.5), 2)))"
        }
        return [phase("lift", phaseErrors.map(\.lift)), phase("hold", phaseErrors.map(\.hold)),
            phase("lower", phaseErrors.map(\.lower))].joined(separator: "; ")
    }

    /// The q-quantile (nearest rank) of `values`; 0 when empty.
    public static func quantile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        let i = min(s.count - 1, max(0, Int((q * Double(s.count)).rounded(.up)) - 1))
        return s[i]
    }

    /// The scorer's table: figure, value, target.
    public var table: String {
        let rows: [(String, String, String)] = [
            ("sessions", "\(sessions)", ""),
            ("true reps / detected / matched", "\(trueReps) / \(detectedReps) / \(matchedReps)", ""),
            ("rep precision (IoU >= 0.5)", fmt(repPrecision, 4), ">= 0.99"),
            ("rep recall (IoU >= 0.5)", fmt(repRecall, 4), ">= 0.99"),
            ("exact rep count per set", "\(exactSets)/\(trueSets) = \(fmt(exactSetFraction, 3))", ""),
            ("set number right (matched reps)", fmt(setNumberAccuracy, 4), ""),
            ("leg attribution", fmt(legAccuracy, 4), ""),
            ("lumbar_moved precision", fmt(movedPrecision, 4), ""),
            ("lumbar_moved recall", fmt(movedRecall, 4), ""),
            ("lumbar_moved F1", fmt(movedF1, 4), ">= 0.97"),
            ("alert latency median (ms)", fmt(latencyMedian * 1000, 1), "<= 40"),
            ("alert latency p95 (ms)", fmt(latencyP95 * 1000, 1), "<= 80"),
            ("leg ROM MAE (deg)", fmt(legROMMAE, 2), ""),
            ("lumbar deviation MAE (deg)", fmt(lumbarMAE, 3), "<= 1"),
            ("exercise recognised (sessions)", "\(exerciseRecognised)/\(sessions)", ""),
            ("fault kind named (faulty reps)", "\(faultKindCorrect)/\(faultKindTotal) = \(fmt(faultKindAccuracy, 3))", ""),
            ("extra lumbar faults (matched reps)", "\(extraLumbarFaults)", ""),
            ("direction right (lumbar_moved)", "\(directionCorrect)/\(directionTotal) = \(fmt(directionAccuracy, 3))", ">= 0.95"),
        ]
        let w0 = rows.map(\.0.count).max() ?? 0
        let w1 = rows.map(\.1.count).max() ?? 0
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        var out = "| \(pad("figure", w0)) | \(pad("value", w1)) | target   |\n"
        out += "|\(String(repeating: "-", count: w0 + 2))|\(String(repeating: "-", count: w1 + 2))|----------|\n"
        for r in rows { out += "| \(pad(r.0, w0)) | \(pad(r.1, w1)) | \(pad(r.2, 8)) |\n" }
        return out
    }
}

private func fmt(_ v: Double, _ decimals: Int = 1) -> String { FixedDecimal.format(v, decimals: decimals) }
