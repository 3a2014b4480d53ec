@testable import LumbarIO
import Testing

/// The evidence `live --log-level debug` gives for a silence: every port quiet at once (the host, not a
/// sensor), every sensor port quiet, and whether a USB scan ran meanwhile. Times in ms of a virtual clock.
struct ReadSilenceWatchTests {
    static let ms: Int64 = 1_000_000

    @Test func aStretchWithoutAnyReadLongerThanTheThresholdIsASilenceOfEveryPortAndOfTheSensorPorts() {
        var watch = ReadSilenceWatch(threshold: 250 * Self.ms)
        #expect(watch.read(at: 0, sensor: true) == (nil, nil))
        #expect(watch.read(at: 200 * Self.ms, sensor: true) == (nil, nil))
        let found = watch.read(at: 1_500 * Self.ms, sensor: true)
        #expect(found.every == .init(ports: .every, from: 200 * Self.ms, to: 1_500 * Self.ms, duringScan: false))
        #expect(found.sensors == .init(ports: .sensors, from: 200 * Self.ms, to: 1_500 * Self.ms, duringScan: false))
    }

    @Test func aBabblingPortThatKeepsTalkingMeansOnlyTheSensorPortsWereSilent() {
        var watch = ReadSilenceWatch(threshold: 250 * Self.ms)
        _ = watch.read(at: 0, sensor: true)
        for t in stride(from: Int64(100), through: 1_000, by: 100) { #expect(watch.read(at: t * Self.ms, sensor: false) == (nil, nil)) }
        let found = watch.read(at: 1_100 * Self.ms, sensor: true)
        #expect(found.every == nil)
        #expect(found.sensors == .init(ports: .sensors, from: 0, to: 1_100 * Self.ms, duringScan: false))
    }

    @Test func aSilenceDuringWhichAScanWasAskedForOrRanSaysSo() {
        var watch = ReadSilenceWatch(threshold: 250 * Self.ms)
        _ = watch.read(at: 0, sensor: true)
        watch.scanRequested()
        watch.scanTaken()
        #expect(watch.read(at: 400 * Self.ms, sensor: true).every?.duringScan == true)
        // The scan ended before the next silence began.
        #expect(watch.read(at: 800 * Self.ms, sensor: true).every?.duringScan == false)
    }
}
