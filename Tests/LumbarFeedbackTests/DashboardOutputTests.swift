import LumbarCore
import LumbarFeedback
import LumbarMotion
import LumbarSession
import Testing

/// The dashboard fed by the real session pipeline (timed samples of two still sensors).
struct DashboardOutputTests {
    /// Runs `seconds` of two still sensors at 100 Hz through a pipeline into a dashboard output.
    private func runStill(seconds: Double, hub: DashboardHub) -> SessionPipeline {
        let pipeline = SessionPipeline()
        var output = DashboardOutput(hub: hub)
        let lumbar = pipeline.connect(SensorDescriptor(id: "LB-01", placement: .lumbar), at: 0, into: &output)
        let ankle = pipeline.connect(SensorDescriptor(id: "RA-02", placement: .rightAnkle), at: 0, into: &output)
        for k in 0..<Int(seconds * 100) {
            let t = Double(k) / 100
            let still = ImuSample(time: t, accelerometer: Vector3(x: 0, y: 0, z: 1), gyroscope: Vector3(x: 0, y: 0, z: 0))
            pipeline.receive(timed: still, from: lumbar, into: &output)
            pipeline.receive(timed: still, from: ankle, into: &output)
            if k % 50 == 0 { output.refreshSensors(from: pipeline) }
        }
        pipeline.finish(into: &output)
        return pipeline
    }

    @Test func forwardsEventsAndTracesWithSensorRates() throws {
        let hub = DashboardHub()
        _ = runStill(seconds: 5, hub: hub)
        let snapshot = hub.snapshot
        #expect(snapshot.sensors.map(\.sensor) == ["LB-01", "RA-02"])
        #expect(snapshot.sensors.allSatisfy { $0.connected })
        let trace = try #require(snapshot.lastTrace)
        #expect(trace.time > 4.5)
        for s in trace.sensors {
            #expect(abs(s.rateHz - 100) < 5, "\(s.sensor) at \(s.rateHz) Hz")
            #expect(s.packetLossPercent == 0)
        }
        #expect(trace.thresholdDegrees == ExerciseProfile.unknownExercise.lumbarThresholdDegrees)
        #expect(trace.calibration != .waiting, "two still sensors for 5 s: holding still or calibrated")
    }

    @Test func tracesComeAtTheHubsIntervalOfSessionTime() async throws {
        let hub = DashboardHub(settings: .init(traceInterval: 0.02))
        try await withDashboardServer(hub) { port in
            let client = try await LoopbackHTTPClient.stream("/dashboard/stream", port: port, hub: hub)
            _ = runStill(seconds: 2, hub: hub)
            hub.publish(.calibrated(time: 99, posture: "end", exercise: "x"))
            let text = try await client.readStream { $0.contains(#""posture":"end""#) }
            let traces = sseMessages(text).filter { $0.event == "trace" }.count
            // 2 s at one point per 20 ms at most (101), and never under the page's 30 per second.
            #expect((60...101).contains(traces), "\(traces) trace points")
        }
    }
}
