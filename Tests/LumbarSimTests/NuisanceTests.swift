@testable import LumbarSim
import LumbarCore
import Testing

/// Nuisances: present where the truth says, never inside a rep (vibration excepted), physically consistent.
struct NuisanceTests {
    static func make(_ exercise: Exercise) -> (SessionScript, SimulatedSession) {
        var script = SessionScript.random(exercise, seed: 8, sets: 2, repsPerSet: 4, nuisances: .all)
        script.nuisances.repositionsPerSet = 1  // not part of `.all` (the classic suite's sessions stay as they were)
        for i in script.sensors.indices {
            script.sensors[i].imu = .ideal
            script.sensors[i].sampleRateHz = 200
        }
        return (script, Simulator.run(script))
    }

    /// Simulated once, shared by the tests of this suite.
    static let backKick = make(.backKick)
    static let prone = make(.proneLegRaise)

    static func session(_ exercise: Exercise = .backKick) -> (SessionScript, SimulatedSession) {
        exercise == .proneLegRaise ? prone : backKick
    }

    @Test func everyNuisanceAppearsAndNoneButVibrationOverlapsARep() {
        let (_, session) = NuisanceTests.session()
        let kinds = Set(session.truth.nuisances.map(\.kind))
        #expect(kinds == Set(NuisanceTruth.Kind.allCases))
        for n in session.truth.nuisances where n.kind != .vibration {
            for r in session.truth.reps {
                #expect(n.end <= r.startTime || n.start >= r.endTime, "\(n.kind) overlaps rep \(r.rep)")
            }
        }
        // A still period precedes every set.
        for set in session.truth.sets {
            #expect(session.truth.stillPeriods.contains { $0.end <= set.start && $0.end > set.start - 0.5 && $0.duration >= 3 })
        }
    }

    @Test(arguments: [Exercise.backKick, .proneLegRaise])
    func sensorsStayPhysicallyConsistentThroughEveryNuisance(_ exercise: Exercise) throws {
        let (script, session) = NuisanceTests.session(exercise)
        let plan = SessionPlan(script)
        for n in session.truth.nuisances {
            for sensor in session.sensors {
                let idx = sensor.trueTimes.indices.filter {
                    sensor.trueTimes[$0] >= n.start - 0.2 && sensor.trueTimes[$0] <= n.end + 0.2
                }
                guard let first = idx.first, let last = idx.last else { continue }
                let q = integrateGyro(
                    from: sensor.trueOrientations[first], gyro: idx.map { sensor.samples[$0].gyroscope },
                    times: idx.map { sensor.trueTimes[$0] })
                let error = degrees(q.angle(to: sensor.trueOrientations[last]))
                #expect(error < 0.3, "\(n.kind) sensor \(sensor.index): gyro integrates to \(error)° off")
                let trajectory = plan.trajectories[sensor.index]
                let dt = 0.0005
                var worst = 0.0
                for i in idx {
                    let t = sensor.trueTimes[i]
                    let a = (trajectory.pose(at: t + dt).position - trajectory.pose(at: t).position * 2
                        + trajectory.pose(at: t - dt).position) * (1 / (dt * dt))
                    let f = trajectory.pose(at: t).orientation.inverseRotate(a + DVec3(0, 0, 9.80665)) * (1 / 9.80665)
                    worst = max(worst, (DVec3(sensor.samples[i].accelerometer) - f).length)
                }
                #expect(worst < 0.02, "\(n.kind) sensor \(sensor.index): specific force off by \(worst) g")
            }
        }
    }

    @Test func walkingSwingsTheAnkleAndFootTapsShakeIt() throws {
        let (_, session) = NuisanceTests.session()
        let ankle = session.sensors[1]
        func rotation(during n: NuisanceTruth) -> Double {
            let idx = ankle.trueTimes.indices.filter { ankle.trueTimes[$0] >= n.start && ankle.trueTimes[$0] <= n.end }
            guard let first = idx.first else { return 0 }
            return idx.map { degrees(ankle.trueOrientations[first].angle(to: ankle.trueOrientations[$0])) }.max() ?? 0
        }
        let walk = try #require(session.truth.nuisances.first { $0.kind == .walk })
        #expect(rotation(during: walk) > 60)
        for tap in session.truth.nuisances where tap.kind == .footTap {
            let r = rotation(during: tap)
            #expect(r > 4 && r < 16, "a foot tap turned the shank \(r)°")
            let peak = ankle.samples.indices.filter { ankle.trueTimes[$0] >= tap.start && ankle.trueTimes[$0] <= tap.end }
                .map { Double((ankle.samples[$0].accelerometer - ankle.trueOrientations[$0].inverseRotate(.unitZ)).length) }
                .max() ?? 0
            #expect(peak > 0.3, "the tap's impact shows \(peak) g")
        }
    }

    @Test func aPickedUpSensorIsStrappedBackWithADifferentMounting() throws {
        let (script, session) = NuisanceTests.session()
        let plan = SessionPlan(script)
        let pick = try #require(session.truth.nuisances.first { $0.kind == .sensorPickedUp })
        let i = try #require(pick.sensorIndex)
        let attachments = plan.trajectories[i].attachments
        let before = try #require(attachments.last { $0.end <= pick.start + 1e-9 })
        let after = try #require(attachments.first { $0.start >= pick.end - 1e-9 })
        guard case .mounted(let siteA, let mA) = before.kind, case .mounted(let siteB, let mB) = after.kind else {
            Issue.record("expected mounted attachments around the pick-up")
            return
        }
        #expect(siteA == siteB)
        let change = mA.conjugate * mB
        #expect(change.angle * 180 / .pi > 4 && change.angle * 180 / .pi < 21)
        // In the hand the sensor turns a lot.
        let idx = session.sensors[i].trueTimes.indices.filter {
            session.sensors[i].trueTimes[$0] >= pick.start && session.sensors[i].trueTimes[$0] <= pick.end
        }
        let o = session.sensors[i].trueOrientations
        let turned = idx.map { degrees(o[idx[0]].angle(to: o[$0])) }.max() ?? 0
        #expect(turned > 45)
    }

    @Test func theSingleAnkleSensorIsOnTheRepsLegWhateverPickUpsHappen() {
        var pickedAnkle = 0
        for seed in UInt64(1)...8 {
            var script = SessionScript.random(.backKick, seed: seed, sets: 3, repsPerSet: 2)
            script.nuisances.sensorPickUps = 4
            let plan = SessionPlan(script)
            let ankle = plan.trajectories[1].attachments
            pickedAnkle += plan.nuisances.filter { $0.kind == .sensorPickedUp && $0.sensorIndex == 1 }.count
            for rep in plan.model.reps {
                let a = ankle.last { $0.start <= rep.start }
                guard case .mounted(let site, _) = a?.kind else {
                    Issue.record("seed \(seed): the ankle sensor is not strapped during rep \(rep.number)")
                    continue
                }
                #expect(site == .ankle(rep.leg), "seed \(seed) rep \(rep.number)")
            }
        }
        #expect(pickedAnkle > 0)
    }

    @Test func withASingleSetPickUpsHappenAfterItsLastRep() throws {
        var script = SessionScript.random(.proneLegRaise, seed: 5, sets: 1, repsPerSet: 3)
        script.nuisances.sensorPickUps = 2
        let plan = SessionPlan(script)
        let picks = plan.nuisances.filter { $0.kind == .sensorPickedUp }
        let lastRep = try #require(plan.model.reps.last)
        #expect(picks.count == 2)
        #expect(picks.allSatisfy { $0.start >= lastRep.end && $0.end < plan.model.duration })
        for t in plan.trajectories {
            guard case .mounted = t.attachments.last?.kind else {
                Issue.record("a sensor was left in the hand")
                continue
            }
        }
    }

    @Test func theSingleAnkleSensorFollowsTheLegOfEachSet() throws {
        let session = Simulator.run(.demo(.backKick, seed: 4))
        let ankle = session.sensors[1]
        for rep in session.truth.reps {
            let idx = ankle.trueTimes.indices.filter { ankle.trueTimes[$0] >= rep.startTime && ankle.trueTimes[$0] <= rep.endTime }
            let turned = idx.map { degrees(ankle.trueOrientations[idx[0]].angle(to: ankle.trueOrientations[$0])) }.max() ?? 0
            #expect(abs(turned - rep.legROMDegrees) < 0.5, "rep \(rep.rep) (\(rep.leg)): the ankle sensor turned \(turned)°")
        }
    }
}

/// Robustness over seeds and exercises: nothing non-finite, nothing out of order.
struct SeedSweepTests {
    @Test(arguments: Exercise.allCases)
    func everySeededSessionIsFiniteAndOrdered(_ exercise: Exercise) {
        for seed in UInt64(20)...21 {
            var script = SessionScript.random(
                exercise, seed: seed, sets: 2, repsPerSet: 3, fastRepProbability: 0.3, nuisances: .all)
            for i in script.sensors.indices {
                script.sensors[i].sampleRateHz = 50
                script.sensors[i].packetLossProbability = 0.02
            }
            let session = Simulator.run(script)
            for s in session.sensors {
                #expect(s.samples.allSatisfy { $0.accelerometer.isFinite && $0.gyroscope.isFinite && $0.time.isFinite })
                #expect(s.trueOrientations.allSatisfy { $0.isFinite && abs($0.norm - 1) < 1e-4 })
                #expect(zip(s.samples, s.samples.dropFirst()).allSatisfy { $0.time < $1.time })
                #expect(s.samples.count > Int(session.truth.duration * 40))
            }
            for r in session.truth.reps {
                #expect(r.lumbarPeakDeviationDegrees.isFinite && r.legROMDegrees.isFinite)
            }
            #expect(session.truth.reps.count == 6)
        }
    }
}
