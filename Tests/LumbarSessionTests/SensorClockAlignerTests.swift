import Foundation
import LumbarSession
import Testing

/// Clock alignment under simulated USB jitter and crystal drift.
struct SensorClockAlignerTests {
    /// One simulated sensor: device clock = (host − start) × (1 + drift) + deviceOffset; samples every
    /// `period` device seconds, sent in batches of `batch`, received `latency` later (≥ 0.3 ms, jittery).
    struct SimulatedSensor {
        var rate: Double
        var drift: Double
        var deviceOffset: Double
        var batch: Int
        var seed: UInt64

        /// (device time of each sample, true host time of each sample, receive time of its batch).
        func run(duration: Double) -> [(device: Double, host: Double, receive: Double)] {
            var rng = TestRandom(seed: seed)
            var out: [(Double, Double, Double)] = []
            let period = 1 / rate
            var k = 0
            while Double(k) * period < duration {
                let receiveBase = Double(k + batch - 1) * period / (1 + drift)
                // Latency: 0.3 ms floor, exponential jitter of mean 2 ms, 2 % stalls of 5–25 ms.
                var latency = 0.0003 - 0.002 * log(1 - rng.unit())
                if rng.unit() < 0.02 { latency += 0.005 + 0.02 * rng.unit() }
                for j in 0..<batch {
                    let device = Double(k + j) * period
                    out.append((device + deviceOffset, device / (1 + drift), receiveBase + latency))
                }
                k += batch
            }
            return out
        }
    }

    @Test("two sensors with ±100 ppm drift and USB jitter line up within one sample period")
    func alignsSensorsWithDriftAndJitterWithinOnePeriod() {
        let lumbar = SimulatedSensor(rate: 200, drift: 100e-6, deviceOffset: 1234.5, batch: 8, seed: 1)
        let ankle = SimulatedSensor(rate: 100, drift: -100e-6, deviceOffset: 7.25, batch: 5, seed: 2)
        var worst = [0.0, 0.0]
        var biases: [[Double]] = [[], []]
        for (n, sensor) in [lumbar, ankle].enumerated() {
            var aligner = SensorClockAligner()
            let samples = sensor.run(duration: 120)
            var i = 0
            while i < samples.count {
                aligner.observe(deviceTime: samples[i + sensor.batch - 1].device, receiveTime: samples[i].receive)
                for j in i..<(i + sensor.batch) {
                    let mapped = aligner.hostTime(forDeviceTime: samples[j].device)
                    #expect(mapped <= samples[j].receive + 1e-9, "a sample is never stamped after it was received")
                    if samples[j].host > 10 {
                        let error = mapped - samples[j].host
                        biases[n].append(error)
                        worst[n] = max(worst[n], abs(error))
                    }
                }
                i += sensor.batch
            }
            #expect(abs(aligner.drift - sensor.drift * -1 / (1 + sensor.drift)) < 30e-6,
                    "drift estimate \(aligner.drift * 1e6) ppm")
        }
        // Each sensor's absolute error stays within a few ms (the minimum latency is a common bias) ...
        #expect(worst[0] < 0.005, "lumbar worst error \(worst[0]) s")
        #expect(worst[1] < 0.005, "ankle worst error \(worst[1]) s")
        // ... and lumbar vs ankle agree within one sample period of the faster sensor (5 ms), in fact much better.
        let relative = zip(biases[0], biases[1]).map { abs($0 - $1) }.max() ?? 1
        #expect(relative < 0.005, "relative misalignment \(relative) s")
    }

    @Test("the same observations give the same mapping (replay equals live)")
    func isDeterministic() {
        let sensor = SimulatedSensor(rate: 400, drift: 50e-6, deviceOffset: 3, batch: 10, seed: 7)
        let samples = sensor.run(duration: 20)
        func mapped() -> [Double] {
            var a = SensorClockAligner()
            var out: [Double] = []
            for s in samples {
                a.observe(deviceTime: s.device, receiveTime: s.receive)
                out.append(a.hostTime(forDeviceTime: s.device))
            }
            return out
        }
        #expect(mapped() == mapped())
    }

    @Test("a device clock that jumps (device reset) restarts alignment instead of following it")
    func resyncsAfterDeviceClockJump() {
        var a = SensorClockAligner()
        for k in 0..<1000 {
            let d = Double(k) * 0.005
            a.observe(deviceTime: d + 100, receiveTime: d + 0.001)
        }
        // The device restarted its clock at 0 while host time went on.
        a.observe(deviceTime: 0.005, receiveTime: 5.006)
        #expect(a.resyncCount == 1)
        #expect(abs(a.hostTime(forDeviceTime: 0.005) - 5.006) < 1e-9)
    }
}
