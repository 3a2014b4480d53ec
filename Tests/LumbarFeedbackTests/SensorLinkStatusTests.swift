import LumbarCore
import LumbarFeedback
import LumbarProtocol
import LumbarSession
import Testing

/// The sensor cards' link status from real wire bytes through the real pipeline: battery, temperature
/// and faults from status packets, packet loss from sequence gaps.
struct SensorLinkStatusTests {
    /// A still sensor at 100 Hz in batches of 10 (one frame per 0.1 s), with a status packet every second;
    /// batch numbers in `lost` never arrive. Chunks are (host receive time ns, bytes).
    private func stream(
        seconds: Int, lost: Set<Int> = [], battery: UInt8? = 87, errors: DeviceStatus.ErrorFlags = []
    ) -> [(time: Int64, bytes: [UInt8])] {
        var encoder = FrameEncoder()
        var chunks: [(Int64, [UInt8])] = []
        var hello: [UInt8] = []
        encoder.encode(
            .deviceInfo(
                DeviceInfo(
                    firmwareVersion: FirmwareVersion(1, 0, 0), deviceID: 7, placement: .lumbar, imuPartName: "TEST",
                    accelerometerFullScale: 8, gyroscopeFullScale: 2000, accelerometerSensitivity: 8 / 32768,
                    gyroscopeSensitivity: 0.07, sampleRateMillihertz: 100_000, tickFrequency: 1_000_000)),
            into: &hello)
        chunks.append((0, hello))
        let still = RawImuSample(accelerometer: RawVector3(0, 0, 4096), gyroscope: RawVector3(0, 0, 0))
        for b in 0..<(seconds * 10) {
            var bytes: [UInt8] = []
            if !lost.contains(b) {
                encoder.encode(
                    .sampleBatch(
                        SampleBatch(
                            sequence: UInt32(b * 10), timestamp: UInt64(b) * 100_000, samplePeriod: 10_000,
                            samples: Array(repeating: still, count: 10))),
                    into: &bytes)
            }
            if b % 10 == 9 {
                encoder.encode(
                    .status(
                        DeviceStatus(
                            timestamp: UInt64(b) * 100_000, batteryMillivolts: battery.map { _ in 3870 },
                            batteryPercent: battery, isStreaming: true, temperatureCentidegrees: 3125,
                            samplesDropped: 3, errors: errors)),
                    into: &bytes)
            }
            chunks.append((Int64(b + 1) * 100_000_000 + 1_000_000, bytes))
        }
        return chunks
    }

    private func run(_ chunks: [(time: Int64, bytes: [UInt8])], hub: DashboardHub) -> SessionPipeline {
        let pipeline = SessionPipeline()
        var output = DashboardOutput(hub: hub)
        let sensor = pipeline.connect(SensorDescriptor(id: "LB-07", placement: .lumbar), at: 0, into: &output)
        for chunk in chunks {
            pipeline.receive(chunk.bytes, from: sensor, at: chunk.time, into: &output)
            output.refreshSensors(from: pipeline)
        }
        return pipeline
    }

    @Test func statusPacketsReachThePipelineStatistics() throws {
        let pipeline = run(stream(seconds: 3, errors: [.batteryLow]), hub: DashboardHub())
        let status = try #require(pipeline.statistics.sensors.first?.deviceStatus)
        #expect(status.batteryPercent == 87 && status.batteryMillivolts == 3870)
        #expect(status.errors == [.batteryLow])
    }

    @Test func sensorCardShowsBatteryTemperatureAndDeviceFaults() throws {
        let hub = DashboardHub()
        _ = run(stream(seconds: 4, errors: [.batteryLow, .fifoOverflow]), hub: hub)
        let card = try #require(hub.snapshot.sensors.first)
        #expect(card.sensor == "LB-07" && card.connected)
        #expect(card.batteryPercent == 87 && card.batteryMillivolts == 3870)
        #expect(card.temperatureCelsius == 31.25)
        #expect(card.deviceFaults == [.fifoOverflow, .batteryLow])
        #expect(card.deviceDroppedSamples == 3)
        #expect(hub.snapshot.json.contains(#""battery_pct":87,"battery_mv":3870,"temperature_c":31.3"#))
        #expect(hub.snapshot.json.contains(#""device_faults":["fifo_overflow","battery_low"]"#))
    }

    @Test func batteryStaysUnknownWithoutStatusOrWhenTheSensorCannotTell() throws {
        let hub = DashboardHub()
        _ = run(stream(seconds: 3, battery: nil), hub: hub)
        let card = try #require(hub.snapshot.sensors.first)
        #expect(card.batteryPercent == nil && card.batteryMillivolts == nil)
        #expect(hub.snapshot.json.contains(#""battery_pct":null"#))
    }

    @Test func sequenceGapsShowAsPacketLossForAboutASecond() throws {
        let hub = DashboardHub()
        // Batches 21 and 22 (20 samples, in the third second) never arrive.
        let pipeline = SessionPipeline()
        var output = DashboardOutput(hub: hub)
        let sensor = pipeline.connect(SensorDescriptor(id: "LB-07", placement: .lumbar), at: 0, into: &output)
        var shown: [Float] = []
        for chunk in stream(seconds: 6, lost: [21, 22]) {
            pipeline.receive(chunk.bytes, from: sensor, at: chunk.time, into: &output)
            output.refreshSensors(from: pipeline)
            if let card = hub.snapshot.lastTrace?.sensors.first, shown.last != card.packetLossPercent {
                shown.append(card.packetLossPercent)
            }
        }
        #expect(pipeline.statistics.sensors[0].lostSamples == 20)
        // One window of about a second holds the gap: 20 of about 100 samples.
        #expect(shown.filter { $0 > 0 }.count == 1, "loss shown: \(shown)")
        #expect(shown.contains { $0 > 10 && $0 < 30 }, "loss shown: \(shown)")
        #expect(shown.last == 0, "the loss is over once a clean second has passed: \(shown)")
    }
}
