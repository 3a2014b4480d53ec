import LumbarCore

/// Every clip the cues can play, rendered once at start-up into one block of mono 16-bit PCM: the
/// alert path only looks clips up by index and copies their samples.
public struct SoundBank: Sendable {
    /// The largest number spoken (counts and set summaries); a larger count is not spoken.
    public static let largestNumber = 99

    /// Frames per second of every clip (espeak-ng's rate; the tones are rendered at it).
    public let sampleRate: Int
    /// All clips back to back.
    public let samples: [Int16]
    /// Where each clip is in `samples`, by `index(of:)`.
    public let ranges: [Range<Int>]

    /// Renders the tones and, with espeak-ng, every phrase, rejection reason and number 0...99.
    ///
    /// - Throws: `SoundError` when espeak-ng cannot speak with the settings' voice.
    public static func render(_ settings: SoundSettings) throws(SoundError) -> SoundBank {
        let texts = Self.spokenTexts
        let speech = try SpeechSynthesizer.render(texts, voice: settings.espeakVoice, wordsPerMinute: settings.wordsPerMinute)
        let rate = speech.sampleRate
        let volume = settings.volume
        // Spoken clips keep a short pause after them, so that queued words do not run together.
        let pause = ToneSynth.pcm(ToneSynth.silence(0.08, sampleRate: rate), volume: 1)
        let spoken = speech.clips.map { clip in clip.map { Int16((Double($0) * volume).rounded()) } + pause }
        let tones = [ToneSynth.alertFirst(sampleRate: rate), ToneSynth.alertRepeat(sampleRate: rate), ToneSynth.tick(sampleRate: rate)]
            .map { ToneSynth.pcm($0, volume: volume) }
        return SoundBank(sampleRate: rate, clips: tones + spoken)
    }

    /// A bank from clips in `index(of:)` order (tones, phrases, rejection reasons, numbers).
    public init(sampleRate: Int, clips: [[Int16]]) {
        self.sampleRate = sampleRate
        var all: [Int16] = []
        var ranges: [Range<Int>] = []
        for clip in clips {
            ranges.append(all.count..<(all.count + clip.count))
            all += clip
        }
        samples = all
        self.ranges = ranges
    }

    /// The texts espeak-ng renders, in `index(of:)` order after the three tones.
    static var spokenTexts: [String] {
        Phrase.allCases.map(\.text)
            + RepRejectionWords.reasons.map { RepRejectionWords($0).text }
            + (0...largestNumber).map { String($0) }
    }

    private static let phraseBase = 3
    private static let reasonBase = phraseBase + Phrase.allCases.count
    private static let numberBase = reasonBase + RepRejectionWords.reasons.count

    /// The clip's index in `ranges`; nil for a number out of range. No allocation.
    public func index(of clip: Clip) -> Int? {
        switch clip {
        case .alertFirst: 0
        case .alertRepeat: 1
        case .tick: 2
        case .phrase(let p): Self.phraseBase + p.rawValue
        case .notCounted(let words): Self.reasonBase + words.index
        case .number(let n): (0...Self.largestNumber).contains(n) ? Self.numberBase + n : nil
        }
    }

    /// The samples of one clip.
    public func clip(_ clip: Clip) -> ArraySlice<Int16> {
        guard let i = index(of: clip) else { return [] }
        return samples[ranges[i]]
    }
}
