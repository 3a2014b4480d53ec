@testable import LumbarSim
import LumbarCore

/// A short session: one set of `faults.count` reps with the right leg, a lumbar sensor and a right-ankle
/// sensor with identity mountings, ideal IMUs, no clock errors.
func shortScript(
    _ exercise: Exercise = .backKick, faults: [LumbarFaultScript?] = [nil, .init(.extension_, degrees: 10), nil],
    rate: Double = 200, seed: UInt64 = 42
) -> SessionScript {
    var lumbar = SensorScript(site: .lumbar, serial: "L", sampleRateHz: rate, mounting: .identity)
    lumbar.imu = .ideal
    var ankle = SensorScript(site: .rightAnkle, serial: "A", sampleRateHz: rate, mounting: .identity)
    ankle.imu = .ideal
    var script = SessionScript(
        exercise: exercise, seed: seed,
        sets: [SetScript(reps: faults.map { RepScript(leg: .right, fault: $0) })], sensors: [lumbar, ankle])
    script.prelude = nil  // starts in the posture: the sensor-model tests read the posture from t = 0
    return script
}

/// Integrates body-frame angular velocity samples (deg/s) over `times` (s) from `q0`, trapezoidal
/// increments, in Double.
func integrateGyro(from q0: Quaternion, gyro: [Vector3], times: [Double]) -> Quaternion {
    var q = DQuat(q0)
    let k = Double.pi / 180
    for i in 1..<gyro.count {
        let dt = times[i] - times[i - 1]
        let w = (DVec3(gyro[i - 1]) + DVec3(gyro[i])) * (0.5 * k * dt)
        q = (q * DQuat(rotationVector: w)).normalized
    }
    return q.float
}

func degrees(_ radians: Float) -> Double { Double(radians) * 180 / .pi }
