@testable import LumbarSim
import LumbarCore
import Testing

/// The sensors' readings are the derivatives of the body model's trajectories, not drawn curves.
struct PhysicalConsistencyTests {
    @Test(arguments: [Exercise.backKick, .straightLegKick, .proneLegRaise, .standingKickback])
    func integratingTheGyroscopeReproducesTheTrueOrientation(_ exercise: Exercise) throws {
        let session = Simulator.run(shortScript(exercise, rate: 200))
        for sensor in session.sensors {
            // Over the whole session (reps included), from the first sample's true orientation.
            let gyro = sensor.samples.map(\.gyroscope)
            let q = integrateGyro(from: sensor.trueOrientations[0], gyro: gyro, times: sensor.trueTimes)
            let error = degrees(q.angle(to: sensor.trueOrientations[sensor.trueOrientations.count - 1]))
            #expect(error < 0.3, "\(exercise) \(sensor.site): integrated gyro is \(error)° off the truth")
        }
    }

    @Test func integratingTheGyroscopeFollowsTheAnkleThroughAKick() throws {
        let session = Simulator.run(shortScript(.backKick, rate: 400))
        let ankle = session.sensors[1]
        let rep = session.truth.reps[0]
        let from = try #require(ankle.trueTimes.firstIndex { $0 >= rep.startTime })
        let to = try #require(ankle.trueTimes.firstIndex { $0 >= rep.peakTime })
        let q = integrateGyro(
            from: ankle.trueOrientations[from], gyro: Array(ankle.samples[from...to].map(\.gyroscope)),
            times: Array(ankle.trueTimes[from...to]))
        let turned = degrees(ankle.trueOrientations[from].angle(to: ankle.trueOrientations[to]))
        #expect(turned > 60, "the shank turned only \(turned)° in a back kick")
        #expect(degrees(q.angle(to: ankle.trueOrientations[to])) < 0.1)
    }

    @Test func accelerometerAtRestReadsGravityInTheSensorFrame() {
        var script = shortScript(.backKick)
        script.lumbarNaturalMotion = .none
        script.sensors[0].mounting = Quaternion(axis: Vector3(1, 2, 3), angle: 2.0)
        script.sensors[1].mounting = Quaternion(axis: Vector3(-2, 0.5, 1), angle: 1.1)
        let session = Simulator.run(script)
        for sensor in session.sensors {
            // The start posture: still for 3 s.
            for i in sensor.trueTimes.indices where sensor.trueTimes[i] < 2.5 {
                let expected = sensor.trueOrientations[i].inverseRotate(.unitZ)
                let lsb = Float(ImuErrorModel.ideal.accelLSB)
                #expect(sensor.samples[i].accelerometer.isApproximatelyEqual(to: expected, absoluteTolerance: 2 * lsb))
                #expect(sensor.samples[i].gyroscope.isApproximatelyEqual(to: .zero, absoluteTolerance: 0.07))
            }
        }
    }

    @Test func theAxisPointingUpReadsPlusOneG() {
        var script = shortScript(.backKick)
        script.lumbarNaturalMotion = .none
        let session = Simulator.run(script)
        // Identity mounting on the pelvis: in quadruped the pelvis z axis (dorsal) points up.
        let a = session.sensors[0].samples[10].accelerometer
        #expect(a.isApproximatelyEqual(to: Vector3(0, 0, 1), absoluteTolerance: 0.001))
    }

    @Test func specificForceDuringAKickMatchesFiniteDifferencesOfPosition() throws {
        let script = shortScript(.backKick, rate: 400)
        let plan = SessionPlan(script)
        let session = Simulator.run(script)
        let ankle = session.sensors[1]
        let rep = session.truth.reps[0]
        let trajectory = plan.trajectories[1]
        let dt = 0.0025
        var largest = 0.0
        var checked = 0
        for i in ankle.trueTimes.indices where ankle.trueTimes[i] > rep.startTime && ankle.trueTimes[i] < rep.endTime {
            let t = ankle.trueTimes[i]
            // Second difference of the position over ±2.5 ms (10× the simulator's own step).
            let a = (trajectory.pose(at: t + dt).position - trajectory.pose(at: t).position * 2
                + trajectory.pose(at: t - dt).position) * (1 / (dt * dt))
            let f = trajectory.pose(at: t).orientation.inverseRotate(a + DVec3(0, 0, 9.80665)) * (1 / 9.80665)
            let measured = DVec3(ankle.samples[i].accelerometer)
            #expect((measured - f).length < 0.01, "at \(t) s: measured \(measured), finite differences \(f)")
            largest = max(largest, a.length / 9.80665)
            checked += 1
        }
        #expect(checked > 500)
        #expect(largest > 0.3, "a back kick should accelerate the ankle by more than 0.3 g, got \(largest) g")
    }

    @Test func gyroscopeIsTheBodyFrameAngularVelocity() throws {
        let script = shortScript(.backKick, rate: 400)
        let plan = SessionPlan(script)
        let session = Simulator.run(script)
        let ankle = session.sensors[1]
        let rep = session.truth.reps[0]
        let i = try #require(ankle.trueTimes.firstIndex { $0 >= (rep.startTime + rep.concentricEndTime) / 2 })
        let t = ankle.trueTimes[i]
        let dt = 0.001
        let q0 = plan.trajectories[1].pose(at: t - dt).orientation
        let q1 = plan.trajectories[1].pose(at: t + dt).orientation
        let omega = (q0.conjugate * q1).rotationVector * (180 / .pi / (2 * dt))
        let measured = DVec3(ankle.samples[i].gyroscope)
        #expect(omega.length > 50)
        #expect((measured - omega).length < 0.2, "measured \(measured) deg/s, orientation differences \(omega)")
    }
}
