import ArgumentParser
import LumbarCore
import LumbarProtocol

/// The sample rate and ranges `lumbar live` asks the sensors to use (`--rate`, `--accel-range`,
/// `--gyro-range`), for every sensor or per placement: `200` or `lumbar=200`, `ankle=100`.
///
/// A placement's own value wins over the global one. Nothing asked (the default): the sensors keep
/// whatever they run at, and no configuration command is sent.
struct SensorSettingsRequest: Sendable, Hashable {
    /// What one sensor is asked.
    struct Values: Sendable, Hashable {
        /// Output data rate, Hz.
        var rateHz: Double?
        /// Accelerometer full scale, ± g.
        var accelerometerRangeG: UInt16?
        /// Gyroscope full scale, ± deg/s.
        var gyroscopeRangeDPS: UInt16?

        var isEmpty: Bool { rateHz == nil && accelerometerRangeG == nil && gyroscopeRangeDPS == nil }

        /// The configuration commands, in protocol order.
        var commands: [HostCommand.Action] {
            var actions: [HostCommand.Action] = []
            if let rateHz { actions.append(.setSampleRate(millihertz: UInt32((rateHz * 1000).rounded()))) }
            if let accelerometerRangeG { actions.append(.setAccelerometerRange(g: accelerometerRangeG)) }
            if let gyroscopeRangeDPS { actions.append(.setGyroscopeRange(degreesPerSecond: gyroscopeRangeDPS)) }
            return actions
        }

        /// What differs between this request and what the device reports, e.g. "100 Hz (asked 150 Hz)".
        func differences(from info: DeviceInfo) -> [String] {
            var out: [String] = []
            if let rateHz, abs(info.sampleRate - rateHz) > 0.001 {
                out.append("\(FixedDecimal.format(info.sampleRate, decimals: 0)) Hz (asked \(FixedDecimal.format(rateHz, decimals: 0)) Hz)")
            }
            if let g = accelerometerRangeG, info.accelerometerFullScale != g {
                out.append("±\(info.accelerometerFullScale) g (asked ±\(g) g)")
            }
            if let dps = gyroscopeRangeDPS, info.gyroscopeFullScale != dps {
                out.append("±\(info.gyroscopeFullScale) dps (asked ±\(dps) dps)")
            }
            return out
        }
    }

    var global = Values()
    var byPlacement: [SensorPlacement: Values] = [:]

    /// True when nothing is asked of any sensor.
    var isEmpty: Bool { global.isEmpty && byPlacement.values.allSatisfy(\.isEmpty) }

    /// What a sensor at `placement` is asked.
    func values(for placement: SensorPlacement) -> Values {
        let own = byPlacement[placement] ?? Values()
        return Values(
            rateHz: own.rateHz ?? global.rateHz,
            accelerometerRangeG: own.accelerometerRangeG ?? global.accelerometerRangeG,
            gyroscopeRangeDPS: own.gyroscopeRangeDPS ?? global.gyroscopeRangeDPS)
    }

    /// Nothing asked.
    init() {}

    /// Parses the options' texts, `VALUE` or `PLACEMENT=VALUE` (PLACEMENT may be `ankle`: both ankles).
    ///
    /// - Throws: `ValidationError` naming the option and the text.
    init(rates: [String], accelerometerRanges: [String], gyroscopeRanges: [String]) throws {
        for text in rates {
            try assign(text, option: "rate", range: 1...10_000) { $0.rateHz = $1 }
        }
        for text in accelerometerRanges {
            try assign(text, option: "accel-range", range: 1...64) { $0.accelerometerRangeG = UInt16($1) }
        }
        for text in gyroscopeRanges {
            try assign(text, option: "gyro-range", range: 1...8000) { $0.gyroscopeRangeDPS = UInt16($1) }
        }
    }

    private mutating func assign(
        _ text: String, option: String, range: ClosedRange<Double>, _ set: (inout Values, Double) -> Void
    ) throws {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false)
        let placements: [SensorPlacement]?
        let number: Substring
        switch parts.count {
        case 1: (placements, number) = (nil, parts[0])
        case 2:
            if parts[0] == "ankle" {
                placements = [.leftAnkle, .rightAnkle]
            } else if let p = SensorPlacement(rawValue: String(parts[0])), p != .unassigned {
                placements = [p]
            } else {
                throw ValidationError("'\(text)' names no placement for --\(option) (lumbar, left_ankle, right_ankle or ankle).")
            }
            number = parts[1]
        default: throw ValidationError("'\(text)' is not VALUE or PLACEMENT=VALUE for --\(option).")
        }
        guard let value = Double(number), value.isFinite, range.contains(value),
            option == "rate" || value == value.rounded()
        else {
            throw ValidationError("'\(text)': --\(option) takes \(option == "rate" ? "a number" : "a whole number") from \(Int(range.lowerBound)) to \(Int(range.upperBound)).")
        }
        if let placements {
            for p in placements { set(&byPlacement[p, default: Values()], value) }
        } else {
            set(&global, value)
        }
    }
}
