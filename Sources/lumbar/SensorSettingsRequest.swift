import LumbarCore
import LumbarDevice

/// `live`'s `--rate`, `--accel-range` and `--gyro-range` as the request the device session sends.
extension SensorSettingsRequest {
    /// The rules of the three options (the values the protocol can carry and a device may offer).
    static let rateRule = PlacementValue.Rule(range: 1...10_000, unit: "Hz")
    static let accelerometerRangeRule = PlacementValue.Rule(range: 1...64, wholeNumbers: true, unit: "g")
    static let gyroscopeRangeRule = PlacementValue.Rule(range: 1...8000, wholeNumbers: true, unit: "deg/s")

    /// The request of the parsed options: a bare value for every sensor, a placed one for those named
    /// (later options win).
    init(rates: [PlacementValue], accelerometerRanges: [PlacementValue], gyroscopeRanges: [PlacementValue]) {
        self.init()
        for v in rates { assign(v) { $0.rateHz = $1 } }
        for v in accelerometerRanges { assign(v) { $0.accelerometerRangeG = UInt16($1) } }
        for v in gyroscopeRanges { assign(v) { $0.gyroscopeRangeDPS = UInt16($1) } }
    }

    private mutating func assign(_ parsed: PlacementValue, _ set: (inout Values, Double) -> Void) {
        if let placements = parsed.placements {
            for p in placements { set(&byPlacement[p, default: Values()], parsed.value) }
        } else {
            set(&global, parsed.value)
        }
    }
}
