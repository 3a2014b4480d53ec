import LumbarCore

/// Session events for the tests, with only the fields the cues read set meaningfully.
enum Events {
    static func repStarted(_ rep: Int, set: Int = 1, at t: Double = 0) -> LumbarEvent {
        .repStarted(time: t, rep: rep, set: set, leg: .right)
    }

    static func moved(_ rep: Int, _ direction: LumbarDirection = .extension_, at t: Double = 0) -> LumbarEvent {
        .lumbarMoved(time: t, rep: rep, deviationDegrees: 12, direction: direction)
    }

    static func completed(_ rep: Int, set: Int = 1, faults: [RepFault] = [], at t: Double = 0) -> LumbarEvent {
        .repCompleted(
            time: t,
            record: RepRecord(
                rep: rep, set: set, leg: .right, startTime: t - 2, peakTime: t - 1, endTime: t, concentricDuration: 1,
                holdDuration: 0, eccentricDuration: 1, legROMDegrees: 40, peakLegAngularVelocityDps: 90,
                lumbarMaxDeviationDegrees: 3, lumbarExtensionDegrees: 3, lumbarLateralDegrees: 0, lumbarRotationDegrees: 0,
                lumbarMoved: !faults.isEmpty, faults: faults))
    }

    static func rejected(_ reason: RepRejection, at t: Double = 0) -> LumbarEvent {
        .repRejected(time: t, rejection: RejectedMovement(leg: .right, startTime: t - 1, endTime: t, reason: reason, value: 5, limit: 20))
    }

    static let connected = LumbarEvent.sensorConnected(time: 0, sensor: "L1", placement: .lumbar)
    static let calibrated = LumbarEvent.calibrated(time: 1, posture: "quadruped", exercise: "back_kick")
}
