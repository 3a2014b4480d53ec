import LumbarCore

/// What the dashboard knows about the session so far, folded from events and trace points:
/// the body of `GET /api/session` and the first message a (re)connecting page receives.
///
/// A pure value: `apply(_:)` steps it, `json` renders it. The hub owns one behind its lock.
public struct SessionSnapshot: Sendable, Hashable {
    /// Reps counted for one set and leg.
    public struct SetCount: Sendable, Hashable {
        public var set: Int
        public var leg: Leg
        /// Completed reps.
        public var reps: Int
        /// Completed reps without any fault.
        public var clean: Int

        public init(set: Int, leg: Leg, reps: Int, clean: Int) {
            self.set = set
            self.leg = leg
            self.reps = reps
            self.clean = clean
        }
    }

    /// Posture and exercise from the `calibrated` event; nil before calibration.
    public var posture: String?
    public var exercise: String?
    /// The latest calibration state (from traces, and `calibrated` events).
    public var calibration: CalibrationState = .waiting
    /// The rep under way (from `rep_started` until `rep_completed`), nil between reps.
    public var repInProgress: Int?
    /// The set and leg of the latest rep.
    public var currentSet: Int?
    public var currentLeg: Leg?
    /// True from `lumbar_moved` until `lumbar_settled` or the end of the rep.
    public var lumbarAlert = false
    /// Counts per set and leg, in order of first appearance.
    public var counts: [SetCount] = []
    /// Every completed rep, in order.
    public var reps: [RepRecord] = []
    /// The latest trace point (its `sensors` are the latest non-empty list seen).
    public var lastTrace: DashboardTrace?
    /// The latest status per sensor, in order of first appearance.
    public var sensors: [SensorStatus] = []
    /// Events applied so far.
    public var eventCount = 0
    /// What went wrong that the person must know and the events do not say (an output that failed: a full
    /// disk stopped the recording), one line each, in order, without repeats.
    public var problems: [String] = []
    /// Whose session it is, the people to choose from and their "last time" (set by the daemon, not by events).
    public var clinic = ClinicPanel()

    public init() {}

    /// Folds one event in.
    public mutating func apply(_ event: LumbarEvent) {
        eventCount += 1
        switch event {
        case .calibrated(_, let posture, let exercise):
            self.posture = posture
            self.exercise = exercise
            calibration = .calibrated
        case .repStarted(_, let rep, let set, let leg):
            repInProgress = rep
            currentSet = set
            currentLeg = leg
            lumbarAlert = false
        case .lumbarMoved:
            lumbarAlert = true
        case .lumbarSettled:
            lumbarAlert = false
        case .repCompleted(_, let record):
            repInProgress = nil
            lumbarAlert = false
            currentSet = record.set
            currentLeg = record.leg
            reps.append(record)
            let clean = record.faults.isEmpty ? 1 : 0
            if let i = counts.firstIndex(where: { $0.set == record.set && $0.leg == record.leg }) {
                counts[i].reps += 1
                counts[i].clean += clean
            } else {
                counts.append(SetCount(set: record.set, leg: record.leg, reps: 1, clean: clean))
            }
        case .repRejected:
            repInProgress = nil
            lumbarAlert = false
        case .sensorConnected(_, let sensor, let placement):
            updateSensor(sensor, placement: placement, lostReason: nil)
        case .sensorLost(_, let sensor, let placement, let reason):
            updateSensor(sensor, placement: placement, lostReason: reason.rawValue)
        }
    }

    /// Folds one trace point in.
    public mutating func apply(_ trace: DashboardTrace) {
        // The pipeline's own view wins: it also knows when a new still posture restarts calibration.
        calibration = trace.calibration
        if !trace.sensors.isEmpty {
            sensors = trace.sensors
        }
        // Recognition comes after the `calibrated` event (which says `auto`): the analysis' word wins.
        if let exercise = trace.exercise {
            self.exercise = exercise.rawValue
            posture = trace.posture?.rawValue ?? exercise.startPosture.rawValue
        }
        lastTrace = trace
    }

    /// Connects (`lostReason` nil) or loses a sensor.
    private mutating func updateSensor(_ sensor: String, placement: SensorPlacement, lostReason: String?) {
        if let i = sensors.firstIndex(where: { $0.sensor == sensor }) {
            sensors[i].connected = lostReason == nil
            sensors[i].lostReason = lostReason
            sensors[i].placement = placement
            if lostReason != nil { sensors[i].rateHz = 0 }
        } else {
            sensors.append(
                SensorStatus(
                    sensor: sensor, placement: placement, connected: lostReason == nil, rateHz: 0,
                    packetLossPercent: 0, batteryPercent: nil, lostReason: lostReason))
        }
    }
}

extension SessionSnapshot {
    /// The snapshot as JSON (fixed key order): `calibration`, `posture`, `exercise`, `rep_in_progress`,
    /// `set`, `leg`, `lumbar_alert`, `counts` (`[{set,leg,reps,clean}]`), `reps` (each a `rep_completed`
    /// event's fields), `sensors`, `last_trace`, `event_count`, `problems` (array of lines), `clinic`
    /// (`ClinicPanel.json` for this exercise). Unknown values are `null`.
    public var json: String {
        var o = JSONObjectWriter()
        o.string("calibration", calibration.word)
        optionalString(&o, "posture", posture)
        optionalString(&o, "exercise", exercise)
        o.raw("rep_in_progress", repInProgress.map(String.init) ?? "null")
        o.raw("set", currentSet.map(String.init) ?? "null")
        optionalString(&o, "leg", currentLeg?.rawValue)
        o.bool("lumbar_alert", lumbarAlert)
        let countsJSON = counts.map { c in
            var w = JSONObjectWriter()
            w.int("set", c.set)
            w.string("leg", c.leg.rawValue)
            w.int("reps", c.reps)
            w.int("clean", c.clean)
            return w.finish()
        }
        o.raw("counts", "[" + countsJSON.joined(separator: ",") + "]")
        let repsJSON = reps.map { r in
            var w = JSONObjectWriter()
            r.writeFields(into: &w)
            return w.finish()
        }
        o.raw("reps", "[" + repsJSON.joined(separator: ",") + "]")
        o.raw("sensors", SensorStatus.jsonArray(sensors))
        o.raw("last_trace", lastTrace?.json ?? "null")
        o.int("event_count", eventCount)
        o.raw("problems", "[" + problems.map(JSONObjectWriter.quoted).joined(separator: ",") + "]")
        o.raw("clinic", clinic.json(exercise: exercise))
        return o.finish()
    }

    private func optionalString(_ o: inout JSONObjectWriter, _ key: String, _ value: String?) {
        if let value { o.string(key, value) } else { o.raw(key, "null") }
    }
}
