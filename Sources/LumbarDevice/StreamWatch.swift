import LumbarProtocol

/// Watches a streaming sensor's bytes for samples and for its heartbeat's "streaming" flag, and decides
/// when it is stalled and when to send start-streaming again (with backoff).
///
/// Why: a sensor whose MCU restarts behind a USB-UART bridge (the port stays open), or that another
/// program told to stop, keeps sending heartbeats and nothing else. Without this it was never started
/// again, and the session flipped it between lost and connected on every heartbeat.
///
/// Stalled when, `startGrace` after the last start command, either a heartbeat says the device is not
/// streaming, or `stallTimeout` passed since the last sample batch while other bytes did arrive (a
/// port silent altogether is the pipeline's `timeout`, not a stall). Times are host ns.
struct StreamWatch: Sendable {
    private var decoder = FrameDecoder()
    /// Receive time of the last sample batch (or of the start of streaming).
    private(set) var lastSampleAt: Int64
    /// Receive time of the last bytes of any kind.
    private(set) var lastBytesAt: Int64
    /// When start-streaming was last sent.
    private(set) var lastStartAt: Int64
    /// A heartbeat since `lastStartAt + startGrace` said the device is not streaming.
    private(set) var reportedStopped = false
    /// Stalled: start attempts so far (0 while streaming) and when the next one is due.
    private(set) var attempts = 0
    private(set) var nextAttemptAt: Int64 = .max

    init(startedAt now: Int64) {
        lastSampleAt = now
        lastBytesAt = now
        lastStartAt = now
    }

    var isStalled: Bool { attempts > 0 }

    /// What bytes just told.
    enum Observation: Equatable {
        case nothing
        /// Samples came back after a stall.
        case resumed
    }

    /// Looks at bytes received at `now`.
    mutating func observe(_ bytes: UnsafeRawBufferPointer, at now: Int64, startGrace: Int64) -> Observation {
        lastBytesAt = now
        var samples = false
        var notStreaming = false
        decoder.decode(bytes) { output in
            switch output {
            case .packet(.sampleBatch): samples = true
            case .packet(.status(let status)) where !status.isStreaming: notStreaming = true
            default: break
            }
        }
        if samples {
            lastSampleAt = now
            reportedStopped = false
            if attempts > 0 {
                attempts = 0
                nextAttemptAt = .max
                return .resumed
            }
        } else if notStreaming, now - lastStartAt >= startGrace {
            reportedStopped = true
        }
        return .nothing
    }

    /// A start command was sent at `now` (the handshake, the configuration, a restart).
    mutating func started(at now: Int64) {
        lastStartAt = now
        reportedStopped = false
    }

    /// Whether start-streaming is due now; when it is, the attempt is counted and the next one
    /// scheduled (`restartBackoff` doubling up to its maximum). Returns the attempt number and the delay
    /// to the next attempt, nil when nothing is due.
    mutating func restartDue(at now: Int64, timing: DeviceSessionConfiguration.Timing) -> (attempt: Int, retryIn: Int64)? {
        if attempts == 0 {
            let silentSamples = now - lastSampleAt >= timing.stallTimeout && lastBytesAt > lastSampleAt
            guard now - lastStartAt >= timing.startGrace, reportedStopped || silentSamples else { return nil }
        } else if now < nextAttemptAt {
            return nil
        }
        attempts += 1
        let shift = min(attempts - 1, 30)
        let delay = min(timing.restartBackoffInitial << Int64(shift), timing.restartBackoffMaximum)
        nextAttemptAt = now + delay
        started(at: now)
        return (attempts, delay)
    }
}
