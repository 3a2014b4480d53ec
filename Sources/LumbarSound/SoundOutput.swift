import LumbarCore
import LumbarIO
import LumbarSession

/// The session's sound, as one of the pipeline's outputs (beside the terminal, JSON Lines and the
/// dashboard): each event becomes cues (`CueScript`) handed to the `SoundPlayer`, stamped with the
/// moment the event was emitted. `sample` does nothing.
///
/// ```swift
/// let player = try SoundPlayer(settings: settings) { log.error("\($0)") }
/// var outputs = SessionOutputPair(exporter, SoundOutput(player: player))
/// // … run the pipeline into `outputs`, then:
/// outputs.second.finish()   // the last set's summary, played out
/// ```
public struct SoundOutput: SessionOutput {
    public let player: SoundPlayer
    private var script: CueScript
    /// Reused for every event: keeps its capacity, so the alert path does not allocate.
    private var requests: [CueRequest] = []

    public init(player: SoundPlayer) {
        self.player = player
        script = CueScript(spoken: player.settings.spoken)
        requests.reserveCapacity(16)
    }

    public mutating func sample(_ sample: SessionSample) {}

    public mutating func event(_ event: LumbarEvent) {
        let decidedAt = HostClock.nanoseconds()
        requests.removeAll(keepingCapacity: true)
        script.cues(for: event, into: &requests)
        player.submit(requests, decidedAt: decidedAt)
    }

    /// Speaks the last set's summary, plays out everything queued and stops the audio thread.
    public mutating func finish() {
        requests.removeAll(keepingCapacity: true)
        script.finish(into: &requests)
        player.submit(requests, decidedAt: HostClock.nanoseconds())
        player.finish()
    }
}
