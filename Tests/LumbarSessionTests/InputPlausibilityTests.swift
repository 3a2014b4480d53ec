import Foundation
import LumbarCore
import LumbarSession
import Testing

/// Questionable input data is refused or said, one line each (issue 14 item 10).
struct InputPlausibilityTests {
    static let header = "time_s,sensor,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n"

    /// A CSV of `seconds` at `rate` Hz for each of `sensors`, times multiplied by `timeScale`.
    static func csv(_ name: String, sensors: [String], rate: Double = 100, seconds: Double = 2, timeScale: Double = 1,
                    gyro: String = "0") throws -> String {
        var text = header
        for k in 0..<Int(seconds * rate) {
            for s in sensors { text += "\(Double(k) / rate * timeScale),\(s),0,0,1,\(gyro),0,0\n" }
        }
        let path = RecordingTests.temporaryPath(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Replays `path` and returns the plausibility warnings.
    static func warnings(_ path: String) throws -> [String] {
        let input = try SessionInput(path: path)
        let pipeline = SessionPipeline()
        var out = EventCollector()
        while try input.step(into: pipeline, output: &out) != nil {}
        pipeline.finish(into: &out)
        return InputPlausibility.warnings(path: path, sensors: pipeline.sensors, statistics: pipeline.statistics)
    }

    @Test("a lumbar and an ankle stream at 100 Hz raise no warning")
    func plausibleInputIsQuiet() throws {
        #expect(try Self.warnings(Self.csv("fine.csv", sensors: ["lumbar", "right_ankle"])) == [])
    }

    /// On main before the fix, times in milliseconds gave "0 reps in 48400.6 s" without a word.
    @Test("times in milliseconds are said: the implied rate is outside 25-2000 Hz")
    func millisecondTimesAreSaid() throws {
        let path = try Self.csv("millis.csv", sensors: ["lumbar", "right_ankle"], timeScale: 1000)
        let w = try Self.warnings(path)
        #expect(w.count == 2, "\(w)")
        #expect(w.first == "'\(path)': sensor lumbar: 200 samples over 1990.000 s imply 0.100 Hz, outside 25–2000 Hz "
            + "(are the times in seconds?); the results are unreliable")
    }

    /// On main before the fix, lumbar-only data gave 0 reps without saying an ankle sensor is needed, and
    /// ankle-only data gave reps with every lumbar column 0.
    @Test("a missing lumbar or ankle stream is said, one line each")
    func missingStreamsAreSaid() throws {
        let lumbarOnly = try Self.csv("lumbar-only.csv", sensors: ["lumbar"])
        #expect(try Self.warnings(lumbarOnly) == [
            "'\(lumbarOnly)': no ankle sensor data: reps are found from the moving leg's ankle sensor, so none can be",
        ])
        let ankleOnly = try Self.csv("ankle-only.csv", sensors: ["left_ankle"])
        #expect(try Self.warnings(ankleOnly) == [
            "'\(ankleOnly)': no lumbar sensor data: the lower back was not measured, so no rep's lumbar values mean anything",
        ])
    }

    /// On main before the fix, `inf` gyroscope values were accepted and lowered the lumbar maxima by ~20%.
    @Test("a non-finite measurement is refused with its line and column", arguments: ["inf", "-inf", "nan", "1e300"])
    func nonFiniteValuesAreRefused(_ value: String) throws {
        let path = try Self.csv("inf-\(value).csv", sensors: ["lumbar"], seconds: 0.05, gyro: value)
        do {
            _ = try Self.warnings(path)
            Issue.record("'\(value)' was accepted")
        } catch {
            #expect("\(error)".contains("\(path):2: column 6 'gyr_x_dps': expected a finite number, found '\(value)'"), "\(error)")
        }
    }

    @Test("a recording whose device reports an implausible rate is said")
    func nominalRateOutsideTheRangeIsSaid() {
        var stats = SessionStatistics()
        var s = SensorStatistics()
        s.samples = 100
        s.sampleRate = 5000
        stats.sensors = [s, s]
        stats.duration = 1
        let w = InputPlausibility.warnings(
            path: "x.lrec", sensors: [SensorDescriptor(id: "A", placement: .lumbar), SensorDescriptor(id: "B", placement: .rightAnkle)],
            statistics: stats)
        #expect(w == [
            "'x.lrec': sensor lumbar: its device reports 5000.000 Hz, outside 25–2000 Hz; the results are unreliable",
            "'x.lrec': sensor right_ankle: its device reports 5000.000 Hz, outside 25–2000 Hz; the results are unreliable",
        ])
    }
}
