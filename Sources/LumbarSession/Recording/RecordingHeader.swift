/// The first record of a recording: what recorded it, when, and with which settings.
public struct RecordingHeader: Sendable, Hashable {
    /// Recording format version (1).
    public var formatVersion: Int
    /// Wall-clock start, nanoseconds since 1970-01-01 UTC.
    public var startUnixNanoseconds: Int64
    /// Host monotonic clock reading at the start, nanoseconds (the clock of every record's receive time).
    public var startHostNanoseconds: Int64
    /// The software that wrote the file, e.g. `lumbar 0.1.0`.
    public var software: String
    /// Settings in force (e.g. `exercise=bird_dog`, `threshold_deg=5`), in order; replay may use them.
    public var settings: KeyValueText

    public init(
        startUnixNanoseconds: Int64, startHostNanoseconds: Int64, software: String = "lumbar",
        settings: KeyValueText = KeyValueText(), formatVersion: Int = RecordingFormat.version
    ) {
        self.formatVersion = formatVersion
        self.startUnixNanoseconds = startUnixNanoseconds
        self.startHostNanoseconds = startHostNanoseconds
        self.software = software
        self.settings = settings
    }

    /// The `key=value` form stored in the header record; settings follow as `setting.<name>=`.
    public var text: KeyValueText {
        var t = KeyValueText()
        t.append("format", "lumbar-recording")
        t.append("version", String(formatVersion))
        t.append("start_unix_ns", String(startUnixNanoseconds))
        t.append("start_utc", UTCTimestamp.iso8601(unixNanoseconds: startUnixNanoseconds))
        t.append("start_host_ns", String(startHostNanoseconds))
        t.append("host_clock", "monotonic")
        t.append("software", software)
        for (k, v) in settings.pairs { t.append("setting." + k, v) }
        return t
    }

    /// Reads the header record's text; nil when it is not a Lumbar recording header.
    public init?(text t: KeyValueText) {
        guard t["format"] == "lumbar-recording", let v = t["version"].flatMap({ Int($0) }) else { return nil }
        formatVersion = v
        startUnixNanoseconds = t["start_unix_ns"].flatMap { Int64($0) } ?? 0
        startHostNanoseconds = t["start_host_ns"].flatMap { Int64($0) } ?? 0
        software = t["software"] ?? ""
        var s = KeyValueText()
        for (k, value) in t.pairs where k.hasPrefix("setting.") { s.append(String(k.dropFirst(8)), value) }
        settings = s
    }
}

/// ISO 8601 UTC timestamps without Foundation (civil-from-days, proleptic Gregorian).
public enum UTCTimestamp {
    /// `yyyy-mm-ddThh:mm:ss.sssZ` for a time in nanoseconds since 1970-01-01 UTC.
    public static func iso8601(unixNanoseconds ns: Int64) -> String {
        let ms = ns >= 0 ? ns / 1_000_000 : (ns - 999_999) / 1_000_000
        var seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - seconds * 1000
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        seconds -= days * 86_400
        // Howard Hinnant's civil_from_days.
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        var y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        if m <= 2 { y += 1 }
        func pad(_ v: Int64, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):"
            + "\(pad(seconds % 60, 2)).\(pad(millis, 3))Z"
    }
}
