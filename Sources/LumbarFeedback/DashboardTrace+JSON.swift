import LumbarCore

extension DashboardTrace {
    /// The trace point as one flat-ish JSON object (fixed key order, fixed decimals), as the dashboard
    /// stream's `trace` messages and `/api/session`'s `last_trace` carry it.
    ///
    /// Keys: `t` (s), `leg_deg`, `lumbar_deg`, `extension_deg`, `lateral_deg`, `rotation_deg`,
    /// `threshold_deg`, `calibration` (`waiting|holding_still|calibrated`), `calibration_progress` (0…1),
    /// `phase` (`rest|concentric|hold|eccentric`), `sensors` (array, see `SensorStatus.json`), `exercise` and
    /// `posture` (the recognised or forced exercise and its start posture; null until known). A lumbar value
    /// is null while the lumbar sensor sends nothing (the back is not measured).
    public var json: String {
        var o = JSONObjectWriter()
        o.number("t", time, decimals: 4)
        o.number("leg_deg", Double(legAngleDegrees), decimals: 2)
        o.number("lumbar_deg", Double(lumbarDeviationDegrees), decimals: 2)
        o.number("extension_deg", Double(lumbarExtensionDegrees), decimals: 2)
        o.number("lateral_deg", Double(lumbarLateralDegrees), decimals: 2)
        o.number("rotation_deg", Double(lumbarRotationDegrees), decimals: 2)
        o.number("threshold_deg", Double(thresholdDegrees), decimals: 2)
        o.string("calibration", calibration.word)
        let progress: Float =
            switch calibration {
            case .waiting: 0
            case .holdingStill(let p): min(max(p, 0), 1)
            case .calibrated: 1
            }
        o.number("calibration_progress", Double(progress), decimals: 2)
        o.string("phase", phase.rawValue)
        o.raw("sensors", SensorStatus.jsonArray(sensors))
        o.raw("exercise", exercise.map { JSONObjectWriter.quoted($0.rawValue) } ?? "null")
        o.raw("posture", posture.map { JSONObjectWriter.quoted($0.rawValue) } ?? "null")
        return o.finish()
    }
}

extension SensorStatus {
    /// Keys: `sensor`, `placement`, `connected`, `lost_reason` (null while connected), `rate_hz`, `loss_pct` (samples lost on the link over the
    /// last second or so, %), then from the sensor's latest status packet (each null until one arrives):
    /// `battery_pct`, `battery_mv`, `temperature_c`, `device_dropped` (samples the sensor could not send
    /// since power-up), and `device_faults` (array of `DeviceFault` words, empty when none).
    public var json: String {
        var o = JSONObjectWriter()
        o.string("sensor", sensor)
        o.string("placement", placement.rawValue)
        o.bool("connected", connected)
        o.raw("lost_reason", lostReason.map { JSONObjectWriter.quoted($0) } ?? "null")
        o.number("rate_hz", Double(rateHz), decimals: 1)
        o.number("loss_pct", Double(packetLossPercent), decimals: 2)
        o.raw("battery_pct", batteryPercent.map { FixedDecimal.format(Double($0), decimals: 0) } ?? "null")
        o.raw("battery_mv", batteryMillivolts.map(String.init) ?? "null")
        o.raw("temperature_c", temperatureCelsius.map { FixedDecimal.format(Double($0), decimals: 1) } ?? "null")
        o.raw("device_dropped", deviceDroppedSamples.map(String.init) ?? "null")
        o.raw("device_faults", "[" + deviceFaults.map { JSONObjectWriter.quoted($0.rawValue) }.joined(separator: ",") + "]")
        return o.finish()
    }

    /// A JSON array of the sensors' objects, in the given order.
    static func jsonArray(_ sensors: [SensorStatus]) -> String {
        "[" + sensors.map(\.json).joined(separator: ",") + "]"
    }
}
