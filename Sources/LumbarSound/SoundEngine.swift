/// One clip waiting or playing: its place in the bank, its kind, and when the session decided it.
public struct QueuedCue: Sendable, Hashable {
    /// Index into `SoundBank.ranges`.
    public var clip: Int
    public var kind: CueKind
    /// `HostClock.nanoseconds()` when the event that asked for it was emitted.
    public var decidedAt: Int64

    public init(clip: Int, kind: CueKind, decidedAt: Int64) {
        self.clip = clip
        self.kind = kind
        self.decidedAt = decidedAt
    }
}

/// The audio thread's playlist, pure (values in, samples out; the caller passes the time): which clip
/// plays, what waits, what an alert cuts and what went stale. Fixed capacity: nothing allocates once
/// made.
///
/// Rules: an alert stops the clip playing (speech or tick) and drops every queued word and tick, then
/// plays at once (the caller drops what the device still holds: `submit` says so); a count or
/// correction makes a queued one of its kind stale; "ready" makes a queued "stand still" stale; a cue
/// that waited longer than its kind's `maximumDelayNanoseconds` is dropped unplayed.
public struct SoundEngine: Sendable {
    public let bank: SoundBank
    /// The most cues waiting at once; more are dropped (the oldest words would be stale anyway).
    public static let capacity = 64
    private var queue: [QueuedCue]
    private var playing: QueuedCue?
    private var position = 0
    /// Cues dropped unplayed (cut, stale or overflow), for the summary and tests.
    public private(set) var dropped = 0
    /// While muted nothing is queued or played.
    public private(set) var muted = false

    public init(bank: SoundBank) {
        self.bank = bank
        queue = []
        queue.reserveCapacity(Self.capacity)
    }

    /// True when nothing plays or waits.
    public var isIdle: Bool { playing == nil && queue.isEmpty }

    /// The cue playing, if any.
    public var current: QueuedCue? { playing }

    /// Queues `cue`; returns true when it interrupts (an alert): the caller must drop the frames the
    /// device still holds before writing again.
    @discardableResult
    public mutating func submit(_ cue: QueuedCue) -> Bool {
        guard !muted else { return false }
        switch cue.kind {
        case .alert:
            // Whatever plays or waits is cut: speech, ticks, and alerts not started yet (superseded).
            dropped += queue.count + (playing == nil ? 0 : 1)
            playing = nil
            position = 0
            queue.removeAll(keepingCapacity: true)
            queue.append(cue)
            return true
        case .count, .correction, .calibration:
            let before = queue.count
            queue.removeAll { $0.kind == cue.kind }
            dropped += before - queue.count
        case .tick, .summary:
            break
        }
        guard queue.count < Self.capacity else {
            dropped += 1
            return false
        }
        queue.append(cue)
        return false
    }

    /// Stops everything and refuses cues while `muted`; returns true when something was cut (drop the device).
    @discardableResult
    public mutating func setMuted(_ muted: Bool) -> Bool {
        self.muted = muted
        guard muted else { return false }
        let cut = !isIdle
        dropped += queue.count + (playing == nil ? 0 : 1)
        queue.removeAll(keepingCapacity: true)
        playing = nil
        position = 0
        return cut
    }

    /// What one `render` call produced.
    public struct Rendered: Sendable, Hashable {
        /// Frames written to the buffer (0 = idle).
        public var frames: Int
        /// When an alert started in this chunk: its `decidedAt` (for the latency measurement).
        public var alertDecidedAt: Int64?
    }

    /// Fills `buffer` with the next frames (clips back to back, no silence between them), dropping cues
    /// that went stale by `now` (host ns). Fewer frames than the buffer holds means the playlist ran out.
    public mutating func render(into buffer: UnsafeMutableBufferPointer<Int16>, now: Int64) -> Rendered {
        var result = Rendered(frames: 0, alertDecidedAt: nil)
        while result.frames < buffer.count {
            if playing == nil {
                guard let next = takeNext(now: now) else { break }
                playing = next
                position = 0
                if next.kind == .alert { result.alertDecidedAt = next.decidedAt }
            }
            let range = bank.ranges[playing!.clip]
            let n = min(range.count - position, buffer.count - result.frames)
            bank.samples.withUnsafeBufferPointer { samples in
                let source = samples.baseAddress! + range.lowerBound + position
                (buffer.baseAddress! + result.frames).update(from: source, count: n)
            }
            position += n
            result.frames += n
            if position == range.count {
                playing = nil
                position = 0
            }
        }
        return result
    }

    /// The oldest queued cue still true at `now`; stale ones are dropped on the way.
    private mutating func takeNext(now: Int64) -> QueuedCue? {
        while !queue.isEmpty {
            let cue = queue.removeFirst()
            if now - cue.decidedAt <= cue.kind.maximumDelayNanoseconds { return cue }
            dropped += 1
        }
        return nil
    }
}
