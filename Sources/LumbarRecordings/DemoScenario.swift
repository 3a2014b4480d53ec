import LumbarCore
import LumbarSim

/// The demo sessions in `recordings/`: simulated sessions (LumbarSim's body model) with what each is for.
/// `lumbar record --simulate NAME --output FILE` writes one through the real protocol and recorder.
public enum DemoScenario: String, CaseIterable, Sendable {
    /// One set of 8 clean right-leg bent-knee back kicks.
    case cleanBackKick = "clean-back-kick"
    /// One set of 10 back kicks; from rep 5 the lower back arches more with every rep (fatigue).
    case fatigueBackKick = "fatigue-back-kick"
    /// One set of 8 bird dogs, legs alternating, sensors on both ankles; reps 3, 5, 6 and 8 rotate the pelvis.
    case birdDogRotation = "bird-dog-rotation"
    /// One set of 8 back kicks; the ankle sensor is unplugged in the middle of rep 4 for 2.5 s and plugged back in.
    case unpluggedAnkle = "unplugged-ankle"

    /// The simulator script.
    public var script: SessionScript {
        switch self {
        case .cleanBackKick:
            return SessionScript(
                exercise: .backKick, seed: 101, sets: [SetScript(reps: (1...8).map { _ in RepScript(leg: .right) })],
                sensors: SessionScript.standardSensors(ankle: .rightAnkle))
        case .fatigueBackKick:
            let degrees: [Int: Double] = [5: 3.5, 6: 5.5, 7: 7.5, 8: 9.5, 9: 11.5, 10: 13.5]
            let reps = (1...10).map { i in
                RepScript(leg: .right, fault: degrees[i].map { LumbarFaultScript(.extension_, degrees: $0) })
            }
            return SessionScript(
                exercise: .backKick, seed: 202, sets: [SetScript(reps: reps)],
                sensors: SessionScript.standardSensors(ankle: .rightAnkle))
        case .birdDogRotation:
            let faults: [Int: Double] = [3: 10, 5: 9, 6: 12, 8: 13]
            let reps = (1...8).map { i in
                RepScript(leg: i % 2 == 1 ? .right : .left,
                          fault: faults[i].map { LumbarFaultScript(.rotation, degrees: $0) })
            }
            return SessionScript(
                exercise: .birdDog, seed: 303, sets: [SetScript(reps: reps)],
                sensors: SessionScript.standardSensors(bothAnkles: true))
        case .unpluggedAnkle:
            var script = SessionScript(
                exercise: .backKick, seed: 404, sets: [SetScript(reps: (1...8).map { _ in RepScript(leg: .right) })],
                sensors: SessionScript.standardSensors(ankle: .rightAnkle))
            // Unplugged in the middle of rep 4 (40 % of the way through, the leg near the top), plugged back in 2.5 s
            // later, in the rest before rep 5.
            let rep4 = Simulator.run(script).truth.reps[3]
            let unplug = rep4.startTime + 0.4 * (rep4.endTime - rep4.startTime)
            script.sensors[1].dropouts = [SimulatedInterval(start: unplug, end: unplug + 2.5)]
            return script
        }
    }

    /// One line for the README and `--help`.
    public var summary: String {
        switch self {
        case .cleanBackKick: "8 clean right-leg back kicks"
        case .fatigueBackKick: "10 back kicks, lumbar extension creeping in from rep 5 (fatigue)"
        case .birdDogRotation: "8 bird dogs alternating legs, pelvic rotation on reps 3, 5, 6, 8"
        case .unpluggedAnkle: "8 back kicks, ankle sensor unplugged for 2.5 s in the middle of rep 4"
        }
    }
}
