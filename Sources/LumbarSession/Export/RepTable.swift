import LumbarCore

/// The per-rep metrics exports: CSV (FORMATS.md §3) and JSON, from `RepRecord`s.
public enum RepTable {
    /// The CSV header: the FORMATS.md §3 columns in order, then the extra metrics.
    public static let csvHeader =
        "rep,leg,start_s,peak_s,end_s,duration_s,leg_rom_deg,lumbar_max_deviation_deg,lumbar_moved,faults,"
        + "set,concentric_s,hold_s,eccentric_s,peak_leg_velocity_dps,lumbar_extension_deg,lumbar_lateral_deg,"
        + "lumbar_rotation_deg"

    /// One CSV row (no newline), numbers as in the `rep_completed` event.
    public static func csvRow(_ r: RepRecord) -> String {
        func n(_ v: Double, _ d: Int) -> String { FixedDecimal.format(v, decimals: d) }
        // Not measured (lumbar_unknown): empty, never a number that reads as a good value.
        func f(_ v: Float, _ d: Int) -> String { v.isFinite ? FixedDecimal.format(Double(v), decimals: d) : "" }
        return [
            String(r.rep), r.leg.rawValue, n(r.startTime, 3), n(r.peakTime, 3), n(r.endTime, 3), n(r.duration, 3),
            f(r.legROMDegrees, 1), f(r.lumbarMaxDeviationDegrees, 2), !r.lumbarMeasured ? "" : r.lumbarMoved ? "true" : "false",
            r.faults.map(\.rawValue).joined(separator: ";"), String(r.set), n(r.concentricDuration, 3),
            n(r.holdDuration, 3), n(r.eccentricDuration, 3), f(r.peakLegAngularVelocityDps, 1),
            f(r.lumbarExtensionDegrees, 2), f(r.lumbarLateralDegrees, 2), f(r.lumbarRotationDegrees, 2),
        ].joined(separator: ",")
    }

    /// The whole CSV file.
    public static func csv(_ reps: [RepRecord]) -> String {
        var text = csvHeader + "\n"
        for r in reps { text += csvRow(r) + "\n" }
        return text
    }

    /// A JSON array with one object per rep (the `rep_completed` fields), one object per line.
    public static func json(_ reps: [RepRecord]) -> String {
        if reps.isEmpty { return "[]\n" }
        var text = "[\n"
        for (i, r) in reps.enumerated() {
            var o = JSONObjectWriter()
            r.writeFields(into: &o)
            text += "  " + o.finish() + (i + 1 < reps.count ? ",\n" : "\n")
        }
        return text + "]\n"
    }
}
