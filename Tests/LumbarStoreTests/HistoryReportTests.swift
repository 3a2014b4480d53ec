import Foundation
import LumbarCore
import LumbarStore
import Testing

/// `lumbar history`: figures per session and per week, the trend, and the HTML progress report.
struct HistoryReportTests {
    static let day: Int64 = 86_400_000_000_000
    /// Monday 2026-11-02 10:00 UTC.
    static let monday: Int64 = 1_793_613_600_000_000_000

    /// A session `weeks` weeks after `monday` with `clean` clean reps of `reps`, lumbar maxima from `lumbar`.
    static func session(_ id: String, weeks: Int64, reps: Int, clean: Int, lumbar: Float, rom: Float, complete: Bool = true) -> StoredSession {
        var records: [RepRecord] = []
        for n in 1...reps {
            let t = Double(n) * 4
            let set = n <= reps / 2 ? 1 : 2
            let faults: [RepFault] = n > clean ? [.lumbarExtension] : []
            let maximum: Float = lumbar + Float(n)
            records.append(RepRecord(
                rep: n, set: set, leg: .right, startTime: t, peakTime: t + 1, endTime: t + 2.5, concentricDuration: 1,
                holdDuration: 0.5, eccentricDuration: 1, legROMDegrees: rom, peakLegAngularVelocityDps: 90,
                lumbarMaxDeviationDegrees: maximum, lumbarExtensionDegrees: 1, lumbarLateralDegrees: 0, lumbarRotationDegrees: 0,
                lumbarMoved: n > clean, faults: faults))
        }
        return StoredSession(
            id: id, person: StoredPerson(id: "p", name: "Ann"), source: "live", startedUnixNanoseconds: monday + weeks * 7 * day,
            endedUnixNanoseconds: nil, complete: complete, exercise: "back_kick", durationSeconds: 60, station: nil,
            recordingPath: nil, recordingSHA256: nil, reps: records)
    }

    static let threeWeeks = [
        session("a", weeks: 0, reps: 10, clean: 5, lumbar: 10, rom: 60),
        session("b", weeks: 1, reps: 10, clean: 7, lumbar: 8, rom: 65),
        session("c", weeks: 2, reps: 10, clean: 9, lumbar: 4, rom: 70, complete: false),
    ]

    @Test("per session: clean-rep rate, lumbar maximum of each set, ROM, tempo, and an incomplete session said so")
    func sessionFigures() {
        let s = Self.threeWeeks[0]
        #expect(s.cleanRepRate == 0.5)
        #expect(s.lumbarMaxPerSet.map(\.set) == [1, 2] && s.lumbarMaxPerSet.map(\.degrees) == [15, 20])
        #expect(s.meanLegROM == 60 && s.meanTempo?.concentric == 1 && s.meanRepSeconds == 2.5)
        let text = HistoryReport.text(Self.threeWeeks, person: Self.threeWeeks[0].person)
        #expect(text.contains("Sessions of Ann"))
        #expect(text.contains("50%") && text.contains("15.0/20.0") && text.contains("1.0-0.5-1.0"))
        #expect(text.contains("INCOMPLETE") && text.contains("1 session INCOMPLETE"))
    }

    @Test("weeks start on Monday (UTC) and the trend runs from the first week to the last")
    func weeksAndTrend() {
        let weeks = HistoryReport.weeks(Self.threeWeeks + [Self.session("a2", weeks: 0, reps: 4, clean: 4, lumbar: 10, rom: 60)])
        #expect(weeks.map(\.start) == ["2026-11-02", "2026-11-09", "2026-11-16"])
        #expect(weeks[0].sessions == 2 && weeks[0].reps == 14 && weeks[0].cleanRepRate == 9.0 / 14)
        let trend = HistoryReport.trend(HistoryReport.weeks(Self.threeWeeks))
        #expect(trend.contains("3 weeks") && trend.contains("clean reps 50% → 90% (+40 points)"), "\(trend)")
        #expect(trend.contains("lumbar max per set 17.5° → 11.5° (steadier)") && trend.contains("ROM 60.0° → 70.0°"), "\(trend)")
        #expect(HistoryReport.trend(HistoryReport.weeks([Self.threeWeeks[0]])).contains("one week"))
    }

    @Test("a Sunday belongs to the week of the Monday before it")
    func sundayIsTheEndOfTheWeek() {
        var sunday = Self.threeWeeks[0]
        sunday.startedUnixNanoseconds = Self.monday + 6 * Self.day + 13 * 3_600_000_000_000
        #expect(HistoryReport.weeks([sunday]).map(\.start) == ["2026-11-02"])
    }

    @Test("the HTML report is self-contained and plots each figure with a point per session (per set for the lumbar maximum)")
    func htmlReportPlots() {
        let html = HistoryHTML.document(Self.threeWeeks, person: Self.threeWeeks[0].person)
        for id in ["plot-clean", "plot-lumbar", "plot-rom", "plot-tempo", "weeks", "sessions"] { #expect(html.contains("id=\"\(id)\"")) }
        #expect(html.contains("id=\"plot-clean\" xmlns=\"http://www.w3.org/2000/svg\" width=\"480\" height=\"220\" data-points=\"3\""))
        #expect(html.contains("id=\"plot-lumbar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"480\" height=\"220\" data-points=\"6\""))
        #expect(html.components(separatedBy: "<circle class=\"point\"").count - 1 == 3 + 6 + 3 + 3)
        #expect(!html.contains("<script") && !html.contains("http://") || html.components(separatedBy: "http://").count - 1 == 4,
                "no script, no link but the SVG namespace")
        #expect(html.contains("class=\"incomplete\""))
        #expect(HistoryHTML.document([], person: nil).contains("No sessions stored."))
    }
}
