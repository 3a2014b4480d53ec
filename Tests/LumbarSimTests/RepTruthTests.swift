@testable import LumbarSim
import LumbarCore
import Testing

/// Reps, faults and their ground truth.
struct RepTruthTests {
    @Test(arguments: SimulatedLumbarFault.allCases)
    func faultyRepsPeakAtTheirMagnitudeInTheirDirection(_ kind: SimulatedLumbarFault) throws {
        var script = shortScript(.backKick, faults: [.init(kind, degrees: 12), nil], rate: 100)
        script.lumbarNaturalMotion = .none
        let session = Simulator.run(script)
        let rep = session.truth.reps[0]
        #expect(abs(rep.lumbarPeakDeviationDegrees - 12) < 0.05)
        switch kind {
        case .extension_: #expect(abs(rep.lumbarPeakExtensionDegrees - 12) < 0.05)
        case .flexion: #expect(abs(rep.lumbarPeakExtensionDegrees + 12) < 0.05)
        case .rotation: #expect(abs(rep.lumbarPeakRotationDegrees - 12) < 0.05)  // right leg: right side rises
        case .lateral: #expect(abs(rep.lumbarPeakLateralDegrees - 12) < 0.05)
        case .risingAndFalling:
            #expect(abs(abs(rep.lumbarPeakExtensionDegrees) - 12) < 0.05)
            let ext = rep.deviation.map(\.extensionDegrees)
            #expect((ext.max() ?? 0) > 11.9 && (ext.min() ?? 0) < -11.9)
        }
        let crossing = try #require(rep.crossing5DegreesTime)
        #expect(abs(session.lumbarDeviation(at: crossing, reference: rep.startTime).totalDegrees - 5) < 0.01)
        #expect(crossing > rep.startTime && crossing < rep.peakTime)
        // A growing fault peaks at the top of the rep (rising-and-falling at a quarter of it).
        if kind != .risingAndFalling {
            #expect(rep.lumbarPeakTime >= rep.concentricEndTime - 0.01 && rep.lumbarPeakTime <= rep.eccentricStartTime + 0.01)
        }
        let clean = session.truth.reps[1]
        #expect(clean.lumbarPeakDeviationDegrees < 1 && clean.crossing5DegreesTime == nil)
    }

    @Test(arguments: Exercise.allCases)
    func cleanRepsStayUnderTwoAndAHalfDegreesAndFaultsExceedFive(_ exercise: Exercise) {
        for seed in UInt64(1)...3 {
            var script = SessionScript.random(exercise, seed: seed, sets: 2, repsPerSet: 6, faultProbability: 0.4)
            script.sensors = []  // truth only
            let session = Simulator.run(script)
            for rep in session.truth.reps {
                if let fault = rep.fault {
                    #expect(abs(rep.lumbarPeakDeviationDegrees - fault.degrees) < 2, "\(exercise) rep \(rep.rep)")
                    #expect(rep.crossing5DegreesTime != nil)
                } else {
                    #expect(rep.lumbarPeakDeviationDegrees < 2.5, "\(exercise) seed \(seed) rep \(rep.rep)")
                }
            }
        }
    }

    @Test(arguments: Exercise.allCases)
    func everyExerciseMovesTheLegThroughItsRangeOfMotion(_ exercise: Exercise) {
        var script = SessionScript.random(exercise, seed: 11, sets: 2, repsPerSet: 8, faultProbability: 0)
        script.sensors = []
        let reps = Simulator.run(script).truth.reps
        #expect(reps.count == 16)
        for rep in reps {
            #expect(exercise.simulatedLegROMDegrees.contains(rep.legROMDegrees), "\(exercise): leg ROM \(rep.legROMDegrees)°")
        }
    }

    @Test func fastRepsHaveAShortConcentricPhaseAndFasterLegs() {
        var script = SessionScript.random(.backKick, seed: 3, sets: 2, repsPerSet: 8, fastRepProbability: 0.4)
        script.sensors = []
        let reps = Simulator.run(script).truth.reps
        let fast = reps.filter { $0.concentricDuration < 0.4 }
        let normal = reps.filter { $0.concentricDuration >= 0.85 }
        #expect(fast.count >= 2 && fast.count + normal.count == reps.count)
        let slowest = fast.map(\.peakLegAngularVelocityDps).min() ?? 0
        let fastestNormal = normal.map(\.peakLegAngularVelocityDps).max() ?? .infinity
        #expect(slowest > fastestNormal)
    }

    @Test func theTruthAsRepRecordsNamesEachActedFault() {
        var script = shortScript(
            .backKick,
            faults: [nil, .init(.extension_, degrees: 9), .init(.rotation, degrees: 8), .init(.risingAndFalling, degrees: 10)],
            rate: 100)
        script.sets[0].reps[0].tempo = RepTempo(concentric: 0.3, hold: 0.2, eccentric: 0.8, restAfter: 1)
        let session = Simulator.run(script)
        let origin = session.firstSampleTrueTime
        #expect(origin >= 0 && origin < 0.01)
        let records = session.truth.reps.map { $0.record(tooFastBelowSeconds: 0.5, timeOrigin: origin) }
        #expect(records.map(\.faults) == [[.tooFast], [.lumbarExtension], [.lumbarRotation], [.lumbarExtension, .lumbarFlexion]])
        #expect(records.map(\.lumbarMoved) == [false, true, true, true])
        #expect(abs(records[1].startTime - (session.truth.reps[1].startTime - origin)) < 1e-12)
        #expect(records[2].lumbarRotationDegrees > 7)
    }

    @Test func repIntervalsFollowTheTempoAndSetsAlternateLegs() {
        let session = Simulator.run(.demo(.backKick, seed: 2))
        let reps = session.truth.reps
        #expect(reps.count == 16)
        #expect(session.truth.sets.map(\.leg) == [.right, .left])
        #expect(session.truth.sets.map(\.repCount) == [8, 8])
        #expect(reps[0].startTime >= 3)
        for (a, b) in zip(reps, reps.dropFirst()) { #expect(b.startTime > a.endTime) }
        for r in reps {
            #expect(r.startTime < r.concentricEndTime && r.concentricEndTime <= r.peakTime)
            #expect(r.peakTime <= r.eccentricStartTime && r.eccentricStartTime < r.endTime)
            #expect(abs(r.concentricDuration - 1.0) <= 0.11 && abs(r.eccentricDuration - 1.2) <= 0.13)
        }
        // The single ankle sensor was moved to the left ankle between the sets.
        #expect(session.truth.nuisances.contains { $0.kind == .sensorMoved && $0.sensorIndex == 1 })
    }
}
