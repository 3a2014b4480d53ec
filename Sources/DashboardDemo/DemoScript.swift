import LumbarCore
import LumbarFeedback
import LumbarMotion

/// A scripted session in session time: 3 s to calibrate, then 3 s reps (0.5 s rest, 1.0 s lift,
/// 0.4 s hold, 1.1 s lowering) with a 2 s pause between sets. Faulty reps arch the back to 14°
/// against a 10° threshold: `lumbar_moved` at the crossing, `lumbar_settled` below 7°.
struct DemoScript {
    let reps: Int
    let setSize: Int
    let faultEvery: Int
    let sampleRate: Double

    let thresholdDegrees: Float = 10
    let settleDegrees: Float = 7
    let repDuration = 3.0
    let calibrationEnd = 3.0
    let setPause = 2.0

    /// Plays the script into the hub, paced against the continuous clock.
    func play(into hub: DashboardHub, speed: Double) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let sensors = ["LB-01": SensorPlacement.lumbar, "RA-02": .rightAnkle, "LA-03": .leftAnkle]
        for name in sensors.keys.sorted() {
            hub.publish(.sensorConnected(time: 0, sensor: name, placement: sensors[name]!))
        }
        let sets = (reps + setSize - 1) / setSize
        let end = repStart(rep: reps + 1) + (sets == 0 ? 0 : 0.5)
        var step = 0
        var alert = false
        var calibrated = false
        var repOpen = 0
        var repPeakLumbar: Float = 0
        var repMoved = false
        while true {
            let t = Double(step) / sampleRate
            if t > end { break }
            step += 1
            try await clock.sleep(until: start + .seconds(t / speed))

            if !calibrated && t >= calibrationEnd {
                calibrated = true
                hub.publish(.calibrated(time: t, posture: "quadruped", exercise: "donkey_kick"))
            }
            let (rep, phaseTime) = locate(t)
            var leg: Float = 0
            var lumbar: Float = 0.6 + 0.4 * Float(_sinf(Float(t * 3.1)))
            var phase = RepPhase.rest
            if let rep, calibrated {
                let faulty = faultEvery > 0 && rep % faultEvery == 0
                (leg, phase) = legAngle(phaseTime)
                let lift = leg / 45
                lumbar += (faulty ? 13.4 : 2.5) * lift * lift
                if phase != .rest && repOpen != rep {
                    repOpen = rep
                    repPeakLumbar = 0
                    repMoved = false
                    hub.publish(.repStarted(time: t, rep: rep, set: setOf(rep), leg: legOf(rep)))
                }
                repPeakLumbar = max(repPeakLumbar, lumbar)
                if repOpen == rep && !alert && lumbar > thresholdDegrees {
                    alert = true
                    repMoved = true
                    hub.publish(.lumbarMoved(time: t, rep: rep, deviationDegrees: lumbar, direction: .extension_))
                } else if alert && lumbar < settleDegrees {
                    alert = false
                    hub.publish(.lumbarSettled(time: t, rep: rep, deviationDegrees: lumbar))
                }
                if repOpen == rep && phaseTime >= repDuration - 1.0 / sampleRate {
                    repOpen = -rep
                    hub.publish(.repCompleted(time: t, record: record(rep, peakLumbar: repPeakLumbar, moved: repMoved)))
                }
            }
            let calibration: CalibrationState =
                calibrated ? .calibrated : (t < 1 ? .waiting : .holdingStill(progress: Float((t - 1) / 2)))
            let battery = Float(96 - t / 60)
            hub.publish(
                DashboardTrace(
                    time: t, legAngleDegrees: leg, lumbarDeviationDegrees: lumbar, lumbarExtensionDegrees: lumbar,
                    thresholdDegrees: thresholdDegrees, calibration: calibration, phase: phase,
                    sensors: [
                        SensorStatus(sensor: "LB-01", placement: .lumbar, connected: true, rateHz: 100,
                                     packetLossPercent: 0.2, batteryPercent: battery),
                        SensorStatus(sensor: "RA-02", placement: .rightAnkle, connected: true, rateHz: 100,
                                     packetLossPercent: 0.0, batteryPercent: battery - 9),
                        SensorStatus(sensor: "LA-03", placement: .leftAnkle, connected: true, rateHz: 99.6,
                                     packetLossPercent: 0.4, batteryPercent: 15, batteryMillivolts: 3550,
                                     temperatureCelsius: 30.5, deviceFaults: [.batteryLow]),
                    ]))
        }
    }

    private func setOf(_ rep: Int) -> Int { (rep - 1) / setSize + 1 }
    private func legOf(_ rep: Int) -> Leg { setOf(rep) % 2 == 1 ? .right : .left }

    /// Session time at which `rep` (1-based) begins its rest lead-in.
    private func repStart(rep: Int) -> Double {
        calibrationEnd + Double(rep - 1) * repDuration + Double((rep - 1) / setSize) * setPause
    }

    /// The rep under way at `t` and the time into it, or nil between reps.
    private func locate(_ t: Double) -> (Int?, Double) {
        guard t >= calibrationEnd, reps > 0 else { return (nil, 0) }
        for rep in 1...reps {
            let s = repStart(rep: rep)
            if t >= s && t < s + repDuration { return (rep, t - s) }
        }
        return (nil, 0)
    }

    /// The leg's angle, degrees, and the phase at `time` into a rep.
    private func legAngle(_ time: Double) -> (Float, RepPhase) {
        switch time {
        case ..<0.5: return (0, .rest)
        case ..<1.5: return (45 * Float(0.5 - 0.5 * _cosf(Float.pi * Float(time - 0.5))), .concentric)
        case ..<1.9: return (45, .hold)
        default: return (45 * Float(0.5 + 0.5 * _cosf(Float.pi * Float(min(time - 1.9, 1.1) / 1.1))), .eccentric)
        }
    }

    private func record(_ rep: Int, peakLumbar: Float, moved: Bool) -> RepRecord {
        let s = repStart(rep: rep)
        let faulty = moved
        return RepRecord(
            rep: rep, set: setOf(rep), leg: legOf(rep), startTime: s + 0.5, peakTime: s + 1.5,
            endTime: s + 3.0, concentricDuration: 1.0, holdDuration: 0.4, eccentricDuration: 1.1,
            legROMDegrees: 45, peakLegAngularVelocityDps: 70.7, lumbarMaxDeviationDegrees: peakLumbar,
            lumbarExtensionDegrees: peakLumbar, lumbarLateralDegrees: 0.4, lumbarRotationDegrees: -0.3,
            lumbarMoved: moved, faults: faulty ? [.lumbarExtension] : [])
    }
}
