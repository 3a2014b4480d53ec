@testable import LumbarSim
import LumbarCore
import LumbarProtocol
import Testing

/// No generated reading is NaN, or a NaN turned into int16 (every axis at −full-scale). The cause found: just
/// below the end of a rep the minimum-jerk polynomial rounded above 1, the rep's progress `1 − s` went to
/// about −1e−16 and the lumbar fault's `g·√g` became a NaN, for both the lumbar and the moving ankle.
struct SampleValidityTests {
    /// A reading where every axis sits at the negative limit: what a NaN becomes when quantised.
    static func allAxesAtNegativeFullScale(_ v: RawVector3) -> Bool {
        v.x == .min && v.y == .min && v.z == .min
    }

    /// The first bad sample of `session`, described; nil when every sample is finite and no reading has
    /// every axis at −full-scale.
    static func firstBadSample(of session: SimulatedSession) -> String? {
        for s in session.sensors {
            for (k, (raw, sample)) in zip(s.rawSamples, s.samples).enumerated() {
                let bad = allAxesAtNegativeFullScale(raw.accelerometer) || allAxesAtNegativeFullScale(raw.gyroscope)
                    || !sample.accelerometer.isFinite || !sample.gyroscope.isFinite || !s.trueOrientations[k].isFinite
                if bad { return "sensor \(s.index) sample \(k) at \(s.trueTimes[k]) s: \(raw)" }
            }
        }
        return nil
    }

    @Test func theMinimumJerkProfileStaysWithinZeroAndOne() {
        var u = 1.0
        var v = 0.0
        for _ in 0..<2000 {
            u = u.nextDown
            v = v.nextUp
            #expect(minimumJerk(u) <= 1 && minimumJerk(u) >= 0, "u = \(u)")
            #expect(minimumJerk(v) <= 1 && minimumJerk(v) >= 0, "u = \(v)")
        }
    }

    @Test(arguments: Exercise.allCases)
    func posesAreFiniteJustBeforeEveryPhaseBoundaryOfEveryRep(exercise: Exercise) {
        for seed: UInt64 in 1...12 {
            let model = SessionPlan(.random(exercise, seed: seed, nuisances: seed % 2 == 0 ? .all : .none)).model
            for rep in model.reps {
                for boundary in [rep.concentricEnd, rep.holdEnd, rep.end] {
                    var t = boundary
                    for _ in 0..<64 {
                        t = t.nextDown
                        let l = model.lumbarPose(at: t), a = model.anklePose(rep.leg, at: t)
                        guard l.orientation.w.isFinite, l.position.x.isFinite, a.orientation.w.isFinite,
                            a.position.x.isFinite
                        else {
                            Issue.record("\(exercise) seed \(seed) rep \(rep.number): NaN pose at \(t) s")
                            return
                        }
                    }
                }
            }
        }
    }

    /// Sessions that produced such samples before the fix (400 Hz), then a sweep of seeds at 100 Hz.
    @Test func noGeneratedSampleIsNaNOrSaturatedOnEveryAxis() {
        for (exercise, seed) in [(Exercise.proneLegRaise, UInt64(2)), (.birdDog, 3)] {
            let session = Simulator.run(.random(exercise, seed: seed, nuisances: .all))
            #expect(Self.firstBadSample(of: session) == nil, "\(exercise) seed \(seed) at 400 Hz")
        }
        for exercise in Exercise.allCases {
            for seed: UInt64 in 1...3 {
                var script = SessionScript.random(exercise, seed: seed, nuisances: seed % 2 == 0 ? .all : .none)
                for i in script.sensors.indices { script.sensors[i].sampleRateHz = 100 }
                let bad = Self.firstBadSample(of: Simulator.run(script))
                #expect(bad == nil, "\(exercise) seed \(seed) at 100 Hz: \(bad ?? "")")
            }
        }
    }
}
