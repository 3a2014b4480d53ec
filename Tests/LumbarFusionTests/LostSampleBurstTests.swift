import LumbarCore
import LumbarFusion
import Testing

/// A burst of lost samples shorter than `maximumGap` (the filter goes on through it, no restart): the turn made in
/// it is bridged with the rates read either side of it, not integrated at the rate read after it, and the filter
/// stays on the truth once the sensor lies still again (TUNE seed 92 rep 18: a 0.3 s burst lost as a bird dog's leg
/// set off read 52° for an 18° turn, then 20-70° off for seconds while the leg lay still).
@Suite struct LostSampleBurstTests {
    /// Still for 2 s at 100 Hz; 0.3 s of samples lost while the sensor turns about its x axis at a rate rising from
    /// 0 to 120 deg/s (18°); the first sample after the burst reads 120 deg/s; then still at 18° for 3 s.
    @Test func aTurnLostInABurstOfSamplesIsBridgedAndTheInclinationStaysOnTheTruth() {
        let rate = 100.0
        let turned = Quaternion(axis: .unitX, angle: Float(18.0).degreesToRadians)
        var filter = OrientationFilter()
        for s in stillSamples(orientation: .identity, seconds: 2, rate: rate) { _ = filter.update(s) }
        let afterBurst = ImuSample(
            time: 2 - 1 / rate + 0.3, accelerometer: turned.inverseRotate(.unitZ), gyroscope: Vector3(120, 0, 0))
        let q = filter.update(afterBurst)
        let atBurstEnd = q.inclinationDifference(to: turned).radiansToDegrees
        #expect(atBurstEnd < 3, "inclination after the burst \(atBurstEnd)° off (integrated at the rate after it: 36°)")
        var worst: Float = 0
        for s in stillSamples(orientation: turned, seconds: 3, rate: rate, start: afterBurst.time + 1 / rate) {
            worst = max(worst, filter.update(s).inclinationDifference(to: turned).radiansToDegrees)
        }
        #expect(worst < 3, "inclination up to \(worst)° off while the sensor lay still after the burst")
    }
}
