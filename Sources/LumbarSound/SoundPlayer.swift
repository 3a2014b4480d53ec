import LumbarIO
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import LumbarCore
import LumbarThreads

/// Plays cues on an ALSA device from a dedicated audio thread.
///
/// The session thread only appends small values (`QueuedCue`) to a preallocated list under a lock
/// and writes one byte to a wake-up pipe: no synthesis, no allocation on the alert path. The audio
/// thread moves them into its `SoundEngine`, drops what the device still holds when an alert cuts in
/// (`snd_pcm_drop`), and writes a period at a time to the non-blocking PCM, waiting in `poll` on the
/// PCM and the pipe, so an alert is written the moment it arrives rather than after the period in
/// progress.
///
/// A device that fails mid-session (a USB speaker pulled) is reported once through `report` and the
/// player goes silent; the session goes on.
public final class SoundPlayer: @unchecked Sendable {
    // @unchecked: `pcm`, `engine` and the scratch buffers are touched only by the audio thread after
    // `init`; everything shared goes through `commands`, `muted`, `failed` and `latencies`.
    public let bank: SoundBank
    public let settings: SoundSettings
    private let pcm: AlsaPCM
    private var engine: SoundEngine
    private let report: @Sendable (String) -> Void
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let muted = Atomic<Bool>(false)
    private let failed = Atomic<Bool>(false)
    private var thread: OSThread?

    private struct Commands {
        var cues: [QueuedCue] = []
        var mute: Bool?
        var stop = false
    }
    private let commands: Mutex<Commands>
    /// Per alert: ns from its event's emission to ALSA taking its first frames (at most `latencyCapacity`).
    private let latencies: Mutex<[Int64]>
    static let latencyCapacity = 1 << 16

    /// Renders every clip (espeak-ng), opens the ALSA device and starts the audio thread.
    ///
    /// - Throws: `SoundError`, one line: no such device, busy, espeak-ng or its voice missing.
    public init(settings: SoundSettings, report: @escaping @Sendable (String) -> Void) throws(SoundError) {
        let bank = try SoundBank.render(settings)
        self.bank = bank
        self.settings = settings
        self.report = report
        pcm = try AlsaPCM(
            device: settings.device, sampleRate: bank.sampleRate, periodFrames: settings.periodFrames, periods: settings.periods)
        guard pcm.sampleRate == bank.sampleRate else {
            throw SoundError(
                "ALSA device '\(settings.device)' does not play \(bank.sampleRate) Hz (it offered \(pcm.sampleRate) Hz): use 'default' or a 'plughw:CARD,DEVICE' name.")
        }
        engine = SoundEngine(bank: bank)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw SoundError("Sound: could not create the audio thread's wake-up pipe: \(Errno.current).")
        }
        (wakeRead, wakeWrite) = (fds[0], fds[1])
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        var list = Commands()
        list.cues.reserveCapacity(SoundEngine.capacity)
        commands = Mutex(list)
        var log: [Int64] = []
        log.reserveCapacity(Self.latencyCapacity)
        latencies = Mutex(log)
        thread = OSThread(name: "lumbar-sound") { [self] in loop() }
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// The device as opened, for a log line: name, rate, period and buffer with their durations.
    public var deviceDescription: String {
        let ms = { (frames: Int) in FixedPoint.milliseconds(frames, rate: self.pcm.sampleRate) }
        return "'\(pcm.device)' \(pcm.sampleRate) Hz mono, period \(pcm.periodFrames) frames (\(ms(pcm.periodFrames)) ms), "
            + "buffer \(pcm.bufferFrames) frames (\(ms(pcm.bufferFrames)) ms)"
    }

    /// ALSA period and buffer as opened, frames, and the rate, Hz.
    public var periodFrames: Int { pcm.periodFrames }
    public var bufferFrames: Int { pcm.bufferFrames }
    public var sampleRate: Int { pcm.sampleRate }

    /// Queues cues decided at `decidedAt` (`HostClock.nanoseconds()`). Called on the session thread:
    /// no allocation (the list keeps its capacity), one lock, one byte to the pipe.
    public func submit(_ requests: [CueRequest], decidedAt: Int64) {
        guard !requests.isEmpty, !muted.load(ordering: .relaxed), !failed.load(ordering: .relaxed) else { return }
        commands.withLock { list in
            for request in requests {
                guard list.cues.count < SoundEngine.capacity, let clip = bank.index(of: request.clip) else { continue }
                list.cues.append(QueuedCue(clip: clip, kind: request.kind, decidedAt: decidedAt))
            }
        }
        wake()
    }

    /// Mutes (cutting what plays) or unmutes; from any thread (the dashboard's mute button).
    public func setMuted(_ muted: Bool) {
        self.muted.store(muted, ordering: .relaxed)
        commands.withLock { $0.mute = muted }
        wake()
    }

    public var isMuted: Bool { muted.load(ordering: .relaxed) }

    /// Plays out what is queued, then stops the audio thread. Call once, at the end of the session.
    public func finish() {
        commands.withLock { $0.stop = true }
        wake()
        thread?.join()
        thread = nil
    }

    /// Alert latencies so far, ns: from the `lumbar_moved` event's emission to ALSA taking the cue's first frames.
    public func alertLatencies() -> [Int64] { latencies.withLock { $0 } }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: The audio thread

    private func loop() {
        var incoming: [QueuedCue] = []
        incoming.reserveCapacity(SoundEngine.capacity)
        let period = pcm.periodFrames
        let buffer = UnsafeMutableBufferPointer<Int16>.allocate(capacity: period)
        defer { buffer.deallocate() }
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)] + pcm.pollDescriptors()
        var pending = 0
        var offset = 0
        var alertDecidedAt: Int64?
        var stopping = false
        var scratch: UInt8 = 0
        while true {
            while read(wakeRead, &scratch, 1) > 0 {}
            var mute: Bool?
            commands.withLock { list in
                incoming.append(contentsOf: list.cues)
                list.cues.removeAll(keepingCapacity: true)
                mute = list.mute
                list.mute = nil
                if list.stop { stopping = true }
            }
            var cut = false
            if let mute, engine.setMuted(mute) { cut = true }
            for cue in incoming where engine.submit(cue) { cut = true }
            incoming.removeAll(keepingCapacity: true)
            if cut {
                pcm.dropPending()
                pending = 0
                alertDecidedAt = nil
            }
            if pending == 0 {
                let rendered = engine.render(into: buffer, now: HostClock.nanoseconds())
                pending = rendered.frames
                offset = 0
                if let decided = rendered.alertDecidedAt { alertDecidedAt = decided }
            }
            if pending == 0 && stopping { break }
            if pending > 0 {
                switch pcm.write(buffer.baseAddress! + offset, count: pending) {
                case .wrote(let n) where n > 0:
                    if let decided = alertDecidedAt {
                        let latency = HostClock.nanoseconds() - decided
                        latencies.withLock { if $0.count < Self.latencyCapacity { $0.append(latency) } }
                        alertDecidedAt = nil
                    }
                    offset += n
                    pending -= n
                    continue
                case .wrote:
                    break
                case .failed(let line):
                    failed.store(true, ordering: .relaxed)
                    report("\(line) Sound is off; the session goes on.")
                    return
                }
            }
            // Idle: wait for cues. Writing: wait for room in the device (or a cue that cuts in).
            let watched = pending > 0 ? fds.count : 1
            fds.withUnsafeMutableBufferPointer { p in
                for i in 0..<watched { p[i].revents = 0 }
                _ = poll(p.baseAddress, nfds_t(watched), pending > 0 ? 100 : 1000)
            }
        }
        pcm.drain()
    }
}

/// Milliseconds as text with one decimal, for log lines.
enum FixedPoint {
    static func milliseconds(_ frames: Int, rate: Int) -> String {
        let tenths = (frames * 10_000 + rate / 2) / max(rate, 1)
        return "\(tenths / 10).\(tenths % 10)"
    }
}
