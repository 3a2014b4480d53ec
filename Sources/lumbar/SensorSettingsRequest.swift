import ArgumentParser
import LumbarCore
import LumbarDevice
import LumbarProtocol

/// `live`'s parsing of `--rate`, `--accel-range` and `--gyro-range` into the request the device
/// session sends (`VALUE` or `PLACEMENT=VALUE`, e.g. `200` or `lumbar=200`, `ankle=100`).
extension SensorSettingsRequest {
    /// Parses the options' texts, `VALUE` or `PLACEMENT=VALUE` (PLACEMENT may be `ankle`: both ankles).
    ///
    /// - Throws: `ValidationError` naming the option and the text.
    init(rates: [String], accelerometerRanges: [String], gyroscopeRanges: [String]) throws {
        self.init()
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
        let parsed = try PlacementValue(parsing: text, option: option)
        let (placements, value) = (parsed.placements, parsed.value)
        guard range.contains(value), option == "rate" || value == value.rounded()
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
