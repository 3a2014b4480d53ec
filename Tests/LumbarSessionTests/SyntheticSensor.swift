import LumbarCore
import LumbarProtocol

/// A sensor lying still, speaking the real wire protocol: device info, then sample batches stamped by
/// its own clock (offset; the host clock runs `drift` faster). Produces (receive time ns, bytes) chunks like a transport would.
struct SyntheticSensor {
    var placement: SensorPlacement
    var rate: Double
    var batch: Int
    var drift: Double
    var tickOffset: UInt64
    var seed: UInt64

    static let tickFrequency: UInt32 = 1_000_000

    var info: DeviceInfo {
        DeviceInfo(
            firmwareVersion: FirmwareVersion(1, 0, 0), deviceID: seed, placement: placement, imuPartName: "SYNTH",
            accelerometerFullScale: 8, gyroscopeFullScale: 2000, accelerometerSensitivity: 8 / 32768,
            gyroscopeSensitivity: 0.07, sampleRateMillihertz: UInt32(rate * 1000), tickFrequency: Self.tickFrequency)
    }

    /// Chunks from host time `startNs` for `duration` seconds; `skipBatches` are never sent (lost on the way).
    func chunks(startNs: Int64, duration: Double, skipBatches: Set<Int> = []) -> [(time: Int64, bytes: [UInt8])] {
        var rng = TestRandom(seed: seed)
        var encoder = FrameEncoder()
        var out: [(Int64, [UInt8])] = []
        var first: [UInt8] = []
        encoder.encode(.deviceInfo(info), into: &first)
        out.append((startNs, first))
        let period = 1 / rate
        let periodTicks = UInt32((period * Double(Self.tickFrequency)).rounded())
        var k = 0
        var batchNumber = 0
        while Double(k) * period < duration {
            let samples = (0..<batch).map { j -> RawImuSample in
                let noise = Int16(truncatingIfNeeded: Int(rng.next() % 7) - 3)
                return RawImuSample(
                    accelerometer: RawVector3(noise, 0, 4096 + noise), gyroscope: RawVector3(0, noise, Int16(j % 2)))
            }
            let b = SampleBatch(
                sequence: UInt32(k), timestamp: tickOffset + UInt64(k) * UInt64(periodTicks),
                samplePeriod: periodTicks, samples: samples)
            // The host clock runs `drift` faster than the device's.
            let hostSeconds = Double(k + batch - 1) * period * (1 + drift) + 0.0005 + 0.002 * rng.unit()
            if !skipBatches.contains(batchNumber) {
                var bytes: [UInt8] = []
                encoder.encode(.sampleBatch(b), into: &bytes)
                out.append((startNs + Int64(hostSeconds * 1e9), bytes))
            }
            k += batch
            batchNumber += 1
        }
        return out
    }
}
