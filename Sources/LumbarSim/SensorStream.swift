#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore
import LumbarProtocol

/// Generates one sensor's packets in arrival order: device info, sample batches (minus the lost ones) and
/// heartbeats. The readings come from the sensor's true trajectory through its IMU error model.
///
/// Every random draw comes from the sensor's own streams (derived from the script seed and the sensor
/// index), so the batch run and the live stream produce the same packets.
public struct SensorStream: Sendable {
    /// Index of the sensor in the script.
    public let sensorIndex: Int
    /// What the device reports about itself.
    public let deviceInfo: DeviceInfo
    /// Nominal sample period, ticks of 1 µs.
    public let periodTicks: UInt64
    let script: SensorScript
    let trajectory: SensorTrajectory
    let duration: Double
    let tickSeconds = 1e-6
    let tick0: UInt64
    let drift: Double
    var noise: SimRandom
    var link: SimRandom
    var accelBias: DVec3
    var gyroBias: DVec3
    var accelScale: DVec3
    var gyroScale: DVec3
    var nextIndex = 0
    var lastArrival = 0.0
    var wasInDropout = false
    var nextStatusTicks: UInt64
    var statusCount = 0
    var pending: [SimulatedPacket] = []
    var started = false

    init(index: Int, script: SensorScript, trajectory: SensorTrajectory, duration: Double, seed: UInt64) {
        precondition(script.sampleRateHz > 0, "SensorStream.init: 'sampleRateHz' must be positive")
        precondition(script.clockOffsetSeconds >= 0, "SensorStream.init: 'clockOffsetSeconds' must not be negative")
        precondition(script.batchSize > 0, "SensorStream.init: 'batchSize' must be positive")
        sensorIndex = index
        self.script = script
        self.trajectory = trajectory
        self.duration = duration
        noise = SimRandom(seed: SimRandom.derivedSeed(seed, stream: 1000 + UInt64(index)))
        link = SimRandom(seed: SimRandom.derivedSeed(seed, stream: 2000 + UInt64(index)))
        periodTicks = max(1, UInt64((1 / (script.sampleRateHz * 1e-6)).rounded()))
        drift = script.clockDriftPPM * 1e-6
        let imu = script.imu
        func axes(_ r: inout SimRandom, _ m: Double) -> DVec3 {
            DVec3(r.uniform(-m...m), r.uniform(-m...m), r.uniform(-m...m))
        }
        accelBias = axes(&noise, imu.accelBiasG)
        gyroBias = axes(&noise, imu.gyroBiasDps)
        accelScale = DVec3(1, 1, 1) + axes(&noise, imu.scaleError)
        gyroScale = DVec3(1, 1, 1) + axes(&noise, imu.scaleError)
        let phase = noise.uniform() * Double(periodTicks) * 1e-6
        tick0 = UInt64(((script.clockOffsetSeconds + phase * (1 + drift)) / 1e-6).rounded())
        nextStatusTicks = tick0 + UInt64(1e6)
        deviceInfo = DeviceInfo(
            firmwareVersion: FirmwareVersion(1, 0, 0), deviceID: script.deviceID, placement: script.reportedPlacement,
            imuPartName: "LUMBARSIM6", accelerometerFullScale: UInt16(imu.accelFullScaleG.rounded()),
            gyroscopeFullScale: UInt16(imu.gyroFullScaleDps.rounded()),
            accelerometerSensitivity: Float(imu.accelLSB), gyroscopeSensitivity: Float(imu.gyroLSB),
            sampleRateMillihertz: UInt32((1e9 / Double(periodTicks)).rounded()), tickFrequency: 1_000_000)
    }

    /// Device clock reading at true session time `t`, s.
    public func deviceTime(atTrueTime t: Double) -> Double { script.clockOffsetSeconds + t * (1 + drift) }

    /// True session time at device clock reading `d`, s.
    public func trueTime(atDeviceTime d: Double) -> Double { (d - script.clockOffsetSeconds) / (1 + drift) }

    /// True session time of device sample `k`, s.
    func trueTime(ofSample k: Int) -> Double {
        trueTime(atDeviceTime: Double(tick0 + UInt64(k) * periodTicks) * tickSeconds)
    }

    /// The next packet in arrival order, or nil when the session is over.
    public mutating func next() -> SimulatedPacket? {
        if !started {
            started = true
            return SimulatedPacket(sensorIndex: sensorIndex, arrivalTime: 0, packet: .deviceInfo(deviceInfo))
        }
        while pending.isEmpty {
            guard trueTime(ofSample: nextIndex) <= duration else { return nil }
            produceBatch()
        }
        return pending.removeFirst()
    }

    private mutating func produceBatch() {
        let imu = script.imu
        let first = nextIndex
        let count = min(script.batchSize, SampleBatch.maximumSampleCount)
        var counts: [RawImuSample] = []
        var samples: [ImuSample] = []
        var times: [Double] = []
        var truths: [Quaternion] = []
        counts.reserveCapacity(count)
        samples.reserveCapacity(count)
        times.reserveCapacity(count)
        truths.reserveCapacity(count)
        var flags: SampleBatch.Flags = []
        let scale = deviceInfo.scale
        let dt = Double(periodTicks) * tickSeconds
        let driftStep = imu.gyroBiasDriftDpsPerRootSecond * dt.squareRoot()
        let radToDeg = 180 / Double.pi
        let g = Double(Units.standardGravity)
        for k in first..<(first + count) {
            let t = trueTime(ofSample: k)
            let (q, omega, f) = trajectory.kinematics(at: t)
            if driftStep > 0 {
                gyroBias += DVec3(noise.gaussian(), noise.gaussian(), noise.gaussian()) * driftStep
            }
            let gyro = DVec3(omega.x * gyroScale.x, omega.y * gyroScale.y, omega.z * gyroScale.z) * radToDeg
                + gyroBias + DVec3(noise.gaussian(), noise.gaussian(), noise.gaussian()) * imu.gyroNoiseDps
            let accel = DVec3(f.x * accelScale.x, f.y * accelScale.y, f.z * accelScale.z) * (1 / g)
                + accelBias + DVec3(noise.gaussian(), noise.gaussian(), noise.gaussian()) * imu.accelNoiseG
            let c = RawImuSample(
                accelerometer: RawVector3(
                    SensorStream.quantise(accel.x, imu.accelLSB), SensorStream.quantise(accel.y, imu.accelLSB),
                    SensorStream.quantise(accel.z, imu.accelLSB)),
                gyroscope: RawVector3(
                    SensorStream.quantise(gyro.x, imu.gyroLSB), SensorStream.quantise(gyro.y, imu.gyroLSB),
                    SensorStream.quantise(gyro.z, imu.gyroLSB)))
            if c.accelerometer.isSaturated { flags.insert(.accelerometerSaturated) }
            if c.gyroscope.isSaturated { flags.insert(.gyroscopeSaturated) }
            counts.append(c)
            samples.append(scale.sample(c, time: scale.seconds(ticks: tick0 + UInt64(k) * periodTicks)))
            times.append(t)
            truths.append(q.float)
        }
        nextIndex += count
        let lastTrue = times[times.count - 1]
        let arrival = max(lastArrival, lastTrue + link.uniform(script.usbLatencySeconds))
        let lostOnLink = link.chance(script.packetLossProbability)
        let inDropout = script.dropouts.contains { $0.contains(lastTrue) }
        lastArrival = arrival
        if !inDropout && wasInDropout {
            pending.append(SimulatedPacket(sensorIndex: sensorIndex, arrivalTime: arrival, packet: .deviceInfo(deviceInfo)))
        }
        wasInDropout = inDropout
        if !inDropout && !lostOnLink {
            let batch = SampleBatch(
                sequence: UInt32(truncatingIfNeeded: first), timestamp: tick0 + UInt64(first) * periodTicks,
                samplePeriod: UInt32(periodTicks), flags: flags, samples: counts)
            let truth = SimulatedBatchTruth(
                firstSampleIndex: first, samples: samples, trueTimes: times, trueOrientations: truths)
            pending.append(SimulatedPacket(
                sensorIndex: sensorIndex, arrivalTime: arrival, packet: .sampleBatch(batch), batchTruth: truth))
        }
        let lastTicks = tick0 + UInt64(nextIndex - 1) * periodTicks
        if lastTicks >= nextStatusTicks {
            statusCount += 1
            let status = DeviceStatus(
                timestamp: nextStatusTicks, batteryMillivolts: UInt16(4100 - min(600, statusCount / 4)),
                batteryPercent: UInt8(max(5, 100 - statusCount / 120)), isStreaming: true,
                temperatureCentidegrees: Int16(3100 + (statusCount % 7) * 10), samplesDropped: 0, errors: [])
            nextStatusTicks += UInt64(1e6)
            if !inDropout {
                pending.append(SimulatedPacket(sensorIndex: sensorIndex, arrivalTime: arrival, packet: .status(status)))
            }
        }
    }

    /// `value / lsb` rounded to the nearest count and clipped to int16.
    @inline(__always)
    static func quantise(_ value: Double, _ lsb: Double) -> Int16 {
        let c = (value / lsb).rounded()
        if !(c > -32768) { return .min }
        if c > 32767 { return .max }
        return Int16(c)
    }
}
