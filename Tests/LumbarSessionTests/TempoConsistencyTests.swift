import LumbarCore
import LumbarSession
import Testing

/// Tempo consistency within a set (issue 12): the summary gives each set's coefficient of variation of its reps'
/// durations, the figure `export --summary` prints as `tempo_cv_pct` and the session database keeps.
struct TempoConsistencyTests {
    static func rep(_ n: Int, set: Int, start: Double, duration: Double) -> RepRecord {
        RepRecord(
            rep: n, set: set, leg: .left, startTime: start, peakTime: start + duration / 2, endTime: start + duration,
            concentricDuration: duration / 3, holdDuration: duration / 3, eccentricDuration: duration / 3,
            legROMDegrees: 20, peakLegAngularVelocityDps: 60, lumbarMaxDeviationDegrees: 1, lumbarExtensionDegrees: 0,
            lumbarLateralDegrees: 0, lumbarRotationDegrees: 0, lumbarMoved: false, faults: [])
    }

    @Test func aSteadySetVariesByNothingAndAnUnevenOneByItsCoefficientOfVariation() {
        let steady = (1...3).map { Self.rep($0, set: 1, start: Double($0) * 10, duration: 4) }
        let uneven = [3.0, 4, 5].enumerated().map { i, d in Self.rep(4 + i, set: 2, start: 60 + Double(i) * 10, duration: d) }
        let summary = SessionSummary(reps: steady + uneven, events: [], duration: 100)
        #expect(summary.sets.map(\.set) == [1, 2])
        #expect(summary.sets[0].tempoVariationPercent == 0)
        // Standard deviation 1 s over a mean of 4 s.
        #expect(abs(summary.sets[1].tempoVariationPercent - 25) < 1e-9)
        #expect(summary.text.contains("tempo_cv_pct"))
        let row = summary.text.split(separator: "\n").first { $0.hasPrefix("    2  left") }
        #expect(row?.hasSuffix(" 25") == true, "\(summary.text)")
    }

    @Test func aSetOfOneRepHasNoVariation() {
        #expect(SessionSummary.variationPercent([4]) == 0)
        #expect(SessionSummary.variationPercent([]) == 0)
    }
}
