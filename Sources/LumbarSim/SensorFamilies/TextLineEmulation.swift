import LumbarCore

/// The lines a maker board prints (an Arduino sketch with an MPU-6050 and `Serial.print`): a header line,
/// then `t_us,ax,ay,az,gx,gy,gz` with the time as a 32-bit `micros()` counter (it wraps) and values with
/// a fixed number of decimals.
public enum TextLineEmulation {
    /// The header printed at start-up.
    public static let header = "t_us,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps"

    /// One data line (time in device seconds, wrapped to 32-bit microseconds).
    public static func line(_ sample: ImuSample, decimals: Int = 4) -> String {
        let micros = UInt64(max(0, (sample.time * 1e6).rounded())) & 0xFFFF_FFFF
        let a = sample.accelerometer
        let g = sample.gyroscope
        return ([String(micros)] + [a.x, a.y, a.z, g.x, g.y, g.z].map { fixed($0, decimals) }).joined(separator: ",")
    }

    /// Header then one CRLF-terminated line per sample (Arduino's `println` ends lines with CR LF).
    public static func stream(_ samples: [ImuSample], decimals: Int = 4) -> [UInt8] {
        var text = header + "\r\n"
        for sample in samples { text += line(sample, decimals: decimals) + "\r\n" }
        return Array(text.utf8)
    }

    static func fixed(_ value: Float, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (Double(value) * scale).rounded()
        let magnitude = UInt64(abs(scaled))
        let unit = UInt64(scale)
        var fraction = String(magnitude % unit)
        while fraction.count < decimals { fraction = "0" + fraction }
        return (scaled < 0 ? "-" : "") + String(magnitude / unit) + (decimals > 0 ? "." + fraction : "")
    }
}
