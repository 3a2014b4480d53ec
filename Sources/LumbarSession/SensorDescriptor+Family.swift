import LumbarProtocol

/// The sensor family of a session's sensor, kept in its descriptor's details (`family=witmotion`), so that
/// a recording's `sensorConnected` record says how its data records are decoded and a replay decodes them
/// exactly as the live session did.
///
/// Detail keys: `family` (absent: a Lumbar sensor), and for WitMotion, which sends no clock nor ranges,
/// `rate_hz` (configured output rate, Hz), `accel_range_g` and `gyro_range_dps`.
extension SensorDescriptor {
    /// The byte protocol of the sensor's data; `.lumbar` when the details name none (or one unknown).
    public var family: SensorFamily {
        details["family"].flatMap(SensorFamily.init(rawValue:)) ?? .lumbar
    }

    /// The WitMotion settings in the details (defaults where absent: 100 Hz, ±16 g, ±2000 °/s).
    public var witMotionConfiguration: WitMotionDecoder.Configuration {
        var c = WitMotionDecoder.Configuration()
        if let rate = details["rate_hz"].flatMap(Double.init), rate > 0, rate.isFinite { c.rate = rate }
        if let range = details["accel_range_g"].flatMap(Float.init), range > 0, range.isFinite { c.accelerometerRange = range }
        if let range = details["gyro_range_dps"].flatMap(Float.init), range > 0, range.isFinite { c.gyroscopeRange = range }
        return c
    }

    /// The decoder of this sensor's stream when it is not a Lumbar sensor.
    var familyDecoder: SensorFamilyDecoder? {
        SensorFamilyDecoder(family, witMotion: witMotionConfiguration)
    }
}
