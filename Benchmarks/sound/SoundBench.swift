// `make bench-sound`: how long a lumbar alert takes to reach the audio device, release build, a table.
//
// Replays a recording through the live pipeline, paced by its own clock (`--speed`, default 4: only the
// density of events changes), `--repeat` times, into the real sound output (`SoundOutput`: the audio
// thread, the non-blocking ALSA PCM) and, for comparison, the dashboard's event hub. Per `lumbar_moved`:
// - sound: from the event's emission by the pipeline to ALSA taking the cue's first frames (`snd_pcm_writei`);
// - dashboard: from the same emission to the SSE writer receiving the event's chunk (it writes it next).
import Synchronization
import LumbarCore
import LumbarFeedback
import LumbarIO
import LumbarSession
import LumbarSound
#if canImport(Glibc)
import Glibc
#endif

/// Stamps each lumbar_moved as it passes (ns), then hands the event to the dashboard feed.
struct StampedDashboard: SessionOutput {
    var dashboard: DashboardOutput
    var emitted: [Int64] = []
    mutating func sample(_ sample: SessionSample) { dashboard.sample(sample) }
    mutating func event(_ event: LumbarEvent) {
        if case .lumbarMoved = event { emitted.append(HostClock.nanoseconds()) }
        dashboard.event(event)
    }
}

/// Collects when the SSE writer gets each lumbar_moved chunk (the server's `/events` loop does the same).
final class SSEReceiver: Sendable {
    private let times = Mutex<[Int64]>([])
    func add(_ t: Int64) { times.withLock { $0.append(t) } }
    var all: [Int64] { times.withLock { $0 } }
}

func percentile(_ values: [Int64], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
    return Double(sorted[max(0, index)]) / 1e6
}

func ms(_ v: Double) -> String { v.isNaN ? "-" : FixedDecimal.format(v, decimals: 3) }

var path = "recordings/fatigue-back-kick.lrec"
var speed = 4.0
var repeats = 5
var device = "null"
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let a = arguments.next() {
    switch a {
    case "--speed": speed = Double(arguments.next() ?? "") ?? speed
    case "--repeat": repeats = Int(arguments.next() ?? "") ?? repeats
    case "--device": device = arguments.next() ?? device
    default: path = a
    }
}

var settings = SoundSettings()
settings.device = device
let player: SoundPlayer
do {
    player = try SoundPlayer(settings: settings) { print("sound: \($0)") }
} catch {
    print("bench-sound: \(error)")
    exit(1)
}
let hub = DashboardHub()
let subscription = hub.subscribe(.events)
let receiver = SSEReceiver()
let reader = Task.detached {
    while let chunk = await subscription.next() {
        // A chunk holds every event queued since the writer's last wake-up: stamp each lumbar_moved in it,
        // in order (the hub delivers in publication order), so the n-th receipt pairs with the n-th emission.
        let now = HostClock.nanoseconds()
        for _ in 0..<(chunk.components(separatedBy: "\"type\":\"lumbar_moved\"").count - 1) { receiver.add(now) }
    }
}

var outputs = SessionOutputPair(SoundOutput(player: player), StampedDashboard(dashboard: DashboardOutput(hub: hub)))
for _ in 0..<repeats {
    let input: SessionInput
    do { input = try SessionInput(path: path) } catch {
        print("bench-sound: \(error)")
        exit(1)
    }
    let pipeline = SessionPipeline(settings: SessionPipeline.Settings())
    let start = HostClock.nanoseconds()
    while let t = try input.step(into: pipeline, output: &outputs) {
        let due = start + Int64(t / speed * 1e9)
        let wait = due - HostClock.nanoseconds()
        if wait > 0 {
            var ts = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
            nanosleep(&ts, nil)
        }
    }
    pipeline.finish(into: &outputs)
}
outputs.first.finish()
try? await Task.sleep(for: .milliseconds(200))
hub.close()
_ = await reader.value

let sound = player.alertLatencies()
let emitted = outputs.second.emitted
let received = receiver.all
if emitted.count != received.count {
    print("bench-sound: \(emitted.count) lumbar_moved emitted but \(received.count) received by the SSE writer")
}
let browser = zip(emitted, received).map { $1 - $0 }
let rate = player.sampleRate
print("bench-sound: \(path), \(repeats)x at --speed \(FixedDecimal.format(speed, decimals: 1)), release build")
print("ALSA device \(player.deviceDescription)")
print("")
print("| path (per lumbar_moved) | alerts | p50 ms | p99 ms | max ms |")
print("|---|---|---|---|---|")
print("| sound: emission -> first cue frame taken by snd_pcm_writei | \(sound.count) | \(ms(percentile(sound, 50))) | \(ms(percentile(sound, 99))) | \(ms(percentile(sound, 100))) |")
print("| dashboard: emission -> SSE writer has the chunk | \(browser.count) | \(ms(percentile(browser, 50))) | \(ms(percentile(browser, 99))) | \(ms(percentile(browser, 100))) |")
print("")
let periodMs = Double(player.periodFrames) / Double(rate) * 1000
print("A sound card then plays the first frame within one period (\(ms(periodMs)) ms) of the write, plus its own output latency;")
print("target p99 <= 5 ms + one period = \(ms(5 + periodMs)) ms. The browser adds the network, its event loop and Web Audio's output latency.")
