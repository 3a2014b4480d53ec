import LumbarCore

/// The human-readable terminal line of an event, e.g.
/// `  12.345  LUMBAR MOVED     rep 3: 6.2° extension`.
public enum EventText {
    /// One line, without a newline.
    public static func line(_ event: LumbarEvent) -> String {
        let time = FixedDecimal.format(event.time, decimals: 3)
        let t = String(repeating: " ", count: max(0, 9 - time.count)) + time
        func label(_ s: String) -> String { s + String(repeating: " ", count: max(1, 17 - s.count)) }
        func deg(_ v: Float) -> String { FixedDecimal.format(Double(v), decimals: 1) + "°" }
        switch event {
        case .calibrated(_, let posture, let exercise):
            return t + "  " + label("calibrated") + "\(posture) posture, exercise \(exercise)"
        case .repStarted(_, let rep, let set, let leg):
            return t + "  " + label("rep \(rep) started") + "set \(set), \(leg) leg"
        case .lumbarMoved(_, let rep, let deviation, let direction):
            return t + "  " + label("LUMBAR MOVED") + "rep \(rep): \(deg(deviation)) \(direction.rawValue)"
        case .lumbarSettled(_, let rep, let deviation):
            return t + "  " + label("lumbar settled") + "rep \(rep): \(deg(deviation))"
        case .repCompleted(_, let r):
            let faults = r.faults.isEmpty ? "clean" : "faults: " + r.faults.map(\.rawValue).joined(separator: ", ")
            return t + "  " + label("rep \(r.rep) done")
                + "set \(r.set), \(r.leg) leg, ROM \(deg(r.legROMDegrees)), "
                + "\(FixedDecimal.format(r.duration, decimals: 2)) s, lumbar \(r.lumbarMeasured ? "max " + deg(r.lumbarMaxDeviationDegrees) : "NOT MEASURED (no lumbar data)") — "
                + faults
        case .repRejected(_, let r):
            return t + "  " + label("not counted") + "\(r.leg) leg, \(r.reason.rawValue): "
                + FixedDecimal.format(Double(r.value), decimals: 2) + " \(r.reason.unit) (limit "
                + FixedDecimal.format(Double(r.limit), decimals: 2) + ")"
        case .sensorConnected(_, let sensor, let placement):
            return t + "  " + label("sensor connected") + "\(placement) (\(sensor))"
        case .sensorLost(_, let sensor, let placement, let reason):
            return t + "  " + label("SENSOR LOST") + "\(placement) (\(sensor)): \(reason)"
        }
    }
}
