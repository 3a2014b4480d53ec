import LumbarCore
import LumbarSession

/// What a session hands to the store as it happens: the pure half of storing. Each record becomes the
/// statements of one transaction (`statements`), written so that running them again (a retry after a
/// failure whose outcome is unknown) leaves the same rows.
public enum StoreRecord: Sendable {
    /// The session began: its row (incomplete until `.finish`) and its person's.
    case begin(StoredSessionStart)
    /// The exercise became known (the `calibrated` event).
    case exercise(session: String, exercise: String)
    /// A sensor joined (or its facts at the end: details and counts).
    case sensor(session: String, StoredSensor)
    /// A rep was completed.
    case rep(session: String, RepRecord)
    /// The session ended normally: summary, sets, end time, the recording's hash; marked complete.
    case finish(session: String, StoredSessionEnd)
    /// The session's person was chosen (on the dashboard): the whole session is theirs, reps already stored
    /// included; `unixNanoseconds` dates a new person's row.
    case person(session: String, StoredPerson, unixNanoseconds: Int64)

    /// The statements of this record, for one transaction.
    public var statements: [StoreStatement] {
        switch self {
        case .begin(let s):
            var out: [StoreStatement] = []
            if let p = s.person { out.append(Self.personRow(p, created: s.startedUnixNanoseconds)) }
            out.append(StoreStatement(
                """
                INSERT INTO sessions (id, person_id, source, started_unix_ns, complete, threshold_deg, recording_path,
                recording_sha256, station) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """,
                [.text(s.id), .optional(s.person?.id), .text(s.source.rawValue), .int(s.startedUnixNanoseconds),
                 s.thresholdDegrees.map { .measured($0) } ?? .null, .optional(s.recordingPath), .optional(s.recordingSHA256),
                 .optional(s.station)]))
            return out
        case .exercise(let id, let exercise):
            return [StoreStatement("UPDATE sessions SET exercise = ? WHERE id = ?", [.text(exercise), .text(id)])]
        case .sensor(let id, let s):
            return [
                StoreStatement("DELETE FROM sensors WHERE session_id = ? AND sensor = ?", [.text(id), .text(s.sensor)]),
                StoreStatement(
                    "INSERT INTO sensors (session_id, sensor, placement, details, samples, lost_samples) VALUES (?, ?, ?, ?, ?, ?)",
                    [.text(id), .text(s.sensor), .text(s.placement), .text(s.details), .optional(s.samples), .optional(s.lostSamples)]),
            ]
        case .rep(let id, let r):
            return [
                StoreStatement("DELETE FROM reps WHERE session_id = ? AND rep = ?", [.text(id), .int(Int64(r.rep))]),
                StoreStatement("INSERT INTO reps (\(RepRow.columns.joined(separator: ", "))) VALUES (\(RepRow.placeholders))",
                               [.text(id)] + RepRow.values(r)),
            ]
        case .finish(let id, let end):
            var out = [
                StoreStatement(
                    """
                    UPDATE sessions SET ended_unix_ns = ?, complete = 1, exercise = COALESCE(?, exercise), duration_s = ?,
                    threshold_deg = ?, recording_sha256 = COALESCE(?, recording_sha256), summary = ? WHERE id = ?
                    """,
                    [.int(end.endedUnixNanoseconds), .optional(end.summary.exercise), .measured(end.summary.duration),
                     .measured(end.thresholdDegrees), .optional(end.recordingSHA256), .text(end.summary.text), .text(id)]),
                StoreStatement("DELETE FROM sets WHERE session_id = ?", [.text(id)]),
            ]
            for f in end.summary.sets {
                out.append(StoreStatement(
                    """
                    INSERT INTO sets (session_id, set_number, leg, reps, faulted_reps, mean_concentric_s, mean_hold_s,
                    mean_eccentric_s, mean_leg_rom_deg, mean_lumbar_max_deg, largest_lumbar_max_deg,
                    lumbar_max_slope_deg_per_rep, tempo_variation_percent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [.text(id), .int(Int64(f.set)), .text(f.leg.rawValue), .int(Int64(f.reps)), .int(Int64(f.faultedReps)),
                     .measured(f.meanConcentric), .measured(f.meanHold), .measured(f.meanEccentric), .measured(f.meanLegROM),
                     .measured(f.meanLumbarMax), .measured(f.largestLumbarMax), .measured(f.lumbarMaxSlope),
                     .measured(f.tempoVariationPercent)]))
            }
            for s in end.sensors { out += StoreRecord.sensor(session: id, s).statements }
            return out
        case .person(let id, let p, let now):
            return [Self.personRow(p, created: now), StoreStatement("UPDATE sessions SET person_id = ? WHERE id = ?", [.text(p.id), .text(id)])]
        }
    }

    /// The person's row, unless they are stored already (then as first stored).
    private static func personRow(_ p: StoredPerson, created: Int64) -> StoreStatement {
        StoreStatement(
            "INSERT INTO people (id, name, created_unix_ns) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
            [.text(p.id), .text(p.name), .int(created)])
    }

    /// Reps carried (for the count of what is not stored yet).
    public var repCount: Int { if case .rep = self { 1 } else { 0 } }
}

/// Where a stored session came from.
public enum StoredSource: String, Sendable, Hashable {
    case live, replay, export
}

/// The session row as it is known at the start.
public struct StoredSessionStart: Sendable, Hashable {
    public var id: String
    public var person: StoredPerson?
    public var source: StoredSource
    /// Wall-clock start, ns since 1970 (a recording's header time for replay/export).
    public var startedUnixNanoseconds: Int64
    /// Which machine (station) stored it: the host name, for a clinic's shared database.
    public var station: String?
    public var thresholdDegrees: Double?
    public var recordingPath: String?
    /// Lowercase hex SHA-256 of the recording file (known at the start for a replay, at the end for live).
    public var recordingSHA256: String?

    public init(
        id: String, person: StoredPerson?, source: StoredSource, startedUnixNanoseconds: Int64, station: String? = nil,
        thresholdDegrees: Double? = nil, recordingPath: String? = nil, recordingSHA256: String? = nil
    ) {
        self.id = id
        self.person = person
        self.source = source
        self.startedUnixNanoseconds = startedUnixNanoseconds
        self.station = station
        self.thresholdDegrees = thresholdDegrees
        self.recordingPath = recordingPath
        self.recordingSHA256 = recordingSHA256
    }
}

/// A sensor's facts: which one, where worn, its details (device id, firmware, rate: `key=value` text), and
/// the counts known at the end.
public struct StoredSensor: Sendable, Hashable {
    public var sensor: String
    public var placement: String
    public var details: String
    public var samples: Int64?
    public var lostSamples: Int64?
    public init(sensor: String, placement: String, details: String = "", samples: Int64? = nil, lostSamples: Int64? = nil) {
        self.sensor = sensor
        self.placement = placement
        self.details = details
        self.samples = samples
        self.lostSamples = lostSamples
    }
}

/// What is known when a session ends normally.
public struct StoredSessionEnd: Sendable {
    public var endedUnixNanoseconds: Int64
    public var summary: SessionSummary
    public var thresholdDegrees: Double
    public var recordingSHA256: String?
    public var sensors: [StoredSensor]
    public init(endedUnixNanoseconds: Int64, summary: SessionSummary, thresholdDegrees: Double, recordingSHA256: String?, sensors: [StoredSensor]) {
        self.endedUnixNanoseconds = endedUnixNanoseconds
        self.summary = summary
        self.thresholdDegrees = thresholdDegrees
        self.recordingSHA256 = recordingSHA256
        self.sensors = sensors
    }
}

/// A rep's row in `reps`: RepRecord's fields, lumbar values NULL when not measured, faults comma-separated.
enum RepRow {
    static let columns = [
        "session_id", "rep", "set_number", "leg", "start_s", "peak_s", "end_s", "concentric_s", "hold_s", "eccentric_s",
        "leg_rom_deg", "peak_leg_dps", "lumbar_max_deg", "lumbar_extension_deg", "lumbar_lateral_deg", "lumbar_rotation_deg",
        "lumbar_moved", "faults",
    ]
    static var placeholders: String { Array(repeating: "?", count: columns.count).joined(separator: ", ") }

    /// The values after `session_id`.
    static func values(_ r: RepRecord) -> [StoreValue] {
        [.int(Int64(r.rep)), .int(Int64(r.set)), .text(r.leg.rawValue), .double(r.startTime), .double(r.peakTime),
         .double(r.endTime), .double(r.concentricDuration), .double(r.holdDuration), .double(r.eccentricDuration),
         .measured(r.legROMDegrees), .measured(r.peakLegAngularVelocityDps), .measured(r.lumbarMaxDeviationDegrees),
         .measured(r.lumbarExtensionDegrees), .measured(r.lumbarLateralDegrees), .measured(r.lumbarRotationDegrees),
         .flag(r.lumbarMoved), .text(r.faults.map(\.rawValue).joined(separator: ","))]
    }

    /// The rep back from a row of `columns` (session_id first); nil for a row that is not one.
    static func record(_ row: [StoreValue]) -> RepRecord? {
        guard row.count == columns.count, let rep = row[1].int, let set = row[2].int, let leg = row[3].text.flatMap(Leg.init),
            let start = row[4].double, let peak = row[5].double, let end = row[6].double, let c = row[7].double,
            let h = row[8].double, let e = row[9].double
        else { return nil }
        func f(_ i: Int) -> Float { row[i].double.map(Float.init) ?? .nan }
        let faults = (row[17].text ?? "").split(separator: ",").compactMap { RepFault(rawValue: String($0)) }
        return RepRecord(
            rep: Int(rep), set: Int(set), leg: leg, startTime: start, peakTime: peak, endTime: end, concentricDuration: c,
            holdDuration: h, eccentricDuration: e, legROMDegrees: f(10), peakLegAngularVelocityDps: f(11),
            lumbarMaxDeviationDegrees: f(12), lumbarExtensionDegrees: f(13), lumbarLateralDegrees: f(14),
            lumbarRotationDegrees: f(15), lumbarMoved: row[16].int == 1, faults: faults)
    }
}
