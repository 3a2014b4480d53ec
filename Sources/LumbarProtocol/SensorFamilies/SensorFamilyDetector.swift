/// Tells which family an unknown port speaks from the first bytes it sent, without sending it anything
/// (a write could reconfigure a device we do not know).
///
/// Every family's decoder reads the same bytes; a family is named when its decoder recognised at least
/// `minimumMessages` messages and at most a third of the bytes were skipped by it, and no other family
/// qualifies with more recognised bytes. The formats are far apart (COBS frames with a CRC, 11-byte
/// checksummed packets, LF-terminated letter-tagged or byte-stuffed messages, numeric lines), so garbage
/// at the start (a port opened mid-message) does not confuse them.
public enum SensorFamilyDetector {
    /// What the first bytes say.
    public enum Verdict: Sendable, Hashable {
        /// This family, with the number of messages that proved it.
        case family(SensorFamily, messages: UInt64)
        /// Not enough evidence yet: read more bytes and ask again.
        case undecided
    }

    /// Messages a family must show before it is named.
    public static let minimumMessages: UInt64 = 3

    /// The family `bytes` (the first bytes read from a port, in order) are in.
    public static func detect(_ bytes: [UInt8]) -> Verdict {
        var candidates: [(family: SensorFamily, messages: UInt64, recognised: UInt64)] = []
        let total = UInt64(bytes.count)

        var frames = FrameDecoder()
        frames.decode(bytes) { _ in }
        let lumbarDropped = frames.counters.droppedFrames
        if frames.counters.frames >= minimumMessages, lumbarDropped <= frames.counters.frames / 2 {
            candidates.append((.lumbar, frames.counters.frames, total))
        }
        var ximu3 = XIMU3Decoder()
        ximu3.decode(bytes) { _ in }
        consider(.xIMU3, ximu3.counters, total, samplesRequired: false, &candidates)
        var wit = WitMotionDecoder()
        wit.decode(bytes, receivedAt: 0) { _ in }
        consider(.witMotion, wit.counters, total, samplesRequired: true, &candidates)
        var text = TextLineDecoder()
        text.decode(bytes) { _ in }
        consider(.textLines, text.counters, total, samplesRequired: true, &candidates)

        guard let best = candidates.max(by: { ($0.recognised, $0.messages) < ($1.recognised, $1.messages) }) else {
            return .undecided
        }
        return .family(best.family, messages: best.messages)
    }

    private static func consider(
        _ family: SensorFamily, _ counters: SensorFamilyCounters, _ total: UInt64, samplesRequired: Bool,
        _ candidates: inout [(family: SensorFamily, messages: UInt64, recognised: UInt64)]
    ) {
        guard counters.messages >= minimumMessages, !samplesRequired || counters.samples >= minimumMessages,
            counters.skippedBytes * 3 <= total
        else { return }
        candidates.append((family, counters.messages, total - counters.skippedBytes))
    }
}
