import LumbarCore
import LumbarSession

/// `lumbar history --html FILE`: a self-contained progress report (inline CSS and SVG, no scripts, no
/// network): per figure a plot across the sessions (clean-rep rate, lumbar maximum per set, leg ROM, rep
/// tempo), the weekly table and the sessions. Elements carry ids (`#plot-clean`, `#plot-lumbar`,
/// `#plot-rom`, `#plot-tempo`, `#weeks`, `#sessions`) for tests and styling.
public enum HistoryHTML {
    public static func document(_ sessions: [StoredSession], person: StoredPerson?) -> String {
        let title = person.map { "Lumbar progress: \(HTMLReport.escape($0.name))" } ?? "Lumbar progress"
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:1100px}
            h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
            table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}
            th{background:#f3f3f3}td.l,th.l{text-align:left}tr.incomplete td{color:#a04000}
            .plots{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-weight:600;margin:.3em 0}
            svg{background:#fff;border:1px solid #ddd}
            </style></head><body>
            <h1>\(title)</h1>

            """
        guard !sessions.isEmpty else { return h + "<p id=\"no-sessions\">No sessions stored.</p>\n</body></html>\n" }
        let weeks = HistoryReport.weeks(sessions)
        h += "<p id=\"trend\">\(HTMLReport.escape(HistoryReport.trend(weeks)))</p>\n<div class=\"plots\">\n"
        let t = sessions.map { Double($0.startedUnixNanoseconds) / 1e9 }
        h += plot(id: "plot-clean", caption: "Clean reps, % of reps", unit: "%",
                  points: zip(t, sessions).compactMap { x, s in s.cleanRepRate.map { (x, 100 * $0) } }, fixedRange: (0, 100))
        h += plot(id: "plot-lumbar", caption: "Lumbar maximum per set, °", unit: "°",
                  points: zip(t, sessions).flatMap { x, s in s.lumbarMaxPerSet.map { (x, $0.degrees) } })
        h += plot(id: "plot-rom", caption: "Leg range of motion (mean per session), °", unit: "°",
                  points: zip(t, sessions).compactMap { x, s in s.meanLegROM.map { (x, $0) } })
        h += plot(id: "plot-tempo", caption: "Rep duration (mean per session), s", unit: "s",
                  points: zip(t, sessions).compactMap { x, s in s.meanRepSeconds.map { (x, $0) } })
        h += "</div>\n<h2>Weeks (from Monday, UTC)</h2>\n<table id=\"weeks\"><tr><th class=\"l\">week</th><th>sessions</th><th>reps</th>"
        h += "<th>clean</th><th>lumbar max/set °</th><th>ROM °</th><th>rep s</th></tr>\n"
        for w in weeks {
            h += "<tr><td class=\"l\">\(w.start)</td><td>\(w.sessions)</td><td>\(w.reps)</td><td>\(HistoryReport.percent(w.cleanRepRate))</td>"
            h += "<td>\(HistoryReport.f(w.lumbarMaxPerSet))</td><td>\(HistoryReport.f(w.meanLegROM))</td><td>\(HistoryReport.f(w.meanRepSeconds))</td></tr>\n"
        }
        h += "</table>\n<h2>Sessions (UTC)</h2>\n<table id=\"sessions\"><tr><th class=\"l\">started</th><th class=\"l\">person</th>"
        h += "<th class=\"l\">exercise</th><th>reps</th><th>clean</th><th>lumbar max/set °</th><th>ROM °</th><th class=\"l\">status</th></tr>\n"
        for s in sessions {
            let started = String(UTCTimestamp.iso8601(unixNanoseconds: s.startedUnixNanoseconds).prefix(16)).replacing("T", with: " ")
            h += "<tr class=\"\(s.complete ? "complete" : "incomplete")\"><td class=\"l\">\(started)</td>"
            h += "<td class=\"l\">\(HTMLReport.escape(s.person?.name ?? "–"))</td><td class=\"l\">\(HTMLReport.escape(s.exercise ?? "–"))</td>"
            h += "<td>\(s.reps.count)</td><td>\(HistoryReport.percent(s.cleanRepRate))</td>"
            h += "<td>\(s.lumbarMaxPerSet.map { HistoryReport.f($0.degrees) }.joined(separator: "/"))</td><td>\(HistoryReport.f(s.meanLegROM))</td>"
            h += "<td class=\"l\">\(s.complete ? "complete" : "incomplete")</td></tr>\n"
        }
        return h + "</table>\n</body></html>\n"
    }

    /// A scatter-and-line plot of `points` (x: s since 1970, y in `unit`), dates on the x axis.
    static func plot(id: String, caption: String, unit: String, points: [(Double, Double)], fixedRange: (Double, Double)? = nil) -> String {
        let width = 480.0, height = 220.0, left = 48.0, right = 12.0, top = 10.0, bottom = 34.0
        var s = "<figure><figcaption>\(HTMLReport.escape(caption))</figcaption>"
        s += "<svg id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" data-points=\"\(points.count)\">"
        guard !points.isEmpty else { return s + "<text x=\"20\" y=\"110\">no data</text></svg></figure>\n" }
        let xs = points.map(\.0), ys = points.map(\.1)
        var (x0, x1) = (xs.min()!, xs.max()!)
        if x1 - x0 < 86_400 { x0 -= 43_200; x1 += 43_200 }
        var (y0, y1) = fixedRange ?? (min(0, ys.min()!), ys.max()!)
        if y1 - y0 < 1e-9 { y1 = y0 + 1 }
        if fixedRange == nil { y1 += (y1 - y0) * 0.1 }
        func px(_ x: Double) -> String { FixedDecimal.format(left + (x - x0) / (x1 - x0) * (width - left - right), decimals: 1) }
        func py(_ y: Double) -> String { FixedDecimal.format(top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom), decimals: 1) }
        s += "<line x1=\"\(Int(left))\" y1=\"\(py(y0))\" x2=\"\(Int(width - right))\" y2=\"\(py(y0))\" stroke=\"#888\"/>"
        s += "<line x1=\"\(Int(left))\" y1=\"\(Int(top))\" x2=\"\(Int(left))\" y2=\"\(py(y0))\" stroke=\"#888\"/>"
        for frac in [0.0, 0.5, 1.0] {
            let y = y0 + frac * (y1 - y0)
            s += "<text x=\"\(Int(left - 4))\" y=\"\(py(y))\" font-size=\"11\" text-anchor=\"end\">\(FixedDecimal.format(y, decimals: 0))</text>"
        }
        for x in [x0, x1] {
            let date = String(UTCTimestamp.iso8601(unixNanoseconds: Int64(x * 1e9)).prefix(10))
            s += "<text x=\"\(px(x))\" y=\"\(Int(height - 10))\" font-size=\"11\" text-anchor=\"\(x == x0 ? "start" : "end")\">\(date)</text>"
        }
        let sorted = points.sorted { $0.0 < $1.0 }
        s += "<polyline fill=\"none\" stroke=\"#2e86c1\" stroke-width=\"1.5\" points=\"\(sorted.map { "\(px($0.0)),\(py($0.1))" }.joined(separator: " "))\"/>"
        for p in sorted { s += "<circle class=\"point\" cx=\"\(px(p.0))\" cy=\"\(py(p.1))\" r=\"3\" fill=\"#2e86c1\"/>" }
        return s + "</svg></figure>\n"
    }
}
