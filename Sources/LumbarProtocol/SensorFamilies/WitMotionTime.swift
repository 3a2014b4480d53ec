/// The date and time of a WitMotion time packet (type 0x50; WT901/HWT905 manuals, "Time Output"):
/// `0x55 0x50 YY MM DD hh mm ss msL msH SUM`, the year as 20YY, the milliseconds a little-endian UInt16.
/// The device sends it at the start of an output cycle when its output content (register RSW, 0x02) has
/// bit 0 set; the factory setting leaves it off.
public struct WitMotionTime: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var millisecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    /// The time in the eight data bytes of a time packet (`bytes[2..<10]` of the 11), or nil when a field
    /// is out of its range (month 1-12, day 1-31, hour < 24, minute < 60, second < 60, ms < 1000).
    public init?(packet bytes: UnsafeRawBufferPointer) {
        let month = Int(bytes[3]), day = Int(bytes[4]), hour = Int(bytes[5]), minute = Int(bytes[6]), second = Int(bytes[7])
        let millisecond = Int(UInt16(bytes[8]) | UInt16(bytes[9]) << 8)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60, millisecond < 1000 else {
            return nil
        }
        self.init(
            year: 2000 + Int(bytes[2]), month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
    }

    /// Seconds since 2000-01-01 00:00:00.000 of the device's clock (the proleptic Gregorian calendar; no
    /// time zone: the device's clock has none).
    public var secondsSince2000: Double {
        Double(daysSince2000 * 86400) + secondsOfDay
    }

    /// Seconds since the day's midnight.
    public var secondsOfDay: Double {
        Double(hour * 3600 + minute * 60 + second) + Double(millisecond) / 1000
    }

    /// Days from 2000-01-01 to the date.
    public var daysSince2000: Int {
        // Days from civil (H. Hinnant's algorithm), relative to 2000-01-01.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 730_425
    }
}
