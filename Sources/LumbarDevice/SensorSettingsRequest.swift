import LumbarCore
import LumbarProtocol

/// The sample rate and ranges the host asks the sensors to use (`live --rate`, `--accel-range`,
/// `--gyro-range`), for every sensor or per placement.
///
/// A placement's own value wins over the global one. Nothing asked (the default): the sensors keep
/// whatever they run at, and no configuration command is sent.
public struct SensorSettingsRequest: Sendable, Hashable {
    /// What one sensor is asked.
    public struct Values: Sendable, Hashable {
        /// Output data rate, Hz.
        public var rateHz: Double?
        /// Accelerometer full scale, ± g.
        public var accelerometerRangeG: UInt16?
        /// Gyroscope full scale, ± deg/s.
        public var gyroscopeRangeDPS: UInt16?

        public init(rateHz: Double? = nil, accelerometerRangeG: UInt16? = nil, gyroscopeRangeDPS: UInt16? = nil) {
            self.rateHz = rateHz
            self.accelerometerRangeG = accelerometerRangeG
            self.gyroscopeRangeDPS = gyroscopeRangeDPS
        }

        public var isEmpty: Bool { rateHz == nil && accelerometerRangeG == nil && gyroscopeRangeDPS == nil }

        /// The configuration commands, in protocol order.
        public var commands: [HostCommand.Action] {
            var actions: [HostCommand.Action] = []
            if let rateHz { actions.append(.setSampleRate(millihertz: UInt32((rateHz * 1000).rounded()))) }
            if let accelerometerRangeG { actions.append(.setAccelerometerRange(g: accelerometerRangeG)) }
            if let gyroscopeRangeDPS { actions.append(.setGyroscopeRange(degreesPerSecond: gyroscopeRangeDPS)) }
            return actions
        }

        /// What differs between this request and what the device reports, e.g. "100 Hz (asked 150 Hz)".
        public func differences(from info: DeviceInfo) -> [String] {
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

    public var global = Values()
    public var byPlacement: [SensorPlacement: Values] = [:]

    /// Nothing asked.
    public init() {}

    /// True when nothing is asked of any sensor.
    public var isEmpty: Bool { global.isEmpty && byPlacement.values.allSatisfy(\.isEmpty) }

    /// What a sensor at `placement` is asked.
    public func values(for placement: SensorPlacement) -> Values {
        let own = byPlacement[placement] ?? Values()
        return Values(
            rateHz: own.rateHz ?? global.rateHz,
            accelerometerRangeG: own.accelerometerRangeG ?? global.accelerometerRangeG,
            gyroscopeRangeDPS: own.gyroscopeRangeDPS ?? global.gyroscopeRangeDPS)
    }
}
