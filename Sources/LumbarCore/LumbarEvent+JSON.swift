/// Deterministic JSON Lines encoding of events (FORMATS.md §4): fixed key order, fixed number
/// formatting, no Foundation, so that replaying the same file twice gives byte-identical output.
extension LumbarEvent {
    /// One JSON object, without the trailing newline. Keys: `type`, `t`, then the event's fields;
    /// `rep_completed` carries every per-rep CSV column under the same names.
    public var jsonLine: String {
        var o = JSONObjectWriter()
        o.string("type", type)
        o.number("t", time, decimals: 4)
        switch self {
        case .calibrated(_, let posture, let exercise):
            o.string("posture", posture)
            o.string("exercise", exercise)
        case .repStarted(_, let rep, let set, let leg):
            o.int("rep", rep)
            o.int("set", set)
            o.string("leg", leg.rawValue)
        case .lumbarMoved(_, let rep, let deviation, let direction):
            o.int("rep", rep)
            o.number("deviation_deg", Double(deviation), decimals: 2)
            o.string("direction", direction.rawValue)
        case .lumbarSettled(_, let rep, let deviation):
            o.int("rep", rep)
            o.number("deviation_deg", Double(deviation), decimals: 2)
        case .repCompleted(_, let r):
            r.writeFields(into: &o)
        case .repRejected(_, let r):
            o.string("leg", r.leg.rawValue)
            o.number("start_s", r.startTime, decimals: 3)
            o.number("end_s", r.endTime, decimals: 3)
            o.string("reason", r.reason.rawValue)
            o.number("value", Double(r.value), decimals: 2)
            o.number("limit", Double(r.limit), decimals: 2)
            o.string("unit", r.reason.unit)
        case .sensorConnected(_, let sensor, let placement):
            o.string("sensor", sensor)
            o.string("placement", placement.rawValue)
        case .sensorLost(_, let sensor, let placement, let reason):
            o.string("sensor", sensor)
            o.string("placement", placement.rawValue)
            o.string("reason", reason.rawValue)
        }
        return o.finish()
    }
}

extension RepRecord {
    /// The per-rep CSV columns (FORMATS.md §3, in order) followed by the extra metrics, as JSON fields.
    public func writeFields(into o: inout JSONObjectWriter) {
        o.int("rep", rep)
        o.string("leg", leg.rawValue)
        o.number("start_s", startTime, decimals: 3)
        o.number("peak_s", peakTime, decimals: 3)
        o.number("end_s", endTime, decimals: 3)
        o.number("duration_s", duration, decimals: 3)
        o.number("leg_rom_deg", Double(legROMDegrees), decimals: 1)
        o.number("lumbar_max_deviation_deg", Double(lumbarMaxDeviationDegrees), decimals: 2)
        if lumbarMeasured { o.bool("lumbar_moved", lumbarMoved) } else { o.raw("lumbar_moved", "null") }
        o.string("faults", faults.map(\.rawValue).joined(separator: ";"))
        o.int("set", set)
        o.number("concentric_s", concentricDuration, decimals: 3)
        o.number("hold_s", holdDuration, decimals: 3)
        o.number("eccentric_s", eccentricDuration, decimals: 3)
        o.number("peak_leg_velocity_dps", Double(peakLegAngularVelocityDps), decimals: 1)
        o.number("lumbar_extension_deg", Double(lumbarExtensionDegrees), decimals: 2)
        o.number("lumbar_lateral_deg", Double(lumbarLateralDegrees), decimals: 2)
        o.number("lumbar_rotation_deg", Double(lumbarRotationDegrees), decimals: 2)
    }
}

/// Builds one flat JSON object with keys in the order they are written.
public struct JSONObjectWriter: Sendable {
    private var text = "{"
    private var first = true

    public init() {}

    private mutating func key(_ k: String) {
        if !first { text += "," }
        first = false
        text += JSONObjectWriter.quoted(k)
        text += ":"
    }

    public mutating func string(_ k: String, _ v: String) {
        key(k)
        text += JSONObjectWriter.quoted(v)
    }

    public mutating func int(_ k: String, _ v: Int) {
        key(k)
        text += String(v)
    }

    public mutating func bool(_ k: String, _ v: Bool) {
        key(k)
        text += v ? "true" : "false"
    }

    /// A number with a fixed count of decimals; non-finite values are written as `null`.
    public mutating func number(_ k: String, _ v: Double, decimals: Int) {
        key(k)
        text += v.isFinite ? FixedDecimal.format(v, decimals: decimals) : "null"
    }

    /// Inserts an already-encoded JSON value (an object or array) verbatim.
    public mutating func raw(_ k: String, _ json: String) {
        key(k)
        text += json
    }

    public mutating func finish() -> String {
        text += "}"
        return text
    }

    /// `s` as a JSON string literal, with the escapes RFC 8259 requires.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

/// Fixed-point decimal formatting without Foundation (`%.Nf`, round half away from zero),
/// identical on every platform so that exports are byte-for-byte reproducible.
public enum FixedDecimal {
    public static func format(_ value: Double, decimals: Int) -> String {
        precondition(decimals >= 0 && decimals <= 9, "FixedDecimal.format: 'decimals' must be 0...9")
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return String(value) }
        let n = UInt64(scaled)
        let negative = value < 0 && n != 0
        let whole = n / UInt64(scale)
        var text = (negative ? "-" : "") + String(whole)
        if decimals > 0 {
            let frac = String(n % UInt64(scale))
            text += "." + String(repeating: "0", count: decimals - frac.count) + frac
        }
        return text
    }
}
