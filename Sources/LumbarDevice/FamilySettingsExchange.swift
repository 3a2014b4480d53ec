import LumbarCore
import LumbarProtocol

/// The rate and ranges asked of a sensor of another family (x-IMU3, WitMotion), in that family's own
/// commands, and the check of what the device reports back: the family's counterpart of the Lumbar
/// protocol's configuration commands and `SettingsConfirmation`, behind the same device session.
///
/// Only ever made for a port whose family was positively identified (named by `--device PATH:FAMILY`,
/// recognised from at least three of its messages, or answering the x-IMU3 ping): these bytes would
/// reconfigure a device of that family, and mean nothing good to any other.
///
/// - x-IMU3: the rate as the inertial message rate divisor (400 Hz / divisor, nearest), then apply; the
///   device echoes the value it took, which is the confirmation. Its ranges are fixed: asking one is
///   reported as not settable, nothing is sent for it.
/// - WitMotion: unlock, the rate (RRATE, nearest documented rate), the ranges (ACCRANGE, GYRORANGE:
///   smallest documented range holding the one asked), save, then reads of RRATE and of GYRORANGE/ACCRANGE.
///   A WitMotion does not echo: the registers it reads back are the confirmation. A model that does not
///   answer reads has its rate confirmed by the rate its packets arrive at instead (`RateMeasurement`);
///   its ranges are then reported as not confirmed.
/// - Text lines: a maker board has no command set; everything asked is reported as not settable.
public struct FamilySettingsExchange: Sendable {
    /// What the device reported.
    public struct Outcome: Sendable, Hashable {
        /// What it runs now, for what was asked (nil: not asked, or not reported).
        public var applied: SensorSettingsRequest.Values
        /// Asked settings the family cannot be told, and errors the device answered, in words.
        public var refused: [String]

        /// How the rate was confirmed when the device did not report it: the packets measured (nil: it
        /// reported its settings, by echo or read-back).
        public var measured: RateMeasurement.Result?

        public init(applied: SensorSettingsRequest.Values, refused: [String], measured: RateMeasurement.Result? = nil) {
            self.applied = applied
            self.refused = refused
            self.measured = measured
        }

        /// What differs from `asked` in what the device runs, e.g. "50 Hz (asked 60 Hz)".
        public func differences(from asked: SensorSettingsRequest.Values) -> [String] {
            var out: [String] = []
            if let want = asked.rateHz, let got = applied.rateHz, abs(got - want) > 0.001 {
                out.append("\(FixedDecimal.format(got, decimals: got < 1 ? 1 : 0)) Hz (asked \(FixedDecimal.format(want, decimals: want < 1 ? 1 : 0)) Hz)")
            }
            if let want = asked.accelerometerRangeG, let got = applied.accelerometerRangeG, got != want { out.append("±\(got) g (asked ±\(want) g)") }
            if let want = asked.gyroscopeRangeDPS, let got = applied.gyroscopeRangeDPS, got != want { out.append("±\(got) dps (asked ±\(want) dps)") }
            return out
        }

        /// What the device runs, in words: "100 Hz, ±8 g".
        public var summary: String {
            var parts: [String] = []
            if let rate = applied.rateHz { parts.append("\(FixedDecimal.format(rate, decimals: rate < 1 ? 1 : 0)) Hz") }
            if let g = applied.accelerometerRangeG { parts.append("±\(g) g") }
            if let dps = applied.gyroscopeRangeDPS { parts.append("±\(dps) dps") }
            return parts.isEmpty ? "nothing settable" : parts.joined(separator: ", ")
        }
    }

    public let family: SensorFamily
    public let asked: SensorSettingsRequest.Values
    /// The bytes to write, in one write (empty when nothing can be sent).
    public let bytes: [UInt8]
    private var refused: [String] = []
    private var applied = SensorSettingsRequest.Values()
    /// WitMotion: read answers still expected, in the order asked.
    private var reads: [WitMotionCommand.Register] = []
    private var ximu3 = XIMU3ResponseScanner()
    private var witMotion = WitMotionReadScanner()
    /// WitMotion asked a rate: its packets counted from the commands on, for a model that does not read back.
    private var measurement: RateMeasurement?
    /// The outcome, once complete.
    public private(set) var outcome: Outcome?

    /// - Parameter sentAt: when the bytes are written (ns, the session clock): the packet rate is measured
    ///   from a settling time after it.
    /// - Returns: nil for a family without such commands (Lumbar's own: `SettingsConfirmation`).
    public init?(family: SensorFamily, asked: SensorSettingsRequest.Values, sentAt: Int64 = 0) {
        self.family = family
        self.asked = asked
        var bytes: [UInt8] = []
        switch family {
        case .lumbar:
            return nil
        case .xIMU3:
            if asked.accelerometerRangeG != nil { refused.append("accelerometer range (x-IMU3: fixed)") }
            if asked.gyroscopeRangeDPS != nil { refused.append("gyroscope range (x-IMU3: fixed)") }
            if let rate = asked.rateHz {
                bytes = [0x0A] + XIMU3Command.write(XIMU3Command.inertialDivisorKey, XIMU3Command.divisor(forRate: rate)) + XIMU3Command.apply
            }
        case .witMotion:
            var writes: [UInt8] = []
            if let rate = asked.rateHz { writes += WitMotionCommand.write(.outputRate, WitMotionCommand.outputRate(nearest: rate).code) }
            if let g = asked.accelerometerRangeG {
                writes += WitMotionCommand.write(.accelerometerRange, WitMotionCommand.accelerometerRange(atLeast: g).code)
            }
            if let dps = asked.gyroscopeRangeDPS {
                writes += WitMotionCommand.write(.gyroscopeRange, WitMotionCommand.gyroscopeRange(atLeast: dps).code)
            }
            if !writes.isEmpty {
                bytes = WitMotionCommand.unlock + writes + WitMotionCommand.save
                if asked.rateHz != nil { reads.append(.outputRate) }
                if asked.accelerometerRangeG != nil || asked.gyroscopeRangeDPS != nil { reads.append(.gyroscopeRange) }
                for register in reads { bytes += WitMotionCommand.read(register) }
                if let rate = asked.rateHz {
                    measurement = RateMeasurement(expectedHz: WitMotionCommand.outputRate(nearest: rate).hertz, from: sentAt)
                }
            }
        case .textLines:
            if asked.rateHz != nil { refused.append("rate (text lines: set it in the board's sketch)") }
            if asked.accelerometerRangeG != nil || asked.gyroscopeRangeDPS != nil { refused.append("ranges (text lines: set them in the board's sketch)") }
        }
        self.bytes = bytes
        if bytes.isEmpty { outcome = Outcome(applied: applied, refused: refused) }
    }

    /// Feeds bytes read from the device at `now` (ns, the session clock); returns the outcome when these
    /// bytes completed it (once).
    @discardableResult
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, at now: Int64 = 0) -> Outcome? {
        guard outcome == nil else { return nil }
        switch family {
        case .xIMU3:
            var done = false
            var applied = self.applied
            var refused = self.refused
            ximu3.feed(bytes) { response in
                guard !done, XIMU3Command.normalized(response.key) == XIMU3Command.normalized(XIMU3Command.inertialDivisorKey) else { return }
                done = true
                if let error = response.error {
                    refused.append("rate: the x-IMU3 answered \"\(error)\"")
                } else if case .number(let divisor) = response.value, divisor >= 0, divisor <= Double(UInt32.max) {
                    applied.rateHz = XIMU3Command.rate(divisor: UInt32(divisor))
                } else {
                    refused.append("rate: the x-IMU3 answered an unreadable value")
                }
            }
            self.applied = applied
            self.refused = refused
            if done { outcome = Outcome(applied: applied, refused: refused) }
        case .witMotion:
            var reads = self.reads
            var applied = self.applied
            var refused = self.refused
            let packetsBefore = witMotion.accelerationPackets
            witMotion.feed(bytes) { words in
                guard let register = reads.first else { return }
                reads.removeFirst()
                switch register {
                case .outputRate:
                    if let rate = WitMotionCommand.outputRate(code: words.0) {
                        applied.rateHz = rate
                    } else {
                        refused.append("rate: the WitMotion reads back RRATE code \(words.0)")
                    }
                default:
                    // GYRORANGE, then ACCRANGE.
                    if asked.gyroscopeRangeDPS != nil {
                        applied.gyroscopeRangeDPS = WitMotionCommand.gyroscopeRanges.first { $0.code == words.0 }?.degreesPerSecond
                        if applied.gyroscopeRangeDPS == nil { refused.append("gyroscope range: reads back code \(words.0)") }
                    }
                    if asked.accelerometerRangeG != nil {
                        applied.accelerometerRangeG = WitMotionCommand.accelerometerRanges.first { $0.code == words.1 }?.g
                        if applied.accelerometerRangeG == nil { refused.append("accelerometer range: reads back code \(words.1)") }
                    }
                }
            }
            if reads.isEmpty {
                outcome = Outcome(applied: applied, refused: refused)
            } else if var measurement {
                let result = measurement.observe(packets: witMotion.accelerationPackets - packetsBefore, at: now)
                self.measurement = measurement
                if let result {
                    // No read answer by the end of the measurement: a model that does not read back.
                    if applied.rateHz == nil {
                        applied.rateHz = result.confirms ? measurement.expectedHz : (result.hertz * 10).rounded() / 10
                    }
                    if reads.contains(.gyroscopeRange) {
                        refused.append("ranges: not confirmed (this WitMotion does not answer register reads)")
                    }
                    reads = []
                    outcome = Outcome(applied: applied, refused: refused, measured: result)
                }
            }
            self.reads = reads
            self.applied = applied
            self.refused = refused
        case .lumbar, .textLines:
            break
        }
        return outcome
    }
}
