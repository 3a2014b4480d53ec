import LumbarCore

/// What a session amounted to: reps per set and leg, faults and their rates, tempo, and the trend
/// across and within sets (fatigue shows as lumbar deviation and faults creeping in late in a set).
public struct SessionSummary: Sendable, Hashable {
    /// One set's figures.
    public struct SetFigures: Sendable, Hashable {
        public var set: Int
        public var leg: Leg
        public var reps: Int
        /// Reps with at least one fault.
        public var faultedReps: Int
        /// Mean durations of the phases, s.
        public var meanConcentric: Double
        public var meanHold: Double
        public var meanEccentric: Double
        /// Mean leg range of motion, degrees.
        public var meanLegROM: Double
        /// Mean and largest lumbar maximum deviation, degrees.
        public var meanLumbarMax: Double
        public var largestLumbarMax: Double
        /// Least-squares change of the lumbar maximum deviation per rep within the set, degrees per rep.
        public var lumbarMaxSlope: Double
        /// Tempo consistency: the coefficient of variation of the reps' durations (standard deviation over
        /// mean, %); 0 for a set of one rep. A steady set stays under ~15 %.
        public var tempoVariationPercent: Double

        /// Faulted reps over reps (0 for an empty set).
        public var faultRate: Double { reps > 0 ? Double(faultedReps) / Double(reps) : 0 }
    }

    /// Session seconds covered.
    public var duration: Double
    /// The exercise (from the `calibrated` event), if known.
    public var exercise: String?
    public var sets: [SetFigures]
    public var repsLeft: Int
    public var repsRight: Int
    public var repsUnknownLeg: Int
    /// Count of each fault over all reps, in `RepFault.allCases` order (zero counts included).
    public var faultCounts: [(fault: RepFault, count: Int)]
    /// `lumbar_moved` alerts.
    public var lumbarAlerts: Int
    /// `sensor_lost` events.
    public var sensorLosses: Int
    /// Leg movements not counted (`rep_rejected` events), by reason.
    public var rejections: [RepRejection: Int]

    public var reps: Int { repsLeft + repsRight + repsUnknownLeg }
    public var faultedReps: Int { sets.reduce(0) { $0 + $1.faultedReps } }
    public var faultRate: Double { reps > 0 ? Double(faultedReps) / Double(reps) : 0 }

    public static func == (a: SessionSummary, b: SessionSummary) -> Bool { a.text == b.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// Summarises the reps and events of a session.
    public init(reps: [RepRecord], events: [LumbarEvent], duration: Double) {
        self.duration = duration
        exercise = nil
        lumbarAlerts = 0
        sensorLosses = 0
        rejections = [:]
        for e in events {
            switch e {
            case .calibrated(_, _, let ex) where exercise == nil || ex != "unknown": exercise = ex
            case .lumbarMoved: lumbarAlerts += 1
            case .sensorLost: sensorLosses += 1
            case .repRejected(_, let r): rejections[r.reason, default: 0] += 1
            default: break
            }
        }
        repsLeft = reps.filter { $0.leg == .left }.count
        repsRight = reps.filter { $0.leg == .right }.count
        repsUnknownLeg = reps.count - repsLeft - repsRight
        faultCounts = RepFault.allCases.map { f in (f, reps.filter { $0.faults.contains(f) }.count) }
        var sets: [SetFigures] = []
        for number in Array(Set(reps.map(\.set))).sorted() {
            let rs = reps.filter { $0.set == number }
            let n = Double(rs.count)
            func mean(_ v: (RepRecord) -> Double) -> Double { rs.reduce(0) { $0 + v($1) } / n }
            // Reps without lumbar data (lumbar_unknown) have no maximum: they count as faulted, not as zero.
            let maxima = rs.filter(\.lumbarMeasured).map { Double($0.lumbarMaxDeviationDegrees) }
            let m = Double(maxima.count)
            var slope = 0.0
            if maxima.count >= 2 {
                let mx = (m - 1) / 2
                let my = maxima.reduce(0, +) / m
                var sxx = 0.0
                var sxy = 0.0
                for (i, y) in maxima.enumerated() {
                    sxx += (Double(i) - mx) * (Double(i) - mx)
                    sxy += (Double(i) - mx) * (y - my)
                }
                slope = sxy / sxx
            }
            let legs = Set(rs.map(\.leg))
            sets.append(
                SetFigures(
                    set: number, leg: legs.count == 1 ? legs.first! : .unknown, reps: rs.count,
                    faultedReps: rs.filter { !$0.faults.isEmpty }.count, meanConcentric: mean(\.concentricDuration),
                    meanHold: mean(\.holdDuration), meanEccentric: mean(\.eccentricDuration),
                    meanLegROM: mean { Double($0.legROMDegrees) }, meanLumbarMax: maxima.isEmpty ? .nan : maxima.reduce(0, +) / m,
                    largestLumbarMax: maxima.max() ?? .nan, lumbarMaxSlope: slope,
                    tempoVariationPercent: Self.variationPercent(rs.map(\.duration))))
        }
        self.sets = sets
    }

    /// Standard deviation over mean of `values`, % (0 for fewer than two values or a zero mean).
    public static func variationPercent(_ values: [Double]) -> Double {
        guard values.count >= 2 else { return 0 }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard mean > 0 else { return 0 }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return 100 * variance.squareRoot() / mean
    }

    /// One sentence on the trend: within sets (deviation creeping up) and across sets (fault rate).
    public var trend: String {
        guard !sets.isEmpty else { return "no reps" }
        var parts: [String] = []
        let rising = sets.filter { $0.reps >= 4 && $0.lumbarMaxSlope >= 0.3 }
        if rising.isEmpty {
            parts.append("lumbar deviation steady within sets")
        } else {
            parts.append(
                "lumbar deviation creeps up within " + rising.map {
                    "set \($0.set) (+\(FixedDecimal.format($0.lumbarMaxSlope, decimals: 2))°/rep)"
                }.joined(separator: ", ") + ": fatigue")
        }
        if sets.count >= 2 {
            let rates = sets.map { FixedDecimal.format(100 * $0.faultRate, decimals: 0) + "%" }
            let first = sets.first!.faultRate
            let last = sets.last!.faultRate
            let word = last > first + 0.15 ? "rising" : last < first - 0.15 ? "falling" : "steady"
            parts.append("fault rate across sets \(word) (\(rates.joined(separator: ", ")))")
        }
        return parts.joined(separator: "; ")
    }

    /// The plain-text summary (what `export --summary` writes).
    public var text: String {
        func f(_ v: Double, _ d: Int = 1) -> String { v.isFinite ? FixedDecimal.format(v, decimals: d) : "-" }
        var t = "Lumbar session summary\n"
        t += "duration: \(f(duration)) s\n"
        t += "exercise: \(exercise ?? "unknown")\n"
        t += "reps: \(reps) (left \(repsLeft), right \(repsRight)"
        t += repsUnknownLeg > 0 ? ", unknown \(repsUnknownLeg))\n" : ")\n"
        t += "reps with faults: \(faultedReps) (\(f(100 * faultRate, 0))%)\n"
        t += "lumbar alerts: \(lumbarAlerts)\n"
        t += "sensor losses: \(sensorLosses)\n"
        let notCounted = rejections.values.reduce(0, +)
        t += "not counted: \(notCounted)"
        if notCounted > 0 {
            let reasons = RepRejection.allCases.compactMap { r in rejections[r].map { "\(r.rawValue) \($0)" } }
            t += " (" + reasons.joined(separator: ", ") + ")"
        }
        t += "\n"
        t += "faults:\n"
        for (fault, count) in faultCounts {
            let rate = reps > 0 ? 100 * Double(count) / Double(reps) : 0
            t += "  \(fault.rawValue): \(count) (\(f(rate, 0))%)\n"
        }
        t += "sets:\n"
        t += "  set  leg      reps  faulted  rate  concentric_s  hold_s  eccentric_s  leg_rom_deg  lumbar_mean_deg  lumbar_max_deg  lumbar_slope_deg_per_rep  tempo_cv_pct\n"
        for s in sets {
            func col(_ v: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - v.count)) + v }
            t += "  " + col(String(s.set), 3) + "  " + s.leg.rawValue + String(repeating: " ", count: 7 - s.leg.rawValue.count)
            t += col(String(s.reps), 6) + col(String(s.faultedReps), 9) + col(f(100 * s.faultRate, 0) + "%", 6)
            t += col(f(s.meanConcentric, 2), 14) + col(f(s.meanHold, 2), 8) + col(f(s.meanEccentric, 2), 13)
            t += col(f(s.meanLegROM), 13) + col(f(s.meanLumbarMax, 2), 17) + col(f(s.largestLumbarMax, 2), 16)
            t += col(f(s.lumbarMaxSlope, 2), 26) + col(f(s.tempoVariationPercent, 0), 14) + "\n"
        }
        t += "trend: \(trend)\n"
        return t
    }
}
