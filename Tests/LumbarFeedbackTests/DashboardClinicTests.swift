import LumbarCore
@testable import LumbarFeedback
import Synchronization
import Testing

/// Issue 18 on the dashboard: "last time" beside "now" for the session's person and exercise, and choosing the
/// person on the page. The routes run on the real server bound to `127.0.0.2` (token required): without the
/// token nothing is read or written, a page of another site cannot choose, and only JSON is taken.
struct DashboardClinicTests {
    static let token = DashboardAccessTests.token
    static let bearer = "Authorization: Bearer \(DashboardAccessTests.token)"

    static func previous(_ day: Int, _ exercise: String?, reps: Int = 10) -> PreviousSession {
        PreviousSession(
            startedUnixNanoseconds: Int64(day) * 86_400_000_000_000, exercise: exercise, reps: reps, cleanRepRate: 0.8,
            lumbarMaxDegrees: 6.5, legROMDegrees: 41.5, tempo: .init(concentric: 1.2, hold: 0.5, eccentric: 1.6), complete: true)
    }

    static let anna = ClinicPanel(
        unavailable: nil, person: "Anna", people: ["Anna", "Bo"],
        previous: ClinicPanel.latestPerExercise([previous(20_000, "bird_dog"), previous(20_003, "donkey_kick", reps: 12),
                                                  previous(20_001, "donkey_kick", reps: 7)]))

    static func request(
        _ port: Int, _ method: String, _ path: String, body: String = "", headers: [String]
    ) async throws -> (status: Int, body: String) {
        let client = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
        let extra = headers.map { $0 + "\r\n" }.joined()
        try client.send("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.2:\(port)\r\n\(extra)Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let head = try await client.readHead()
        return (head.status, try await client.readBody())
    }

    @Test func lastTimeIsThePersonsLatestSessionOfTheSameExerciseElseTheirLatestOfAny() {
        let panel = Self.anna
        #expect(panel.previous.map(\.exercise) == ["donkey_kick", "bird_dog"], "the latest of each exercise, latest first")
        #expect(panel.lastTime(exercise: "donkey_kick")?.reps == 12)
        #expect(panel.lastTime(exercise: "bird_dog")?.startedUnixNanoseconds == Int64(20_000) * 86_400_000_000_000)
        #expect(panel.lastTime(exercise: "straight_leg_kick")?.exercise == "donkey_kick", "no such exercise: the latest of any")
        #expect(panel.lastTime(exercise: nil)?.reps == 12)
        #expect(panel.lastTimeNote(exercise: "bird_dog") == nil)
        #expect(ClinicPanel().lastTimeNote(exercise: nil)?.contains("No session database") == true)
        #expect(ClinicPanel(unavailable: nil).lastTimeNote(exercise: nil) == "No person chosen: choose one to see their last session.")
        #expect(ClinicPanel(unavailable: nil, person: "Cy").lastTimeNote(exercise: nil) == "No earlier session of Cy stored.")
        #expect(ClinicPanel(unavailable: nil, person: "Cy", loading: true).lastTimeNote(exercise: nil) == "Reading Cy's sessions…")
        let json = panel.json(exercise: "bird_dog")
        #expect(json.contains(#""last_time":{"started":"2024-10-04T00:00:00.000Z","exercise":"bird_dog","reps":10,"clean_rate":0.800,"lumbar_max_deg":6.5,"rom_deg":41.5,"tempo_s":{"concentric":1.20,"hold":0.50,"eccentric":1.60},"complete":true}"#), "\(json)")
        #expect(json.hasPrefix(#"{"stored":true,"unavailable":null,"person":"Anna","people":["Anna","Bo"]"#), "\(json)")
    }

    @Test func thePersonChoiceBodyIsOneJSONStringMember() {
        #expect(PersonChoiceBody.name(in: #"{"name":"Anna Smith"}"#) == "Anna Smith")
        #expect(PersonChoiceBody.name(in: " {\n \"name\" : \"Zo\\u00eb \\\"Z\\\"\" } ") == "Zoë \"Z\"")
        #expect(PersonChoiceBody.name(in: #"{"name":"\ud83d\ude00"}"#) == "😀")
        for bad in [#"{"name":1}"#, #"{"who":"Anna"}"#, #"{"name":"Anna","x":1}"#, #"{"name":"Anna"} x"#, "name=Anna", #"{"name":"\q"}"#, ""] {
            #expect(PersonChoiceBody.name(in: bad) == nil, "\(bad)")
        }
    }

    @Test func thePanelReachesThePageAndFollowsTheExerciseThroughTheRealServer() async throws {
        let hub = DashboardHub()
        hub.publish(clinic: Self.anna)
        try await withDashboardServer(hub, host: "127.0.0.2", access: DashboardAccess(token: Self.token)) { port in
            let session = try await Self.request(port, "GET", "/api/session", headers: [Self.bearer])
            #expect(session.status == 200)
            #expect(session.body.contains(#""clinic":{"stored":true"#) && session.body.contains(#""reps":12"#), "\(session.body)")
            let people = try await Self.request(port, "GET", "/api/people", headers: [Self.bearer])
            #expect(people.status == 200 && people.body == #"{"person":"Anna","people":["Anna","Bo"]}"#, "\(people.body)")

            let stream = try LoopbackHTTPClient(port: port, address: "127.0.0.2")
            try stream.get("/dashboard/stream", headers: [Self.bearer])
            #expect(try await stream.readHead().status == 200)
            let first = try await stream.readStream { $0.contains("event: state") }
            #expect(first.contains(#""last_time":{"#))
            // The exercise becomes known: the panel follows it (bird dog's own last time).
            hub.publish(.calibrated(time: 2, posture: "quadruped", exercise: "bird_dog"))
            let text = try await stream.readStream { $0.contains("event: clinic") }
            let clinic = try #require(sseMessages(text).last { $0.event == "clinic" })
            #expect(clinic.data.contains(#""exercise":"bird_dog","reps":10"#), "\(clinic.data)")
        }
    }

    @Test func choosingThePersonWantsTheTokenSameOriginJSONAndAStoredSession() async throws {
        let hub = DashboardHub()
        let chosen = Mutex<[String]>([])
        try await withDashboardServer(hub, host: "127.0.0.2", access: DashboardAccess(token: Self.token)) { port in
            let json = "Content-Type: application/json"
            let body = #"{"name":"  Anna   Smith "}"#
            let unstored = try await Self.request(port, "POST", "/api/person", body: body, headers: [Self.bearer, json])
            #expect(unstored.status == 409 && unstored.body.contains("not stored"), "\(unstored)")
            hub.onChoosePerson { name in
                chosen.withLock { $0.append(name) }
                let words = name.split(separator: " ")
                return words.isEmpty ? .failure(PersonChoiceRefusal("'--person' needs a name")) : .success(words.joined(separator: " "))
            }
            for (what, headers) in [
                ("no token", [json]),
                ("a wrong cookie", [json, "Cookie: lumbar_session=\(Self.token)"]),
            ] {
                let r = try await Self.request(port, "POST", "/api/person", body: body, headers: headers)
                #expect(r.status == 401, "\(what)")
                let read = try await Self.request(port, "GET", "/api/people", headers: Array(headers.dropFirst()))
                #expect(read.status == 401 && !read.body.contains("people"), "\(what): \(read)")
            }
            let crossOrigin = try await Self.request(
                port, "POST", "/api/person", body: body, headers: [Self.bearer, json, "Origin: http://evil.example"])
            #expect(crossOrigin.status == 403)
            let crossSite = try await Self.request(
                port, "POST", "/api/person", body: body, headers: [Self.bearer, json, "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: cors"])
            #expect(crossSite.status == 403)
            let crossRead = try await Self.request(port, "GET", "/api/people", headers: [Self.bearer, "Origin: http://evil.example"])
            #expect(crossRead.status == 403 && !crossRead.body.contains("people"))
            let form = try await Self.request(
                port, "POST", "/api/person", body: "name=Anna", headers: [Self.bearer, "Content-Type: application/x-www-form-urlencoded"])
            #expect(form.status == 415)
            let plain = try await Self.request(port, "POST", "/api/person", body: body, headers: [Self.bearer, "Content-Type: text/plain"])
            #expect(plain.status == 415)
            #expect(chosen.withLock { $0 }.isEmpty, "nothing refused reached the daemon")

            let empty = try await Self.request(port, "POST", "/api/person", body: #"{"name":"   "}"#, headers: [Self.bearer, json])
            #expect(empty.status == 400 && empty.body.contains("needs a name"))
            let sameOrigin = try await Self.request(
                port, "POST", "/api/person", body: body, headers: [Self.bearer, json, "Origin: http://127.0.0.2:\(port)", "Sec-Fetch-Site: same-origin"])
            #expect(sameOrigin.status == 200 && sameOrigin.body == #"{"person":"Anna Smith"}"#, "\(sameOrigin)")
            #expect(chosen.withLock { $0 } == ["   ", "  Anna   Smith "])
        }
    }
}
