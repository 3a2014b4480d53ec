@testable import LumbarSim
import LumbarCore
import Testing

/// Device-side effects: determinism, int16 quantisation and clipping, clocks, losses.
struct SensorModelTests {
    @Test func theSameSeedGivesTheSameSessionAndAnotherSeedDoesNot() {
        var script = SessionScript.demo(.backKick, seed: 5)
        script.sets = [script.sets[0]]
        let a = Simulator.run(script)
        let b = Simulator.run(script)
        #expect(a.sensors.map(\.rawCounts) == b.sensors.map(\.rawCounts))
        #expect(a.sensors.map(\.samples) == b.sensors.map(\.samples))
        #expect(a.truth.reps.map(\.lumbarPeakDeviationDegrees) == b.truth.reps.map(\.lumbarPeakDeviationDegrees))
        script.seed = 6
        let c = Simulator.run(script)
        #expect(a.sensors[1].rawCounts != c.sensors[1].rawCounts)
    }

    @Test func samplesAreTheirRawCountsTimesTheLeastSignificantBit() {
        var script = shortScript(rate: 100)
        script.sensors[0].imu = .typical
        script.sensors[0].imu.accelFullScaleG = 4
        script.sensors[0].imu.gyroFullScaleDps = 500
        let s = Simulator.run(script).sensors[0]
        let a = 4.0 / 32768, w = 500.0 / 32768
        for (c, x) in zip(s.rawCounts, s.samples) {
            #expect(x.accelerometer.x == Float(Double(c.ax) * a) && x.accelerometer.z == Float(Double(c.az) * a))
            #expect(x.gyroscope.y == Float(Double(c.gy) * w) && x.gyroscope.z == Float(Double(c.gz) * w))
        }
        #expect(s.deviceInfo.accelFullScaleG == 4 && s.deviceInfo.gyroFullScaleDps == 500)
    }

    @Test func readingsBeyondTheFullScaleClipAtTheInt16Limits() {
        var script = shortScript(.backKick, rate: 200)
        script.lumbarNaturalMotion = .none
        // ±1 g: the lumbar sensor's up axis reads 1 g at rest, which is one count beyond the range.
        script.sensors[0].imu.accelFullScaleG = 1
        // ±60 deg/s: a back kick turns the shank faster.
        script.sensors[1].imu.gyroFullScaleDps = 60
        let session = Simulator.run(script)
        let lumbar = session.sensors[0]
        #expect(lumbar.rawCounts[5].az == Int16.max)
        #expect(lumbar.samples[5].accelerometer.z == Float(32767.0 / 32768))
        let ankle = session.sensors[1]
        #expect(ankle.rawCounts.contains { $0.gy == .max || $0.gy == .min })
        #expect(ankle.rawCounts.contains { $0.isSaturated })
        #expect(ankle.samples.allSatisfy { abs($0.gyroscope.y) <= 60 })
    }

    @Test func deviceClocksRunWithTheirOffsetAndDrift() throws {
        var script = shortScript(rate: 250)
        script.sensors[0].clockOffsetSeconds = 1000.5
        script.sensors[0].clockDriftPPM = 100
        script.sensors[1].clockOffsetSeconds = 3.25
        script.sensors[1].clockDriftPPM = -80
        let session = Simulator.run(script)
        for (sensor, ppm) in zip(session.sensors, [100.0, -80.0]) {
            let n = sensor.samples.count - 1
            // Device timestamps step by exactly the nominal period (4 ms = 4000 ticks of 1 µs).
            #expect(sensor.deviceInfo.samplePeriodTicks == 4000)
            let deviceSpan = sensor.samples[n].time - sensor.samples[0].time
            #expect(abs(deviceSpan - Double(n) * 0.004) < 1e-9)
            // ... which on the true clock takes (1 + drift)⁻¹ as long.
            let trueSpan = sensor.trueTimes[n] - sensor.trueTimes[0]
            #expect(abs(deviceSpan / trueSpan - (1 + ppm * 1e-6)) < 1e-9)
            #expect(abs(sensor.deviceTime(atTrueTime: sensor.trueTimes[7]) - sensor.samples[7].time) < 1e-6)
        }
        #expect(abs(session.sensors[0].samples[0].time - 1000.5) < 0.005)
        #expect(abs(session.sensors[1].samples[0].time - 3.25) < 0.005)
    }

    @Test func lostPacketsAndDropoutsRemoveWholeBatchesAndAreCounted() throws {
        var script = shortScript(rate: 200)
        script.sensors[1].packetLossProbability = 0.1
        script.sensors[1].batchSize = 10
        script.sensors[1].dropouts = [SimulatedInterval(start: 4, end: 5.5)]
        let session = Simulator.run(script)
        let s = session.sensors[1]
        let total = s.samples.count + s.lostSampleCount
        let lossRate = Double(s.lostSampleCount) / Double(total)
        #expect(lossRate > 0.1 && lossRate < 0.25, "lost \(lossRate)")
        #expect(!s.trueTimes.contains { $0 >= 4.05 && $0 < 5.5 })
        // Gaps in the device counter are whole batches.
        for (a, b) in zip(s.sampleIndices, s.sampleIndices.dropFirst()) where b != a + 1 {
            #expect((b - a - 1) % 10 == 0)
        }
        // Device info is sent again after the dropout, and sequence numbers skip the lost batches.
        var infos = 0
        var sequences: [UInt32] = []
        var stream = session.frames()
        while let p = stream.next() {
            guard p.sensorIndex == 1 else { continue }
            switch p.payload {
            case .deviceInfo: infos += 1
            case .samples(let b): sequences.append(b.sequence)
            case .status: break
            }
        }
        #expect(infos == 2)
        #expect(sequences.count * 10 == s.samples.count)
        #expect(sequences.last.map { Int($0) + 1 } == total / 10)
    }

    @Test func theStreamYieldsTheSameSamplesInArrivalOrder() {
        var script = shortScript(rate: 100)
        script.sensors[0].packetLossProbability = 0.05
        let session = Simulator.run(script)
        var stream = Simulator.stream(script)
        var samples: [[ImuSample]] = [[], []]
        var last = -1.0
        var ordered = true
        var statuses = 0
        while let p = stream.next() {
            ordered = ordered && p.arrivalTime >= last
            last = p.arrivalTime
            if case .samples(let b) = p.payload { samples[p.sensorIndex] += b.samples }
            if case .status = p.payload { statuses += 1 }
        }
        #expect(ordered)
        #expect(samples[0] == session.sensors[0].samples)
        #expect(samples[1] == session.sensors[1].samples)
        #expect(statuses >= 2 * Int(session.truth.duration) - 2)
    }

    @Test func noiseAndBiasAreAsConfigured() {
        var script = shortScript(rate: 400)
        script.lumbarNaturalMotion = .none
        script.sensors[0].imu = .typical
        script.sensors[0].imu.gyroBiasDriftDpsPerRootSecond = 0
        let s = Simulator.run(script).sensors[0]
        let still = s.samples.indices.filter { s.trueTimes[$0] < 2.5 }
        let gx = still.map { Double(s.samples[$0].gyroscope.x) }
        let mean = gx.reduce(0, +) / Double(gx.count)
        let sd = (gx.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gx.count)).squareRoot()
        #expect(abs(mean) <= 1.05, "bias \(mean)")
        #expect(sd > 0.05 && sd < 0.1, "noise \(sd) deg/s rms")
    }
}
