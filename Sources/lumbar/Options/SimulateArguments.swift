import ArgumentParser
import LumbarCore
import LumbarSim

/// `simulate --unplug PLACEMENT@START+SECONDS`: a sensor unplugged for a while, session seconds.
struct SensorUnplug: ArgumentValue, Hashable {
    var placements: [SensorPlacement]
    var span: Range<Double>

    static func parse(_ text: String) throws(ArgumentValueError) -> SensorUnplug {
        let at = text.split(separator: "@"), span = at.count == 2 ? at[1].split(separator: "+") : []
        guard at.count == 2, span.count == 2, let p = PlacementValue.placements(at[0]),
            let start = Double(span[0]), let length = Double(span[1]), start >= 0, length > 0, (start + length).isFinite
        else { throw ArgumentValueError("expected PLACEMENT@START+SECONDS, e.g. right_ankle@20+3") }
        return SensorUnplug(placements: p, span: start..<(start + length))
    }
}

/// `simulate --restart PLACEMENT@SECONDS`: a sensor's MCU restarted at a session time, seconds.
struct SensorRestart: ArgumentValue, Hashable {
    var placements: [SensorPlacement]
    var time: Double

    static func parse(_ text: String) throws(ArgumentValueError) -> SensorRestart {
        let at = text.split(separator: "@")
        guard at.count == 2, let p = PlacementValue.placements(at[0]), let time = Double(at[1]), time >= 0, time.isFinite
        else { throw ArgumentValueError("expected PLACEMENT@SECONDS, e.g. lumbar@8") }
        return SensorRestart(placements: p, time: time)
    }
}

/// `simulate --fault REP:KIND:DEGREES`: a lumbar fault at a rep numbered across the session.
struct RepFault: ArgumentValue {
    var rep: Int
    var fault: LumbarFaultScript

    static func parse(_ text: String) throws(ArgumentValueError) -> RepFault {
        let parts = text.split(separator: ":")
        guard parts.count == 3, let rep = Int(parts[0]), rep >= 1, let kind = SimulatedLumbarFault(rawValue: String(parts[1])),
            let degrees = Double(parts[2]), degrees > 0, degrees.isFinite
        else {
            let kinds = SimulatedLumbarFault.allCases.map(\.rawValue).joined(separator: ", ")
            throw ArgumentValueError("expected REP:KIND:DEGREES with KIND one of \(kinds), e.g. 2:extension:12")
        }
        return RepFault(rep: rep, fault: LumbarFaultScript(kind, degrees: degrees))
    }
}

/// `simulate --connect [PLACEMENT=]PATH`: the line a sensor is played on; no placement = `--placement`'s.
struct LineConnection: ArgumentValue, Hashable {
    var placement: SensorPlacement?
    var path: String

    static func parse(_ text: String) throws(ArgumentValueError) -> LineConnection {
        guard let equals = text.firstIndex(of: "=") else { return LineConnection(placement: nil, path: text) }
        guard let p = SensorPlacement(rawValue: String(text[..<equals])) else {
            throw ArgumentValueError("expected PLACEMENT=PATH or PATH: '\(text[..<equals])' is not a placement")
        }
        return LineConnection(placement: p, path: String(text[text.index(after: equals)...]))
    }
}
