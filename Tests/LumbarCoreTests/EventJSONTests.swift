import LumbarCore
import Testing

struct EventJSONTests {
    @Test func lumbarMovedCarriesDeviationAndDirection() {
        let e = LumbarEvent.lumbarMoved(time: 12.3456789, rep: 3, deviationDegrees: 5.678, direction: .extension_)
        #expect(e.jsonLine == #"{"type":"lumbar_moved","t":12.3457,"rep":3,"deviation_deg":5.68,"direction":"extension"}"#)
    }

    @Test func repCompletedStartsWithThePerRepCSVColumnsInOrder() {
        let r = RepRecord(
            rep: 1, set: 1, leg: .left, startTime: 1, peakTime: 1.5, endTime: 2.25, concentricDuration: 0.5,
            holdDuration: 0.1, eccentricDuration: 0.65, legROMDegrees: 80.04, peakLegAngularVelocityDps: 200,
            lumbarMaxDeviationDegrees: 7.5, lumbarExtensionDegrees: 7, lumbarLateralDegrees: -1,
            lumbarRotationDegrees: 0.5, lumbarMoved: true, faults: [.lumbarExtension, .tooFast])
        let line = LumbarEvent.repCompleted(time: 2.25, record: r).jsonLine
        #expect(line.hasPrefix(
            #"{"type":"rep_completed","t":2.2500,"rep":1,"leg":"left","start_s":1.000,"peak_s":1.500,"end_s":2.250,"#
            + #""duration_s":1.250,"leg_rom_deg":80.0,"lumbar_max_deviation_deg":7.50,"lumbar_moved":true,"#
            + #""faults":"lumbar_extension;too_fast","#))
    }

    @Test func repRejectedCarriesLegTimesReasonAndTheDecidingValue() {
        let e = LumbarEvent.repRejected(
            time: 12.5,
            rejection: RejectedMovement(
                leg: .right, startTime: 10.25, endTime: 12.5, reason: .tooSmall, value: 4.81, limit: 6))
        #expect(
            e.jsonLine
                == #"{"type":"rep_rejected","t":12.5000,"leg":"right","start_s":10.250,"end_s":12.500,"reason":"too_small","value":4.81,"limit":6.00,"unit":"deg"}"#
        )
    }

    @Test func stringsAreEscaped() {
        let e = LumbarEvent.sensorLost(time: 0, sensor: "a\"b\\c\n", placement: .lumbar, reason: .other("\u{1}"))
        #expect(e.jsonLine.contains(#""sensor":"a\"b\\c\n""#))
        #expect(e.jsonLine.contains(#""reason":"\u0001""#))
    }

    /// The line FORMATS.md §4 and the README's Formats section give, for every reason this version names.
    @Test(arguments: [
        (SensorLossReason.unplugged, "unplugged"), (.readError, "read_error"), (.timeout, "timeout"), (.stalled, "stalled"),
        (.stopped, "stopped"),
    ])
    func sensorLostCarriesItsReasonAsOneWord(reason: SensorLossReason, word: String) {
        let e = LumbarEvent.sensorLost(time: 21.2486, sensor: "SIM-ANKLE-01", placement: .rightAnkle, reason: reason)
        #expect(
            e.jsonLine
                == #"{"type":"sensor_lost","t":21.2486,"sensor":"SIM-ANKLE-01","placement":"right_ankle","reason":""# + word + #""}"#)
        #expect(SensorLossReason(rawValue: word) == reason)
    }

    @Test func aReasonThisVersionDoesNotNameIsKeptAsItsWord() {
        let reason = SensorLossReason(rawValue: "battery_low")
        #expect(reason == .other("battery_low"))
        #expect(!SensorLossReason.named.contains(reason))
        #expect(LumbarEvent.sensorLost(time: 1, sensor: "S", placement: .lumbar, reason: reason).jsonLine.hasSuffix(#""reason":"battery_low"}"#))
    }

    @Test(arguments: [
        (0.0, 2, "0.00"), (-0.004, 2, "0.00"), (-0.005, 2, "-0.01"), (1.25, 1, "1.3"), (123.456, 0, "123"),
        (9.999, 2, "10.00"),
    ])
    func fixedDecimalRoundsHalfAwayFromZero(value: Double, decimals: Int, expected: String) {
        #expect(FixedDecimal.format(value, decimals: decimals) == expected)
    }
}
