import LumbarCore
import LumbarFeedback
import Testing

/// Against a real Hummingbird server on a free loopback port, with a plain socket client.
struct DashboardServerTests {
    @Test func servesThePageAndItsAssetsFromTheDaemonItself() async throws {
        try await withDashboardServer(DashboardHub()) { port in
            for (path, type, marker) in [
                ("/", "text/html", "id=\"rep-count\""), ("/dashboard.js", "text/javascript", "EventSource"),
                ("/dashboard.css", "text/css", "#alert"),
            ] {
                let client = try LoopbackHTTPClient(port: port)
                try client.get(path)
                let head = try await client.readHead()
                let body = try await client.readBody()
                #expect(head.status == 200, "\(path)")
                #expect(head.headers["content-type"]?.hasPrefix(type) == true, "\(path)")
                #expect(body.contains(marker), "\(path)")
                #expect(!body.contains("http://") && !body.contains("https://"), "\(path) must not load from the network")
            }
        }
    }

    @Test func sessionEndpointReportsStateAndReps() async throws {
        let hub = DashboardHub()
        hub.publish(.calibrated(time: 1, posture: "quadruped", exercise: "donkey_kick"))
        hub.publish(.repStarted(time: 2, rep: 1, set: 1, leg: .left))
        hub.publish(.repCompleted(time: 4, record: sampleRep(1, leg: .left)))
        try await withDashboardServer(hub) { port in
            let client = try LoopbackHTTPClient(port: port)
            try client.get("/api/session")
            let head = try await client.readHead()
            let body = try await client.readBody()
            #expect(head.status == 200)
            #expect(head.headers["content-type"] == "application/json")
            #expect(body == hub.snapshot.json)
            #expect(body.contains(#""counts":[{"set":1,"leg":"left","reps":1,"clean":1}]"#))
        }
    }

    @Test(arguments: [("/nope", "GET", 404, #"Not Found: GET \/nope"#), ("/api/session", "POST", 404, "")])
    func errorsAreJSONWithAMessage(path: String, method: String, status: Int, message: String) async throws {
        try await withDashboardServer(DashboardHub()) { port in
            let client = try LoopbackHTTPClient(port: port)
            try client.get(path, method: method)
            let head = try await client.readHead()
            let body = try await client.readBody()
            #expect(head.status == status)
            #expect(head.headers["content-type"]?.hasPrefix("application/json") == true)
            #expect(body.hasPrefix(#"{"error":{"message":""#))
            if !message.isEmpty {
                #expect(body.contains(message), "JSONEncoder writes '/' as '\\/'")
            }
        }
    }

    @Test func eventStreamCarriesEachEventAsItsJSONLine() async throws {
        let hub = DashboardHub()
        try await withDashboardServer(hub) { port in
            let client = try LoopbackHTTPClient(port: port)
            try client.get("/events")
            let head = try await client.readHead()
            #expect(head.status == 200)
            #expect(head.headers["content-type"] == "text/event-stream")
            try await waitForClients(hub, 1)
            let events: [LumbarEvent] = [
                .repStarted(time: 1, rep: 1, set: 1, leg: .right),
                .lumbarMoved(time: 1.5, rep: 1, deviationDegrees: 12.5, direction: .extension_),
                .repCompleted(time: 3, record: sampleRep(1, faults: [.lumbarExtension])),
            ]
            for e in events {
                hub.publish(e)
                hub.publish(sampleTrace(e.time))  // traces are not part of /events
            }
            let text = try await client.readStream { $0.contains("rep_completed") }
            let messages = sseMessages(text)
            #expect(messages.map(\.event).allSatisfy { $0 == "message" })
            #expect(messages.map(\.data) == events.map(\.jsonLine))
        }
    }

    @Test func dashboardStreamStartsWithStateThenTimestampedEventsAndTraces() async throws {
        let hub = DashboardHub(wallClockMilliseconds: { 1_700_000_000_123.5 })
        hub.publish(.calibrated(time: 1, posture: "quadruped", exercise: "donkey_kick"))
        try await withDashboardServer(hub) { port in
            let client = try await LoopbackHTTPClient.stream("/dashboard/stream", port: port, hub: hub)
            hub.publish(sampleTrace(2))
            hub.publish(.lumbarMoved(time: 2.5, rep: 1, deviationDegrees: 11, direction: .flexion))
            let text = try await client.readStream { $0.contains("lumbar_moved") }
            let messages = sseMessages(text)
            #expect(messages.map(\.event) == ["state", "trace", "lumbar"])
            #expect(messages[0].data.hasPrefix(#"{"calibration":"calibrated","posture":"quadruped""#))
            #expect(messages[1].data == sampleTrace(2).json)
            #expect(
                messages[2].data
                    == #"{"emitted_ms":1700000000123.500,"event":"#
                    + LumbarEvent.lumbarMoved(time: 2.5, rep: 1, deviationDegrees: 11, direction: .flexion).jsonLine
                    + "}")
        }
    }

    /// Issue 14 item 5: a write failure (the recording stopped by a full disk) reached the terminal and the
    /// log only; the person on the mat looks at the dashboard.
    @Test func aProblemReachesOpenPagesOnceAndPagesThatConnectLater() async throws {
        let hub = DashboardHub()
        try await withDashboardServer(hub) { port in
            let client = try await LoopbackHTTPClient.stream("/dashboard/stream", port: port, hub: hub)
            let line = "Recording 'a.lrec' failed: no space left on device"
            hub.publish(problem: line)
            hub.publish(problem: line)
            hub.publish(.calibrated(time: 1, posture: "end", exercise: "x"))
            let text = try await client.readStream { $0.contains(#""posture":"end""#) }
            let problems = sseMessages(text).filter { $0.event == "problem" }
            #expect(problems.map(\.data) == [#"{"text":"Recording 'a.lrec' failed: no space left on device"}"#])
            let later = try LoopbackHTTPClient(port: port)
            try later.get("/api/session")
            #expect(try await later.readHead().status == 200)
            #expect(try await later.readBody().contains(#""problems":["Recording 'a.lrec' failed: no space left on device"]"#))
        }
    }

    @Test func thinsTracesToTheConfiguredSessionInterval() async throws {
        let hub = DashboardHub(settings: .init(traceInterval: 0.05))
        try await withDashboardServer(hub) { port in
            let client = try await LoopbackHTTPClient.stream("/dashboard/stream", port: port, hub: hub)
            for i in 0..<100 { hub.publish(sampleTrace(Double(i) * 0.01)) }  // 1 s at 100 Hz
            hub.publish(.calibrated(time: 1, posture: "end", exercise: "x"))
            let text = try await client.readStream { $0.contains(#""posture":"end""#) }
            let times = sseMessages(text).filter { $0.event == "trace" }.map { $0.data.prefix(12) }
            #expect(times.count == 20, "1 s at one point per 50 ms: \(times)")
        }
    }

    @Test func stalledClientLosesOldTracesButNoEventAndNeverHoldsThePublisher() async throws {
        let hub = DashboardHub(settings: .init(traceInterval: nil, traceCapacity: 8, eventCapacity: 100_000))
        try await withDashboardServer(hub) { port in
            let stalled = try LoopbackHTTPClient(port: port, receiveBufferBytes: 4096)
            try stalled.get("/dashboard/stream")
            let reader = try LoopbackHTTPClient(port: port)
            try reader.get("/events")
            try await waitForClients(hub, 2)

            // Publish like a pipeline until the stalled client's queue has dropped traces. `publish` is
            // synchronous: had it waited for the socket, this loop would never get there.
            var published = (traces: 0, events: 0)
            var time = 0.0
            // 20 000 trace points are ~12 MB: far more than the socket buffers, so the server's writes to the
            // stalled client do block, and the hub has to drop for it.
            while published.traces < 20_000 || hub.clientStatistics.first { $0.stream == .dashboard }!.droppedTraces < 1000 {
                for _ in 0..<500 {
                    time += 0.0025
                    hub.publish(sampleTrace(time))
                    published.traces += 1
                    if published.traces % 50 == 0 {
                        published.events += 1
                        hub.publish(.repStarted(time: time, rep: published.events, set: 1, leg: .right))
                    }
                }
                try await Task.sleep(for: .milliseconds(1))  // let the server's writers run
                try #require(published.traces < 400_000, "the stalled client never lost a trace point")
            }
            let stats = try #require(hub.clientStatistics.first { $0.stream == .dashboard })
            #expect(!stats.overflowed)
            #expect(stats.queuedTraces <= 8)
            hub.publish(.calibrated(time: time, posture: "end", exercise: "x"))
            published.events += 1

            // Now read everything the stalled client was sent: every event, in order; fewer traces.
            _ = try await stalled.readHead()
            let text = try await stalled.readStream { $0.contains(#""posture":"end""#) }
            let messages = sseMessages(text)
            let reps = messages.filter { $0.event == "lumbar" && $0.data.contains("rep_started") }.count
            #expect(reps == published.events - 1)
            let starts = messages.filter { $0.data.contains("rep_started") }.map {
                String($0.data.split(separator: ",").first { $0.hasPrefix(#""rep":"#) }!)
            }
            #expect(starts == (1..<published.events).map { #""rep":\#($0)"# })
            let traces = messages.filter { $0.event == "trace" }.count
            #expect(traces + stats.droppedTraces == published.traces)

            // The other client was never held back by the stalled one and saw every event too.
            _ = try await reader.readHead()
            let other = try await reader.readStream { $0.contains(#""posture":"end""#) }
            #expect(sseMessages(other).count == published.events)
        }
    }

    @Test func cancellingTheServerEndsOpenStreams() async throws {
        let hub = DashboardHub()
        var client: LoopbackHTTPClient?
        try await withDashboardServer(hub) { port in
            client = try await LoopbackHTTPClient.stream("/events", port: port, hub: hub)
        }
        // withDashboardServer returned: the server task ended although a stream was open.
        #expect(client != nil)
        #expect(hub.clientStatistics.isEmpty)
    }
}

/// Waits (bounded) until `count` clients are subscribed: a request is answered asynchronously.
private func waitForClients(_ hub: DashboardHub, _ count: Int) async throws {
    for _ in 0..<500 where hub.clientStatistics.count < count {
        try await Task.sleep(for: .milliseconds(10))
    }
    try #require(hub.clientStatistics.count >= count, "clients did not connect")
}

