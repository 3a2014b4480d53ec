import LumbarCore

/// The bytes a WitMotion WT901/HWT905 sends, written from its manual ("Data protocol"): every output
/// cycle a time packet (0x50) when asked (the factory output content has none), then acceleration (0x51), angular velocity (0x52) and angle (0x53), each
/// 0x55, type, four little-endian Int16 words, and the low byte of the sum of the first ten bytes.
/// Values are quantised as the device does: word = value / range × 32768, saturating.
public enum WitMotionEmulation {
    /// Device ranges: accelerometer ±g, gyroscope ±°/s.
    public struct Ranges: Sendable, Hashable {
        public var accelerometer: Double
        public var gyroscope: Double
        public init(accelerometer: Double = 16, gyroscope: Double = 2000) {
            self.accelerometer = accelerometer
            self.gyroscope = gyroscope
        }
    }

    /// One packet of `type` carrying four words.
    public static func packet(type: UInt8, words: (Int16, Int16, Int16, Int16)) -> [UInt8] {
        var bytes: [UInt8] = [0x55, type]
        for word in [words.0, words.1, words.2, words.3] {
            let bits = UInt16(bitPattern: word)
            bytes.append(UInt8(bits & 0xFF))
            bytes.append(UInt8(bits >> 8))
        }
        bytes.append(bytes.reduce(0, &+))
        return bytes
    }

    /// The word the device sends for `value` at full scale `range`.
    public static func word(_ value: Double, range: Double) -> Int16 {
        Int16(max(-32768, min(32767, (value / range * 32768).rounded())))
    }

    /// One output cycle for `sample`: its time packet when `timePackets` (the output content's 0x50 bit,
    /// off at the factory), acceleration (with temperature in 0.01 °C), angular velocity, angle (zeros: the
    /// emulator has no onboard fusion).
    public static func cycle(_ sample: ImuSample, ranges: Ranges = Ranges(), celsius: Double = 30, timePackets: Bool = false) -> [UInt8] {
        let a = sample.accelerometer
        let w = sample.gyroscope
        var bytes: [UInt8] = []
        if timePackets { bytes += timePacket(sample.time) }
        bytes += packet(
            type: 0x51,
            words: (
                word(Double(a.x), range: ranges.accelerometer), word(Double(a.y), range: ranges.accelerometer),
                word(Double(a.z), range: ranges.accelerometer), Int16((celsius * 100).rounded())
            )
        )
        bytes += packet(
            type: 0x52,
            words: (
                word(Double(w.x), range: ranges.gyroscope), word(Double(w.y), range: ranges.gyroscope),
                word(Double(w.z), range: ranges.gyroscope), 0
            )
        )
        bytes += packet(type: 0x53, words: (0, 0, 0, 0))
        return bytes
    }

    /// The time packet of device clock `seconds` (from 2026-12-04 00:00:00.000, whole milliseconds):
    /// YY MM DD hh mm ss msL msH.
    public static func timePacket(_ seconds: Double) -> [UInt8] {
        let milliseconds = Int((seconds * 1000).rounded())
        let day = 4 + milliseconds / 86_400_000
        let ms = milliseconds % 1000, s = milliseconds / 1000 % 60, m = milliseconds / 60_000 % 60, h = milliseconds / 3_600_000 % 24
        var bytes: [UInt8] = [0x55, 0x50, 26, 12, UInt8(day), UInt8(h), UInt8(m), UInt8(s), UInt8(ms & 0xFF), UInt8(ms >> 8)]
        bytes.append(bytes.reduce(0, &+))
        return bytes
    }

    /// A whole stream, one cycle per sample.
    public static func stream(_ samples: [ImuSample], ranges: Ranges = Ranges(), timePackets: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(samples.count * 44)
        for sample in samples { bytes += cycle(sample, ranges: ranges, timePackets: timePackets) }
        return bytes
    }
}
