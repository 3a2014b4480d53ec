import LumbarCore

/// The self-contained HTML session report: one file, inline CSS and SVG, no scripts, no network.
///
/// The summary (figures, faults, sets, trend), then per rep a card with its metrics and a plot of
/// the lumbar deviation (with the alert threshold as a dashed line and each `lumbar_moved` marked)
/// above the leg angle, against session time. Elements carry stable ids and classes
/// (`#summary`, `section.rep#rep-N[data-faults]`, `line.threshold`, `circle.alert`) for tests and styling.
public enum HTMLReport {
    /// The whole document.
    ///
    /// - Parameters:
    ///   - title: shown as the heading, e.g. the input file name.
    ///   - summary: the session summary.
    ///   - reps: the reps with their traces.
    ///   - thresholdDegrees: the lumbar alert threshold in force, degrees.
    ///   - recordedAt: when the session was recorded (ISO 8601 UTC); nil when the input does not say (CSV).
    public static func document(
        title: String, summary: SessionSummary, reps: [RepTraces.Rep], thresholdDegrees: Float, recordedAt: String? = nil
    ) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Lumbar report: \(escape(title))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:1100px}
            h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
            table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}
            th{background:#f3f3f3}td.l,th.l{text-align:left}
            .reps{display:flex;flex-wrap:wrap;gap:12px}
            section.rep{border:1px solid #ccc;border-radius:6px;padding:.4em .6em;width:330px}
            section.rep.faulted{border-color:#c0392b;background:#fff6f5}
            section.rep h3{font-size:1em;margin:.2em 0}
            .faults{color:#c0392b;font-weight:600}.clean{color:#1e8449;font-weight:600}
            .metrics{font-size:.85em;color:#444}
            svg{background:#fff}
            </style></head><body>
            <h1>Lumbar session report</h1>
            <p>\(escape(title))</p>
            <p id="recorded">\(recordedAt.map { "Recorded \(escape($0))" } ?? "Recording date unknown (the input does not say)")</p>

            """
        h += summarySection(summary, thresholdDegrees: thresholdDegrees)
        h += "<h2>Reps</h2>\n<div class=\"reps\">\n"
        for rep in reps { h += repSection(rep, thresholdDegrees: thresholdDegrees) }
        if reps.isEmpty { h += "<p id=\"no-reps\">No reps were found.</p>\n" }
        h += "</div>\n</body></html>\n"
        return h
    }

    static func summarySection(_ s: SessionSummary, thresholdDegrees: Float) -> String {
        func f(_ v: Double, _ d: Int = 1) -> String { v.isFinite ? FixedDecimal.format(v, decimals: d) : "–" }
        var h = "<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n"
        let rows: [(String, String)] = [
            ("Duration", f(s.duration) + " s"), ("Exercise", s.exercise ?? "unknown"),
            ("Reps", "\(s.reps) (left \(s.repsLeft), right \(s.repsRight))"),
            ("Reps with faults", "\(s.faultedReps) (\(f(100 * s.faultRate, 0))%)"),
            ("Lumbar alerts", String(s.lumbarAlerts)), ("Alert threshold", f(Double(thresholdDegrees)) + "°"),
            ("Sensor losses", String(s.sensorLosses)), ("Trend", s.trend),
        ]
        for (k, v) in rows { h += "<tr><th class=\"l\">\(k)</th><td class=\"l\" id=\"summary-\(slug(k))\">\(escape(v))</td></tr>\n" }
        h += "</table>\n<table id=\"faults\"><tr><th class=\"l\">fault</th><th>reps</th><th>rate</th></tr>\n"
        for (fault, count) in s.faultCounts {
            let rate = s.reps > 0 ? 100 * Double(count) / Double(s.reps) : 0
            h += "<tr><td class=\"l\">\(fault.rawValue)</td><td>\(count)</td><td>\(f(rate, 0))%</td></tr>\n"
        }
        h += "</table>\n<table id=\"sets\"><tr><th>set</th><th class=\"l\">leg</th><th>reps</th><th>faulted</th>"
        h += "<th>concentric s</th><th>hold s</th><th>eccentric s</th><th>leg ROM °</th><th>lumbar mean °</th>"
        h += "<th>lumbar max °</th><th>°/rep</th></tr>\n"
        for x in s.sets {
            h += "<tr><td>\(x.set)</td><td class=\"l\">\(x.leg)</td><td>\(x.reps)</td><td>\(x.faultedReps)</td>"
            h += "<td>\(f(x.meanConcentric, 2))</td><td>\(f(x.meanHold, 2))</td><td>\(f(x.meanEccentric, 2))</td>"
            h += "<td>\(f(x.meanLegROM))</td><td>\(f(x.meanLumbarMax, 2))</td><td>\(f(x.largestLumbarMax, 2))</td>"
            h += "<td>\(f(x.lumbarMaxSlope, 2))</td></tr>\n"
        }
        return h + "</table>\n</section>\n"
    }

    static func repSection(_ rep: RepTraces.Rep, thresholdDegrees: Float) -> String {
        let r = rep.record
        func f(_ v: Double, _ d: Int = 1) -> String { v.isFinite ? FixedDecimal.format(v, decimals: d) : "–" }
        let faults = r.faults.map(\.rawValue).joined(separator: ";")
        var h = "<section class=\"rep\(r.faults.isEmpty ? "" : " faulted")\" id=\"rep-\(r.rep)\" data-faults=\"\(faults)\">\n"
        h += "<h3>Rep \(r.rep) · set \(r.set) · \(r.leg) leg</h3>\n"
        h += r.faults.isEmpty
            ? "<div class=\"clean\">clean</div>\n"
            : "<div class=\"faults\">\(r.faults.map(\.rawValue).joined(separator: ", "))</div>\n"
        h += "<div class=\"metrics\">\(f(r.startTime, 2))–\(f(r.endTime, 2)) s · ROM \(f(Double(r.legROMDegrees)))° · "
        h += "lumbar max \(f(Double(r.lumbarMaxDeviationDegrees)))° · concentric \(f(r.concentricDuration, 2)) s, "
        h += "hold \(f(r.holdDuration, 2)) s, eccentric \(f(r.eccentricDuration, 2)) s</div>\n"
        h += plot(rep, thresholdDegrees: thresholdDegrees)
        return h + "</section>\n"
    }

    /// Two panels: lumbar deviation (0…max(threshold×2, peak)) and leg angle, sharing the time axis.
    static func plot(_ rep: RepTraces.Rep, thresholdDegrees: Float) -> String {
        let width = 320.0
        let panel = 80.0
        let gap = 18.0
        let left = 30.0
        let plotWidth = width - left - 4
        let points = rep.points
        guard let t0 = points.first?.time, let t1 = points.last?.time, t1 > t0 else {
            return "<p class=\"metrics\">(no trace)</p>\n"
        }
        func x(_ t: Double) -> Double { left + (t - t0) / (t1 - t0) * plotWidth }
        // Moments without lumbar samples (NaN) are gaps in the lumbar line, never zeros.
        let measured = points.filter { $0.lumbarDeviation.isFinite }
        let devMax = max(Double(thresholdDegrees) * 2, Double(measured.map(\.lumbarDeviation).max() ?? 0) * 1.1, 1)
        let legValues = points.map { Double($0.legAngle) }
        let legMax = max(legValues.max() ?? 1, 1) * 1.1
        let legMin = min(legValues.min() ?? 0, 0)
        func yDev(_ v: Double) -> Double { 4 + panel * (1 - v / devMax) }
        func yLeg(_ v: Double) -> Double { 4 + panel + gap + panel * (1 - (v - legMin) / (legMax - legMin)) }
        func n(_ v: Double) -> String { FixedDecimal.format(v, decimals: 1) }
        let height = 4 + 2 * panel + gap + 16
        var s = "<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
        s += "viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"lumbar deviation and leg angle of rep \(rep.record.rep)\">\n"
        // Fault band: the time the alert was on is not known point by point; shade from each alert to the rep's end.
        for a in rep.alerts {
            s += "<rect class=\"alert-band\" x=\"\(n(x(a.time)))\" y=\"4\" width=\"\(n(max(1, x(rep.record.endTime) - x(a.time))))\" "
            s += "height=\"\(n(panel))\" fill=\"#f5b7b1\" opacity=\"0.5\"/>\n"
        }
        s += "<rect x=\"\(n(left))\" y=\"4\" width=\"\(n(plotWidth))\" height=\"\(n(panel))\" fill=\"none\" stroke=\"#bbb\"/>\n"
        s += "<rect x=\"\(n(left))\" y=\"\(n(4 + panel + gap))\" width=\"\(n(plotWidth))\" height=\"\(n(panel))\" fill=\"none\" stroke=\"#bbb\"/>\n"
        let ty = yDev(Double(thresholdDegrees))
        s += "<line class=\"threshold\" x1=\"\(n(left))\" y1=\"\(n(ty))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(ty))\" "
        s += "stroke=\"#c0392b\" stroke-dasharray=\"4 3\"><title>threshold \(n(Double(thresholdDegrees)))°</title></line>\n"
        s += "<polyline class=\"lumbar\" fill=\"none\" stroke=\"#2e86c1\" stroke-width=\"1.5\" points=\""
        s += measured.map { "\(n(x($0.time))),\(n(yDev(Double($0.lumbarDeviation))))" }.joined(separator: " ")
        s += "\"/>\n"
        s += "<polyline class=\"leg\" fill=\"none\" stroke=\"#7d3c98\" stroke-width=\"1.5\" points=\""
        s += points.map { "\(n(x($0.time))),\(n(yLeg(Double($0.legAngle))))" }.joined(separator: " ")
        s += "\"/>\n"
        for a in rep.alerts {
            s += "<circle class=\"alert\" cx=\"\(n(x(a.time)))\" cy=\"\(n(yDev(Double(a.deviation))))\" r=\"3.5\" fill=\"#c0392b\">"
            s += "<title>lumbar moved \(n(Double(a.deviation)))° at \(FixedDecimal.format(a.time, decimals: 2)) s</title></circle>\n"
        }
        s += "<text x=\"2\" y=\"14\" font-size=\"9\" fill=\"#2e86c1\">lumbar °</text>\n"
        s += "<text x=\"2\" y=\"26\" font-size=\"9\" fill=\"#444\">\(n(devMax))</text>\n"
        s += "<text x=\"2\" y=\"\(n(ty + 3))\" font-size=\"9\" fill=\"#c0392b\">\(n(Double(thresholdDegrees)))</text>\n"
        s += "<text x=\"2\" y=\"\(n(14 + panel + gap))\" font-size=\"9\" fill=\"#7d3c98\">leg °</text>\n"
        s += "<text x=\"2\" y=\"\(n(26 + panel + gap))\" font-size=\"9\" fill=\"#444\">\(n(legMax))</text>\n"
        s += "<text x=\"\(n(left))\" y=\"\(n(height - 3))\" font-size=\"9\" fill=\"#444\">\(FixedDecimal.format(t0, decimals: 2)) s</text>\n"
        s += "<text x=\"\(n(left + plotWidth - 40))\" y=\"\(n(height - 3))\" font-size=\"9\" fill=\"#444\">\(FixedDecimal.format(t1, decimals: 2)) s</text>\n"
        return s + "</svg>\n"
    }

    static func slug(_ s: String) -> String {
        String(s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    /// Text escaped for HTML content and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
