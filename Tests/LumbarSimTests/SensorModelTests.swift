@testable import LumbarSim
import LumbarCore
import LumbarProtocol
import Testing

/// Device-side effects: determinism, int16 quantisation and clipping, clocks, losses.
struct SensorModelTests {
    @Test func theSameSeedGivesTheSameSessionAndAnotherSeedDoesNot() {
        var script = SessionScript.demo(.backKick, seed: 5)
        script.sets = [script.sets[0]]
        let a = Simulator.run(script)
        let b = Simulator.run(script)
        #expect(a.sensors.map(\.rawSamples) == b.sensors.map(\.rawSamples))
        #expect(a.sensors.map(\.samples) == b.sensors.map(\.samples))
        #expect(a.truth.reps.map(\.lumbarPeakDeviationDegrees) == b.truth.reps.map(\.lumbarPeakDeviationDegrees))
        script.seed = 6
        let c = Simulator.run(script)
        #expect(a.sensors[1].rawSamples != c.sensors[1].rawSamples)
    }

    @Test func samplesAreTheirRawCountsTimesTheLeastSignificantBit() {
        var script = shortScript(rate: 100)
        script.sensors[0].imu = .typical
        script.sensors[0].imu.accelFullScaleG = 4
        script.sensors[0].imu.gyroFullScaleDps = 500
        let s = Simulator.run(script).sensors[0]
        let a = Float(4.0 / 32768), w = Float(500.0 / 32768)
        for (c, x) in zip(s.rawSamples, s.samples) {
            #expect(x.accelerometer.x == Float(c.accelerometer.x) * a && x.accelerometer.z == Float(c.accelerometer.z) * a)
            #expect(x.gyroscope.y == Float(c.gyroscope.y) * w && x.gyroscope.z == Float(c.gyroscope.z) * w)
        }
        #expect(s.deviceInfo.accelerometerFullScale == 4 && s.deviceInfo.gyroscopeFullScale == 500)
        #expect(s.deviceInfo.accelerometerSensitivity == a && s.deviceInfo.gyroscopeSensitivity == w)
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
        #expect(lumbar.rawSamples[5].accelerometer.z == Int16.max)
        #expect(lumbar.samples[5].accelerometer.z == Float(32767.0 / 32768))
        let ankle = session.sensors[1]
        #expect(ankle.rawSamples.contains { $0.gyroscope.y == .max || $0.gyroscope.y == .min })
        #expect(ankle.rawSamples.contains { $0.isSaturated })
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
            #expect(sensor.deviceInfo.sampleRateMillihertz == 250_000 && sensor.deviceInfo.tickFrequency == 1_000_000)
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
            switch p.packet {
            case .deviceInfo: infos += 1
            case .sampleBatch(let b): sequences.append(b.sequence)
            default: break
            }
        }
        #expect(infos == 2)
        #expect(sequences.count * 10 == s.samples.count)
        // Sequence numbers count samples: the first sample of each delivered batch.
        #expect(sequences.map(Int.init) == stride(from: 0, to: s.sampleIndices.count, by: 10).map { s.sampleIndices[$0] })
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
            if let b = p.batchTruth { samples[p.sensorIndex] += b.samples }
            if case .status = p.packet { statuses += 1 }
        }
        #expect(ordered)
        #expect(samples[0] == session.sensors[0].samples)
        #expect(samples[1] == session.sensors[1].samples)
        #expect(statuses >= 2 * Int(session.truth.duration) - 2)
    }

    @Test func streamingOneSensorOfAScriptPlaysTheSameSessionAsStreamingAll() {
        var script = shortScript(rate: 100)
        script.sensors[0].imu = .typical
        script.sensors[1].imu = .typical
        let session = Simulator.run(script)
        var stream = Simulator.stream(script, sensors: [1])
        #expect(stream.sensorIndices == [1] && stream.deviceInfos == [session.sensors[1].deviceInfo])
        var samples: [ImuSample] = []
        while let p = stream.next() {
            #expect(p.sensorIndex == 1)
            if let b = p.batchTruth { samples += b.samples }
        }
        #expect(samples == session.sensors[1].samples)
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

/// The wire frames decode, with the protocol's own decoder, to exactly the samples the session reports.
struct WireFrameTests {
    @Test func framesDecodeToTheSessionsSamplesWithTheLostOnesCounted() throws {
        var script = shortScript(rate: 200)
        script.sensors[0].imu = .typical
        script.sensors[1].packetLossProbability = 0.05
        script.sensors[1].clockOffsetSeconds = 55.5
        let session = Simulator.run(script)
        var decoders = [FrameDecoder(), FrameDecoder()]
        var scales: [ImuScale?] = [nil, nil]
        var decoded: [[ImuSample]] = [[], []]
        var encoder = FrameEncoder()
        var stream = session.frames()
        var infos: [DeviceInfo] = []
        while let p = stream.next() {
            var bytes: [UInt8] = []
            p.encode(with: &encoder, into: &bytes)
            let i = p.sensorIndex
            decoders[i].decode(bytes) { output in
                guard case .packet(let packet) = output else { return }
                switch packet {
                case .deviceInfo(let info):
                    scales[i] = info.scale
                    infos.append(info)
                case .sampleBatch(let b): if let s = scales[i] { b.appendSamples(scale: s, to: &decoded[i]) }
                default: break
                }
            }
        }
        #expect(decoded[0] == session.sensors[0].samples)
        #expect(decoded[1] == session.sensors[1].samples)
        #expect(decoders[1].counters.lostSamples == UInt64(session.sensors[1].lostSampleCount))
        #expect(decoders[0].counters.crcFailures == 0 && decoders[0].counters.lostSamples == 0)
        #expect(infos.map(\.placement) == [.lumbar, .rightAnkle])
    }
}
