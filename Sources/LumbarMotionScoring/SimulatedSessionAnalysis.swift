import LumbarCore
import LumbarFusion
import LumbarMotion
import LumbarSim

/// The full chain on a simulated session: every sensor's delivered samples on the session clock →
/// one `OrientationFilter` per sensor → one `MotionAnalyzer` → events.
///
/// The samples are stamped with their true session time (what clock alignment delivers when it is
/// perfect) and merged across sensors in time order.
public enum SimulatedSessionAnalysis {
    /// The default settings told each set's prescribed tempo (`SetScript.prescribedTempo`), as a coach's
    /// programme would: `too_fast` then means faster than that set's prescription.
    public static func settings(prescribedBy script: SessionScript) -> MotionAnalyzer.Settings {
        var settings = MotionAnalyzer.Settings.default
        settings.setTempos = script.sets.map { s in
            s.prescribedTempo.map { Tempo(concentric: $0.concentric, hold: $0.hold, eccentric: $0.eccentric) }
        }
        return settings
    }

    /// The events the analyzer emitted, in order.
    public static func events(of session: SimulatedSession, settings: MotionAnalyzer.Settings = .default)
        -> [LumbarEvent]
    {
        run(session, settings: settings).events
    }

    /// The leg movements the analyzer did not count, with why (for diagnosis).
    public static func rejections(of session: SimulatedSession, settings: MotionAnalyzer.Settings = .default)
        -> [(time: Double, reason: RepRejection)]
    {
        var out: [(time: Double, reason: RepRejection)] = []
        _ = run(session, settings: settings) { r in out.append(r) }
        return out
    }

    /// The events the analyzer emitted, in order, and the analyzer at the end of the session.
    ///
    /// - Parameter driftingClocks: stamp each sensor's samples with its own clock's rate relative to the
    ///   lumbar sensor's (true time × (1 + (ppm − lumbar ppm)·10⁻⁶)): what an alignment that removes offsets
    ///   but not rates leaves; the lumbar sensor stays on true time, so alert latencies stay exact.
    /// - Parameter observe: called after each sample with the sensor's index, the sample's time and the analyzer
    ///   (diagnosis: `MotionBench --trace-ankle`).
    /// - Parameter emitted: called with each event and the time of the sample that emitted it, s: an alert held
    ///   back until its rep was confirmed carries the time it was decided, and is heard only when emitted.
    /// - Parameter unplugged: sensors (by index) whose line hung up at a true session time, s: told to the analyzer
    ///   before the first sample after it, as the daemon's `sensor_lost unplugged` is.
    public static func run(
        _ session: SimulatedSession, settings: MotionAnalyzer.Settings = .default, driftingClocks: Bool = false,
        unplugged: [(sensor: Int, time: Double)] = [],
        rejected: ((time: Double, reason: RepRejection)) -> Void = { _ in },
        observe: ((Int, Double, MotionAnalyzer) -> Void)? = nil,
        emitted: ((LumbarEvent, Double) -> Void)? = nil
    ) -> (events: [LumbarEvent], analyzer: MotionAnalyzer) {
        let reference = session.sensors.first { $0.site == .lumbar }?.clockDriftPPM ?? 0
        let rates = session.sensors.map { driftingClocks ? 1 + ($0.clockDriftPPM - reference) * 1e-6 : 1 }
        var lastRejectionTime = -Double.infinity
        var analyzer = MotionAnalyzer(settings: settings)
        var filters = session.sensors.map { _ in OrientationFilter() }
        let placements = session.sensors.map { s in
            s.deviceInfo.placement == .unassigned ? s.site : s.deviceInfo.placement
        }
        var next = session.sensors.map { _ in 0 }
        var buffer = EventBuffer()
        var all: [LumbarEvent] = []
        var lastTime = -Double.infinity
        while true {
            // The sensor whose next sample is earliest (3 sensors: a linear scan is fine).
            var best = -1
            var bestTime = Double.infinity
            for i in session.sensors.indices where next[i] < session.sensors[i].trueTimes.count {
                let t = session.sensors[i].trueTimes[next[i]] * rates[i]
                if t < bestTime {
                    best = i
                    bestTime = t
                }
            }
            guard best >= 0 else { break }
            for u in unplugged where u.time <= bestTime && u.time > lastTime {
                analyzer.sensorLost(placements[u.sensor], reason: .unplugged, at: u.time)
            }
            lastTime = bestTime
            let raw = session.sensors[best].samples[next[best]]
            next[best] += 1
            let sample = ImuSample(time: bestTime, accelerometer: raw.accelerometer, gyroscope: raw.gyroscope)
            let q = filters[best].update(sample)
            analyzer.update(placement: placements[best], sample: sample, orientation: q, into: &buffer)
            observe?(best, bestTime, analyzer)
            if let r = analyzer.lastRejection, r.time != lastRejectionTime {
                lastRejectionTime = r.time
                rejected(r)
            }
            if !buffer.isEmpty {
                if let emitted { for e in buffer.events { emitted(e, bestTime) } }
                all.append(contentsOf: buffer.events)
                buffer.removeAll()
            }
        }
        return (all, analyzer)
    }
}
