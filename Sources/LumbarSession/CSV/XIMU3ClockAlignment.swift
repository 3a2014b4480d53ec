/// How the `.ximu3` files of several x-IMU3s are put on one time line, as x-io's own tools do.
///
/// An x-IMU3's timestamps count microseconds since it started up (user manual, "Timestamps"), so each
/// device's file has its own zero. Devices on one Wi-Fi network synchronise ("Synchronisation"): their
/// timestamps then all count from the start-up of the device switched on first, one clock, and x-io's
/// ximu3csv aligns logged devices just so (`zero_timestamps`: every device minus the earliest first
/// timestamp). Devices that were not synchronised have nothing in common but each file's own metadata:
/// the write time command of its preamble, the device's real-time clock when the file was started
/// (`{"time":"YYYY-MM-DD hh:mm:ss"}`, to the second).
///
/// Which applies is told by the files themselves: on one clock, the first timestamps of two devices lie
/// as far apart as their files' start times (within `tolerance`: the times are cut to the second, and
/// the first sample follows the file's start by a few ms); unsynchronised devices count from their own
/// start-ups, hours or seconds apart, and disagree. So:
/// - all start times known and every device within `tolerance` of that: `deviceClock`, to the µs;
/// - all start times known otherwise: `startTimes`, each device's first sample at its file's start time
///   after the earliest (to a second: the clocks' own error and the second they are cut to);
/// - a start time missing (a file without one) or a single device: `firstSamples`, each device from its
///   own first sample (they are taken to have started logging together).
public enum XIMU3ClockAlignment: Sendable, Equatable {
    case deviceClock
    case startTimes
    case firstSamples

    /// Largest disagreement, in seconds, between the devices' first timestamps and their files' start
    /// times for them to be taken as one clock: each start time is cut to the second (up to 1 s each
    /// way between two devices) and clocks set by hand differ by some tenths.
    public static let tolerance = 1.5

    /// The alignment of devices whose first samples are at `firstTimes` (device seconds) and whose files
    /// were started at `startedAt` (the preamble's time, as written), and what to add to each device's
    /// time counted from its own first sample (seconds, the earliest device at 0).
    public static func offsets(firstTimes: [Double], startedAt: [String?]) -> (alignment: XIMU3ClockAlignment, offsets: [Double]) {
        let none = [Double](repeating: 0, count: firstTimes.count)
        let starts = startedAt.map { $0.flatMap(Self.seconds) }
        guard firstTimes.count > 1, starts.allSatisfy({ $0 != nil }) else { return (.firstSamples, none) }
        let wall = starts.map { $0! }
        let disagreement = zip(firstTimes, wall).map { $0 - $1 }
        if let low = disagreement.min(), let high = disagreement.max(), high - low <= tolerance, let first = firstTimes.min() {
            return (.deviceClock, firstTimes.map { $0 - first })
        }
        let earliest = wall.min() ?? 0
        return (.startTimes, wall.map { $0 - earliest })
    }

    /// Seconds since 1970-01-01 of a date and time written `YYYY-MM-DD hh:mm:ss` (the x-IMU3's real-time
    /// clock: no time zone, which cancels out between devices); nil when it is not that.
    public static func seconds(_ text: String) -> Double? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" || $0 == "T" })
        guard parts.count == 6, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            let hour = Int(parts[3]), let minute = Int(parts[4]), let second = Double(parts[5]),
            (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            second >= 0, second < 61
        else { return nil }
        // Days from the civil date (proleptic Gregorian; Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3_600 + minute * 60) + second
    }

    /// Its name in a sensor's details (`aligned_by`).
    public var key: String {
        switch self {
        case .deviceClock: "device_clock"
        case .startTimes: "file_start_times"
        case .firstSamples: "first_samples"
        }
    }

    /// What it means, one phrase.
    public var description: String {
        switch self {
        case .deviceClock: "the devices' timestamps are one clock (synchronised devices): aligned to the microsecond"
        case .startTimes: "the devices' clocks differ (not synchronised): aligned by each file's start time, to about a second"
        case .firstSamples: "each device's time counts from its first sample (a file has no start time)"
        }
    }
}
