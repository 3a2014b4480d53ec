import LumbarCore
import LumbarProtocol
import LumbarSession
import Testing

/// The pipeline end to end on protocol bytes: ordering across sensors, statistics, sensor loss, determinism.
struct SessionPipelineTests {
    /// Records what the pipeline releases.
    struct Tape: SessionOutput {
        var samples: [SessionSample] = []
        var events: [LumbarEvent] = []
        mutating func sample(_ s: SessionSample) { samples.append(s) }
        mutating func event(_ e: LumbarEvent) { events.append(e) }
    }

    /// Interleaves the chunks of several sensors by receive time and runs them through a pipeline.
    static func run(
        _ sensors: [(SensorDescriptor, [(time: Int64, bytes: [UInt8])])], settings: SessionPipeline.Settings = .default,
        garbleChunk: Int? = nil
    ) -> (Tape, SessionPipeline) {
        let pipeline = SessionPipeline(settings: settings)
        var tape = Tape()
        var all: [(Int64, Int, [UInt8])] = []
        for (i, s) in sensors.enumerated() {
            for c in s.1 { all.append((c.time, i, c.bytes)) }
        }
        all.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        for (i, s) in sensors.enumerated() { _ = pipeline.connect(s.0, at: all[0].0 - Int64(i), into: &tape) }
        for (n, (t, i, bytes)) in all.enumerated() {
            var b = bytes
            if n == garbleChunk { b[b.count / 2] ^= 0x55 }
            pipeline.receive(b, from: i, at: t, into: &tape)
        }
        pipeline.finish(into: &tape)
        return (tape, pipeline)
    }

    static let lumbar = SyntheticSensor(placement: .lumbar, rate: 200, batch: 8, drift: 80e-6, tickOffset: 5_000_000, seed: 11)
    static let ankle = SyntheticSensor(placement: .rightAnkle, rate: 100, batch: 5, drift: -80e-6, tickOffset: 77, seed: 12)

    @Test("samples of sensors with different rates and clocks come out in session-time order, all of them")
    func mergesSensorsInTimeOrder() {
        let (tape, pipeline) = Self.run([
            (SensorDescriptor(id: "L", placement: .lumbar), Self.lumbar.chunks(startNs: 1_000_000_000, duration: 30)),
            (SensorDescriptor(id: "R", placement: .rightAnkle), Self.ankle.chunks(startNs: 1_000_000_000, duration: 30)),
        ])
        let times = tape.samples.map(\.time)
        #expect(times.first == 0)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "session time never goes back")
        let stats = pipeline.statistics
        #expect(stats.sensors[0].samples == 6000)
        #expect(stats.sensors[1].samples == 3000)
        #expect(stats.samples == 9000)
        #expect(stats.sensors[0].crcErrors == 0 && stats.sensors[0].lostSamples == 0)
        #expect(abs(stats.sensors[0].clockDriftPPM - 80) < 30, "drift \(stats.sensors[0].clockDriftPPM) ppm")
        // The two sensors' sample clocks line up: lumbar sample k*2 and ankle sample k were taken together.
        let l = tape.samples.filter { $0.sensor == 0 }.map(\.time)
        let a = tape.samples.filter { $0.sensor == 1 }.map(\.time)
        var worst = 0.0
        for k in stride(from: 1000, to: 3000, by: 10) { worst = max(worst, abs(l[2 * k] - a[k])) }
        #expect(worst < 0.005, "lumbar vs ankle misalignment \(worst) s (one lumbar sample period is 0.005 s)")
        #expect(tape.events.filter { $0.type == "sensor_connected" }.count == 2)
    }

    @Test("a corrupted frame and lost batches are counted, and the stream goes on")
    func countsCRCErrorsAndLostSamples() {
        let (_, pipeline) = Self.run(
            [(SensorDescriptor(id: "L", placement: .lumbar),
              Self.lumbar.chunks(startNs: 0, duration: 10, skipBatches: [20, 21]))],
            garbleChunk: 100)
        let s = pipeline.statistics.sensors[0]
        #expect(s.crcErrors + s.otherDroppedFrames == 1)
        #expect(s.lostSamples == 3 * 8)
        #expect(s.samples == 2000 - 3 * 8)
        #expect(s.sampleRate == 200)
    }

    @Test("a sensor that goes silent is reported lost after the timeout, and connected again when it returns")
    func reportsSilentSensorLostAndBack() {
        let l = Self.lumbar.chunks(startNs: 0, duration: 20)
        let r = Self.ankle.chunks(startNs: 0, duration: 20).filter { $0.time < 5_000_000_000 || $0.time > 12_000_000_000 }
        let (tape, _) = Self.run([
            (SensorDescriptor(id: "L", placement: .lumbar), l),
            (SensorDescriptor(id: "R", placement: .rightAnkle), r),
        ])
        let sensorEvents = tape.events.filter { $0.type.hasPrefix("sensor_") }
        #expect(sensorEvents.map(\.type) == ["sensor_connected", "sensor_connected", "sensor_lost", "sensor_connected"])
        if case .sensorLost(let t, let id, let placement, let reason) = sensorEvents[2] {
            #expect(id == "R" && placement == .rightAnkle && reason == .timeout)
            #expect(abs(t - 6.0) < 0.1, "lost at \(t) s: last data ≈ 5 s + 1 s timeout")
        }
        let times = tape.samples.map(\.time)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
    }

    /// Issue 13: on main before the device session, each heartbeat of a sensor whose samples were
    /// missing brought it back (`sensor_connected`), to be lost again a second later.
    @Test("heartbeats without samples bring no lost sensor back: only its samples do")
    func heartbeatsAloneDoNotReconnectALostSensor() {
        let l = Self.lumbar.chunks(startNs: 0, duration: 20)
        var r = Self.ankle.chunks(startNs: 0, duration: 20).filter { $0.time < 5_000_000_000 || $0.time > 12_000_000_000 }
        var encoder = FrameEncoder()
        for k in 0..<6 {  // a heartbeat every 1.2 s while the samples are missing
            var bytes: [UInt8] = []
            let status = DeviceStatus(
                timestamp: 0, batteryMillivolts: nil, batteryPercent: nil, isStreaming: false, temperatureCentidegrees: nil,
                samplesDropped: 0, errors: [])
            encoder.encode(.status(status), into: &bytes)
            r.append((time: 5_500_000_000 + Int64(k) * 1_200_000_000, bytes: bytes))
        }
        r.sort { $0.time < $1.time }
        let (tape, _) = Self.run([
            (SensorDescriptor(id: "L", placement: .lumbar), l),
            (SensorDescriptor(id: "R", placement: .rightAnkle), r),
        ])
        let sensorEvents = tape.events.filter { $0.type.hasPrefix("sensor_") }
        #expect(sensorEvents.map(\.type) == ["sensor_connected", "sensor_connected", "sensor_lost", "sensor_connected"])
        #expect(sensorEvents.last.map { $0.time > 11.5 } == true, "back at \(sensorEvents.last?.time ?? -1) s, before its samples")
    }

    @Test("bytes that waited while the host itself did not run are no silence: nobody is lost")
    func aPausedHostLosesNoSensor() {
        // The session thread is descheduled from 5 s to 7 s: both ports' bytes of that time are read at
        // 7 s, in one wake-up, one port after the other.
        func pausedHost(_ chunks: [(time: Int64, bytes: [UInt8])]) -> [(time: Int64, bytes: [UInt8])] {
            chunks.map { c in
                (5_000_000_000..<7_000_000_000).contains(c.time) ? (7_000_000_000 + (c.time - 5_000_000_000) / 1000, c.bytes) : c
            }
        }
        let (tape, _) = Self.run([
            (SensorDescriptor(id: "L", placement: .lumbar), pausedHost(Self.lumbar.chunks(startNs: 0, duration: 12))),
            (SensorDescriptor(id: "R", placement: .rightAnkle), pausedHost(Self.ankle.chunks(startNs: 0, duration: 12))),
        ])
        #expect(tape.events.filter { $0.type.hasPrefix("sensor_") }.map(\.type) == ["sensor_connected", "sensor_connected"])
    }

    @Test("the same bytes at the same receive times give identical samples and events")
    func isDeterministic() {
        let input = [
            (SensorDescriptor(id: "L", placement: .lumbar), Self.lumbar.chunks(startNs: 42, duration: 10)),
            (SensorDescriptor(id: "R", placement: .rightAnkle), Self.ankle.chunks(startNs: 42, duration: 10)),
        ]
        let (a, _) = Self.run(input)
        let (b, _) = Self.run(input)
        #expect(a.samples == b.samples)
        #expect(a.events == b.events)
    }
}

/// `LiveSession`: what the daemon drives; its recording must replay to the same events.
struct LiveSessionTests {
    /// What a serial replay of the recording at `path` gives.
    static func replay(_ path: String) throws -> EventCollector {
        let input = try SessionInput(path: path)
        let pipeline = SessionPipeline()
        var replayed = EventCollector()
        while try input.step(into: pipeline, output: &replayed) != nil {}
        pipeline.finish(into: &replayed)
        return replayed
    }

    @Test("a silence timeout found live by advance() replays identically from the recording")
    func timeoutDetectedLiveReplaysIdentically() throws {
        let path = RecordingTests.temporaryPath("timeout-live.lrec")
        let recorder = try Recorder(path: path, header: RecordingTests.header)
        let live = LiveSession(pipeline: SessionPipeline(), recorder: recorder)
        var liveEvents = EventCollector()
        let l = SessionPipelineTests.lumbar.chunks(startNs: 10_000_000_000, duration: 12)
        let r = SessionPipelineTests.ankle.chunks(startNs: 10_000_000_000, duration: 12).filter {
            $0.time < 14_000_000_000 || $0.time > 18_000_000_000
        }
        var all = l.map { ($0.time, 0, $0.bytes) } + r.map { ($0.time, 1, $0.bytes) }
        all.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        live.connect(SensorDescriptor(id: "L", placement: .lumbar), at: all[0].0, into: &liveEvents)
        live.connect(SensorDescriptor(id: "R", placement: .rightAnkle), at: all[0].0, into: &liveEvents)
        var nextTick = all[0].0
        for (t, i, bytes) in all {
            // The daemon's periodic tick (every 100 ms of host time), between reads.
            while nextTick < t {
                live.advance(to: nextTick, into: &liveEvents)
                nextTick += 100_000_000
            }
            live.receive(bytes, from: i, at: t, into: &liveEvents)
        }
        try live.finish(into: &liveEvents)
        #expect(liveEvents.events.map(\.type).filter { $0.hasPrefix("sensor") }
                == ["sensor_connected", "sensor_connected", "sensor_lost", "sensor_connected"])

        let replayed = try Self.replay(path)
        #expect(replayed.events == liveEvents.events)
        #expect(replayed.sampleCount == liveEvents.sampleCount)
    }

    /// The HIL `garbage` failure of issue 13 (`notes/hil-cleanup6-garbage-fail.log`): the whole guest stood
    /// still ~1.3 s; when it ran again, the daemon's poll came back with nothing (its timer fired before the
    /// USB stack had delivered the sensors' bytes) and the tick after it reported both sensors lost as
    /// `timeout`, then connected again 0.3 s later. A host pause seen by the session thread (`hostResumed`)
    /// is not the sensors' silence; a sensor that stays silent after it is still lost, one timeout later.
    @Test("a host pause the session thread saw is no sensor silence: no loss, and the recording replays identically")
    func hostPauseIsNoSilence() throws {
        let path = RecordingTests.temporaryPath("host-pause.lrec")
        let recorder = try Recorder(path: path, header: RecordingTests.header)
        let live = LiveSession(pipeline: SessionPipeline(), recorder: recorder)
        var liveEvents = EventCollector()
        let start: Int64 = 10_000_000_000
        // Both sensors' bytes stop at 13 s (host), the host stands still 13.0-14.3 s, the bytes come again
        // at 14.35 s; the right ankle's stop for good at 16 s.
        let paused = start + 3_000_000_000, resumed = start + 4_300_000_000, dead = start + 6_000_000_000
        let l = SessionPipelineTests.lumbar.chunks(startNs: start, duration: 9).filter { $0.time < paused || $0.time >= resumed + 50_000_000 }
        let r = SessionPipelineTests.ankle.chunks(startNs: start, duration: 9).filter {
            ($0.time < paused || $0.time >= resumed + 50_000_000) && $0.time < dead
        }
        var all = l.map { ($0.time, 0, $0.bytes) } + r.map { ($0.time, 1, $0.bytes) }
        all.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        live.connect(SensorDescriptor(id: "L", placement: .lumbar), at: all[0].0, into: &liveEvents)
        live.connect(SensorDescriptor(id: "R", placement: .rightAnkle), at: all[0].0, into: &liveEvents)
        var nextTick = all[0].0
        var resumedSeen = false
        for (t, i, bytes) in all {
            while nextTick < t {
                if !resumedSeen, nextTick >= resumed {
                    // The daemon's loop: its poll, due at 13.1 s, came back at 14.3 s with nothing read.
                    resumedSeen = true
                    live.hostResumed(at: resumed)
                }
                if nextTick < paused || nextTick >= resumed { live.advance(to: nextTick, into: &liveEvents) }
                nextTick += 100_000_000
            }
            live.receive(bytes, from: i, at: t, into: &liveEvents)
        }
        try live.finish(into: &liveEvents)
        let losses = liveEvents.events.compactMap { e -> String? in
            if case .sensorLost(let time, let sensor, _, let reason) = e { return "\(sensor) \(reason.rawValue) \(FixedDecimal.format(time, decimals: 1))" }
            return nil
        }
        // Only the ankle's real silence: lost 1 s after its last bytes before 16 s (session time ~6 s).
        #expect(losses.count == 1)
        #expect(losses.first?.hasPrefix("R timeout") == true, "\(losses)")
        #expect(liveEvents.events.map(\.type).filter { $0.hasPrefix("sensor") }
                == ["sensor_connected", "sensor_connected", "sensor_lost"])

        let replayed = try Self.replay(path)
        #expect(replayed.events == liveEvents.events)
        #expect(replayed.sampleCount == liveEvents.sampleCount)
    }
}
