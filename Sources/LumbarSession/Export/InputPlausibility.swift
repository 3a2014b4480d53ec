import LumbarCore

/// What a replayed input's data says about the input itself, as one-line warnings: sample rates that
/// point at wrong units (times in milliseconds give 0.1 Hz), and a missing lumbar or ankle stream (no
/// lumbar data: the lower back was not measured; no ankle data: no rep can be found). Silent before,
/// these gave "0 reps in 48400.6 s" or reps with every lumbar column 0 and no word why.
public enum InputPlausibility {
    /// The sample rates a body-worn IMU streams at, Hz; outside, the input's times are likely not in seconds.
    public static let plausibleRates: ClosedRange<Double> = 25...2000

    /// The warnings for an input that gave `sensors` (pipeline order) with `statistics`, each naming `path`.
    ///
    /// A sensor's rate is its device's nominal rate when known (recordings), else its samples over the
    /// session's duration (CSV).
    public static func warnings(path: String, sensors: [SensorDescriptor], statistics: SessionStatistics) -> [String] {
        var out: [String] = []
        let streaming = zip(sensors, statistics.sensors).filter { $0.1.samples > 0 }
        for (sensor, s) in streaming {
            let nominal = s.sampleRate > 0
            guard nominal || (s.samples >= 2 && statistics.duration > 0) else { continue }
            let rate = nominal ? s.sampleRate : Double(s.samples - 1) / statistics.duration
            guard !plausibleRates.contains(rate) else { continue }
            let how = nominal ? "its device reports" : "\(s.samples) samples over \(FixedDecimal.format(statistics.duration, decimals: 3)) s imply"
            out.append(
                "'\(path)': sensor \(sensor.displayName): \(how) \(FixedDecimal.format(rate, decimals: 3)) Hz, outside "
                    + "\(Int(plausibleRates.lowerBound))–\(Int(plausibleRates.upperBound)) Hz"
                    + (nominal ? "" : " (are the times in seconds?)") + "; the results are unreliable")
        }
        if !streaming.contains(where: { $0.0.placement == .lumbar }) {
            out.append("'\(path)': no lumbar sensor data: the lower back was not measured, so no rep's lumbar values mean anything")
        }
        if !streaming.contains(where: { $0.0.placement == .leftAnkle || $0.0.placement == .rightAnkle }) {
            out.append("'\(path)': no ankle sensor data: reps are found from the moving leg's ankle sensor, so none can be")
        }
        return out
    }
}
