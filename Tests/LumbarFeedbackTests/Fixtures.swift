import LumbarCore
import LumbarFeedback
import LumbarMotion

/// A rep record with plausible numbers; `faults` decides whether it is clean.
func sampleRep(_ rep: Int, set: Int = 1, leg: Leg = .right, faults: [RepFault] = []) -> RepRecord {
    RepRecord(
        rep: rep, set: set, leg: leg, startTime: Double(rep) * 3, peakTime: Double(rep) * 3 + 1,
        endTime: Double(rep) * 3 + 2.5, concentricDuration: 1, holdDuration: 0.4, eccentricDuration: 1.1,
        legROMDegrees: 45, peakLegAngularVelocityDps: 70, lumbarMaxDeviationDegrees: faults.isEmpty ? 3 : 14,
        lumbarExtensionDegrees: faults.isEmpty ? 3 : 14, lumbarLateralDegrees: 0.5, lumbarRotationDegrees: -0.5,
        lumbarMoved: !faults.isEmpty, faults: faults)
}

/// A trace point at `time` with three sensors, about 600 bytes of JSON.
func sampleTrace(_ time: Double, lumbar: Float = 2, calibration: CalibrationState = .calibrated) -> DashboardTrace {
    DashboardTrace(
        time: time, legAngleDegrees: 30, lumbarDeviationDegrees: lumbar, lumbarExtensionDegrees: lumbar,
        thresholdDegrees: 10, calibration: calibration, phase: .concentric,
        sensors: [
            SensorStatus(sensor: "LB-01", placement: .lumbar, connected: true, rateHz: 100, packetLossPercent: 0.1,
                         batteryPercent: 80),
            SensorStatus(sensor: "RA-02", placement: .rightAnkle, connected: true, rateHz: 100,
                         packetLossPercent: 0, batteryPercent: nil),
            SensorStatus(sensor: "LA-03", placement: .leftAnkle, connected: false, rateHz: 0,
                         packetLossPercent: 0, batteryPercent: 12),
        ])
}
