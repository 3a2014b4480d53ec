import LumbarCore

/// What a queued clip is: decides what an alert cuts and which words go stale.
public enum CueKind: UInt8, Sendable, Hashable {
    /// A lumbar alert beep: cuts whatever plays and every queued word and tick.
    case alert
    /// A clean rep's tick.
    case tick
    /// A rep count: a newer count makes a queued one stale.
    case count
    /// A correction ("back arched", "slower", "not counted: …"): a newer one makes a queued one stale.
    case correction
    /// A part of a set summary (several clips, one group).
    case summary
    /// A calibration prompt: "ready" makes a queued "stand still, upright" stale.
    case calibration

    /// Session seconds after which a cue not yet started is no longer true and is dropped.
    public var maximumDelayNanoseconds: Int64 {
        switch self {
        case .alert: 500_000_000
        case .tick: 700_000_000
        case .count, .correction, .calibration: 2_500_000_000
        case .summary: 8_000_000_000
        }
    }
}

/// One clip to play and why.
public struct CueRequest: Sendable, Hashable {
    public var clip: Clip
    public var kind: CueKind
    public init(_ clip: Clip, _ kind: CueKind) {
        self.clip = clip
        self.kind = kind
    }
}

/// Turns session events into cues, pure: the coaching a physiotherapist next to the mat would give.
///
/// | event | cues |
/// |---|---|
/// | first sensor_connected before calibration | "stand still, upright" |
/// | calibrated | "ready" |
/// | rep_started of a new set | the previous set's summary: "set one: ten reps, eight clean" |
/// | lumbar_moved | the sharp cue (`alertFirst` for the rep's first, `alertRepeat` after); the first also says the direction ("back arched", "back rounding", "pelvis turning", "hips tilting", "back moving") |
/// | rep_completed | a tick when clean (no faults), the rep's count in its set ("seven"), "slower" when too fast |
/// | rep_rejected | "not counted: too small" (the reason) |
/// | end of session (`finish`) | the last set's summary |
///
/// Spoken groups not in `spoken` are left out; the beeps and ticks always sound.
public struct CueScript: Sendable {
    public var spoken: Set<SpokenCue>
    private var calibrated = false
    private var promptedToStandStill = false
    private var rep = -1
    private var alertsThisRep = 0
    private var currentSet: Int?
    private var setReps = 0
    private var setClean = 0

    public init(spoken: Set<SpokenCue> = Set(SpokenCue.allCases)) {
        self.spoken = spoken
    }

    /// Appends the cues for `event` to `cues` (which keeps its capacity: no allocation once warmed up).
    public mutating func cues(for event: LumbarEvent, into cues: inout [CueRequest]) {
        switch event {
        case .sensorConnected:
            if !calibrated && !promptedToStandStill {
                promptedToStandStill = true
                speak(.phrase(.standStill), .calibration, group: .calibration, into: &cues)
            }
        case .calibrated:
            calibrated = true
            speak(.phrase(.ready), .calibration, group: .calibration, into: &cues)
        case .repStarted(_, let number, let set, _):
            if let currentSet, currentSet != set { summary(into: &cues) }
            currentSet = set
            rep = number
            alertsThisRep = 0
        case .lumbarMoved(_, let number, _, let direction):
            if number != rep {
                rep = number
                alertsThisRep = 0
            }
            cues.append(CueRequest(alertsThisRep == 0 ? .alertFirst : .alertRepeat, .alert))
            if alertsThisRep == 0 { speak(.phrase(Self.correction(direction)), .correction, group: .corrections, into: &cues) }
            alertsThisRep += 1
        case .repCompleted(_, let record):
            if currentSet != record.set {
                if currentSet != nil { summary(into: &cues) }
                currentSet = record.set
            }
            setReps += 1
            let clean = record.faults.isEmpty
            if clean {
                setClean += 1
                cues.append(CueRequest(.tick, .tick))
            }
            speak(.number(setReps), .count, group: .counts, into: &cues)
            if record.faults.contains(.tooFast) { speak(.phrase(.slower), .correction, group: .corrections, into: &cues) }
        case .repRejected(_, let rejection):
            speak(.notCounted(RepRejectionWords(rejection.reason)), .correction, group: .corrections, into: &cues)
        case .lumbarSettled, .sensorLost:
            break
        }
    }

    /// The last set's summary, at the end of the session.
    public mutating func finish(into cues: inout [CueRequest]) {
        summary(into: &cues)
    }

    /// "set one: ten reps, eight clean" for the current set, then starts counting the next.
    private mutating func summary(into cues: inout [CueRequest]) {
        defer {
            setReps = 0
            setClean = 0
        }
        guard setReps > 0, let currentSet, spoken.contains(.summaries) else { return }
        cues.append(CueRequest(.phrase(.set), .summary))
        cues.append(CueRequest(.number(currentSet), .summary))
        cues.append(CueRequest(.number(setReps), .summary))
        cues.append(CueRequest(.phrase(.reps), .summary))
        cues.append(CueRequest(.number(setClean), .summary))
        cues.append(CueRequest(.phrase(.clean), .summary))
    }

    private func speak(_ clip: Clip, _ kind: CueKind, group: SpokenCue, into cues: inout [CueRequest]) {
        if spoken.contains(group) { cues.append(CueRequest(clip, kind)) }
    }

    /// What to say for a lumbar movement's direction.
    static func correction(_ direction: LumbarDirection) -> Phrase {
        switch direction {
        case .extension_: .backArched
        case .flexion: .backRounding
        case .rotationLeft, .rotationRight: .pelvisTurning
        case .lateralLeft, .lateralRight: .hipsTilting
        case .sagittal: .backMoving
        }
    }
}
