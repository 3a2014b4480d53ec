import LumbarCore
@testable import LumbarMotion
import Testing

/// The lumbar alert's state machine, fed hand-made orientations (a marble script of degrees per 5 ms).
struct LumbarAlertTests {
    static let frame = AnatomicalFrame(mediolateral: .unitY, posture: .quadruped, signKnown: true)
    static let profile = ExerciseProfile.standard(.backKick)

    /// Feeds rotations about +y (extension) of `degrees[i]` at i × `period` (5 ms); returns the steps with their
    /// times.
    static func run(_ degrees: [Float], period: Double = 0.005) -> [(Double, LumbarAlert.Step)] {
        var alert = LumbarAlert(reference: .identity)
        var out: [(Double, LumbarAlert.Step)] = []
        for (i, d) in degrees.enumerated() {
            let t = Double(i) * period
            let q = Quaternion(axis: .unitY, angle: d * Units.radiansPerDegree)
            let step = alert.update(time: t, orientation: q, frame: frame, leg: .right, profile: profile)
            if step != .none { out.append((t, step)) }
        }
        return out
    }

    @Test func aSpikeShorterThanTheMinimumDurationDoesNotAlert() {
        // 15 ms above 5° (a foot tap's jolt): below the 20 ms minimum.
        let steps = Self.run([0, 2, 6, 6, 6, 2, 0, 0])
        #expect(steps.isEmpty)
    }

    @Test func movedFiresOnceTheDeviationHeldAboveTheThresholdForTheMinimumDuration() throws {
        let steps = Self.run([0, 4, 5.5, 6, 7, 8, 9, 9, 9])
        let first = try #require(steps.first)
        // Above 5° from 10 ms: 20 ms later, at 30 ms.
        #expect(abs(first.0 - 0.030) < 1e-9)
        guard case .moved(let deviation, let direction, let evidence) = first.1 else {
            Issue.record("expected moved, got \(first.1)")
            return
        }
        #expect(direction == .extension_)
        #expect(evidence == .strap)
        #expect(abs(deviation - 9) < 0.01)
        #expect(steps.count == 1)
    }

    @Test func atTwentyFiveHertzTheTimeAboveCountsFromTheCrossingBetweenSamples() throws {
        // 3° at 40 ms, 7° at 80 ms: the threshold was crossed at 60 ms, so by 80 ms the deviation has been above
        // it for the 20 ms minimum: moved at 80 ms, not one sample period later.
        let steps = Self.run([0, 3, 7, 8, 9], period: 0.040)
        let first = try #require(steps.first)
        #expect(abs(first.0 - 0.080) < 1e-9)
        // A crossing just before the sample (3° then 5.2°: crossed at 76 ms) still waits for the next one.
        let late = try #require(Self.run([0, 3, 5.2, 8, 9], period: 0.040).first)
        #expect(abs(late.0 - 0.120) < 1e-9)
    }

    @Test func aBackThatMovedBeforeTheCandidateBeganIsAlertedAtItsFirstSample() throws {
        // The lumbar history (5 ms apart) crossed 5° at 20 ms, before the leg's onset was found at 100 ms: recalled,
        // the first sample of the candidate alerts at once (without it, 20 ms later).
        var history = TimedRing<Quaternion>(capacity: 64, minimumSpacing: 0.005, filler: .identity)
        for i in 0...20 {
            history.append(time: Double(i) * 0.005, Quaternion(axis: .unitY, angle: Float(i) * Units.radiansPerDegree))
        }
        var alert = LumbarAlert(reference: .identity)
        alert.recall(history, after: -1, threshold: Self.profile.lumbarThresholdDegrees)
        let q = Quaternion(axis: .unitY, angle: 21 * Units.radiansPerDegree)
        let step = alert.update(time: 0.105, orientation: q, frame: Self.frame, leg: .right, profile: Self.profile)
        guard case .moved = step else {
            Issue.record("expected moved at the first sample, got \(step)")
            return
        }
        // Nothing above the threshold in the history: the minimum duration counts from this sample.
        var quiet = TimedRing<Quaternion>(capacity: 8, minimumSpacing: 0.005, filler: .identity)
        quiet.append(time: 0.1, .identity)
        var fresh = LumbarAlert(reference: .identity)
        fresh.recall(quiet, after: -1, threshold: Self.profile.lumbarThresholdDegrees)
        #expect(fresh.update(time: 0.105, orientation: q, frame: Self.frame, leg: .right, profile: Self.profile) == .none)
    }

    /// The deviation's rate follows a trunk turning at 30°/s within a few time constants, at 1000 Hz as at 25 Hz,
    /// and falls back near zero once it holds still.
    @Test func theDeviationRateFollowsATurningTrunkAndFallsWhenItStops() {
        for period in [0.001, 0.04] {
            var alert = LumbarAlert(reference: .identity)
            var t = 0.0
            func feed(_ degrees: Double) {
                let q = Quaternion(axis: .unitY, angle: Float(degrees) * Units.radiansPerDegree)
                _ = alert.update(time: t, orientation: q, frame: Self.frame, leg: .right, profile: Self.profile)
            }
            while t < 0.5 {
                feed(30 * t)
                t += period
            }
            #expect(abs(alert.deviationRate - 30) < 3, "period \(period)")
            let held = 30 * t
            let stop = t
            while t < stop + 0.5 {
                feed(held)
                t += period
            }
            #expect(abs(alert.deviationRate) < 1, "period \(period)")
        }
    }

    @Test func settledNeedsTheDeviationBelowTheHysteresisLevel() {
        // Up to 8°, back to 4° (below 5°, above the 3.5° hysteresis): still alerting; then 2°: settled.
        let steps = Self.run([6, 6, 6, 6, 8, 8, 4, 4, 4, 4, 4, 4, 2, 2, 2, 2, 2, 2])
        #expect(steps.count == 2)
        if case .settled(let d)? = steps.last?.1 {
            #expect(abs(d - 2) < 0.01)
        } else {
            Issue.record("expected settled last, got \(steps.map(\.1))")
        }
    }

    @Test func flexionAndRotationAreNamedByTheirComponent() {
        var alert = LumbarAlert(reference: .identity)
        var direction: LumbarDirection?
        for i in 0..<10 {
            // Rotation about the head axis (mediolateral × up = +x in this frame): axial rotation.
            let q = Quaternion(axis: .unitX, angle: -7 * Units.radiansPerDegree)
            if case .moved(_, let d, _) = alert.update(time: Double(i) * 0.01, orientation: q, frame: Self.frame, leg: .right, profile: Self.profile) {
                direction = d
            }
        }
        #expect(direction == .rotationRight)
    }
}
