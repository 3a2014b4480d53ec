/// How `lumbar live --sound` / `replay --sound` sound: the ALSA device, loudness, espeak-ng's language
/// and voice, and which cues speak. Parsed from options and the config's `[sound]` section.
public struct SoundSettings: Sendable, Hashable {
    /// The ALSA PCM to play on: "default" (the desktop's mixer or the first card), "plughw:1,0" (a
    /// USB speaker, card 1, converted to its rate), or any name an asound.conf defines.
    public var device: String
    /// Loudness of every clip, 0...1 of full scale (linear gain applied when the clips are rendered).
    public var volume: Double
    /// espeak-ng's language (its voice name), e.g. "en", "en-us", "de", "fr".
    public var language: String
    /// An espeak-ng voice variant, e.g. "f3" or "m1"; nil = the language's default voice.
    public var voice: String?
    /// Speaking rate, words per minute (espeak-ng: 80...450).
    public var wordsPerMinute: Int
    /// The spoken cue groups; the beeps and ticks always sound (unless muted).
    public var spoken: Set<SpokenCue>
    /// ALSA period, frames: the device wakes the audio thread this often; it bounds the latency a device
    /// adds (128 frames at 22050 Hz = 5.8 ms).
    public var periodFrames: Int
    /// ALSA buffer, in periods.
    public var periods: Int

    public init(
        device: String = "default", volume: Double = 0.8, language: String = "en", voice: String? = nil,
        wordsPerMinute: Int = 185, spoken: Set<SpokenCue> = Set(SpokenCue.allCases), periodFrames: Int = 128,
        periods: Int = 4
    ) {
        self.device = device
        self.volume = volume
        self.language = language
        self.voice = voice
        self.wordsPerMinute = wordsPerMinute
        self.spoken = spoken
        self.periodFrames = periodFrames
        self.periods = periods
    }

    /// The espeak-ng voice name: language, then `+variant` when a voice is given.
    public var espeakVoice: String { voice.map { "\(language)+\($0)" } ?? language }

    /// Applies one `key = value` of the config's `[sound]` section (`source` names the file and line in errors).
    ///
    /// Keys: device, volume (0-100 %), language, voice, rate (words per minute), speak (a comma list of
    /// `SpokenCue` names, or none), counts (on/off).
    public mutating func apply(key: String, value: String, source: String) throws(SoundError) {
        switch key {
        case "device": device = value
        case "volume": volume = try Self.parsed(source) { () throws(SoundError) in try Self.volume(value) }
        case "language": language = value
        case "voice": voice = value.isEmpty ? nil : value
        case "rate":
            guard let wpm = Int(value), (80...450).contains(wpm) else {
                throw SoundError("\(source): rate '\(value)' is not a speaking rate (80 to 450 words per minute).")
            }
            wordsPerMinute = wpm
        case "speak": spoken = try Self.parsed(source) { () throws(SoundError) in try Self.spoken(value) }
        case "counts":
            switch value {
            case "on", "yes", "true": spoken.insert(.counts)
            case "off", "no", "false": spoken.remove(.counts)
            default: throw SoundError("\(source): counts '\(value)' is not on or off.")
            }
        default:
            throw SoundError("\(source): unknown key '\(key)' in [sound] (expected device, volume, language, voice, rate, speak or counts).")
        }
    }

    /// A volume in percent (0-100) as a gain 0...1 (`--volume`, the config's `volume`).
    /// - Throws: `SoundError` saying what is wrong, without naming where the text came from.
    public static func volume(_ text: String) throws(SoundError) -> Double {
        guard let percent = Double(text), percent >= 0, percent <= 100 else {
            throw SoundError("volume '\(text)' is not a percentage from 0 to 100")
        }
        return percent / 100
    }

    /// A comma list of spoken cue groups ("counts,corrections"), or "none"/"all" (`--speak`, the
    /// config's `speak`).
    /// - Throws: `SoundError` saying what is wrong, without naming where the text came from.
    public static func spoken(_ text: String) throws(SoundError) -> Set<SpokenCue> {
        if text == "none" { return [] }
        if text == "all" { return Set(SpokenCue.allCases) }
        var set = Set<SpokenCue>()
        for item in text.split(separator: ",") {
            let name = item.filter { $0 != " " }
            guard let cue = SpokenCue(rawValue: name) else {
                let known = SpokenCue.allCases.map(\.rawValue).joined(separator: ", ")
                throw SoundError("'\(name)' is not a spoken cue (expected \(known), all or none)")
            }
            set.insert(cue)
        }
        return set
    }

    /// `parse()`, its error prefixed with `source` (the config file and line) and ended with a full stop.
    private static func parsed<T>(_ source: String, _ parse: () throws(SoundError) -> T) throws(SoundError) -> T {
        do { return try parse() } catch { throw SoundError("\(source): \(error.description).") }
    }
}

/// A group of spoken cues that can be switched off on its own.
public enum SpokenCue: String, Sendable, Hashable, CaseIterable {
    /// The rep count after each rep ("seven").
    case counts
    /// "back arched", "pelvis turning", "slower", "not counted: too small".
    case corrections
    /// "set one: ten reps, eight clean" when a set ends.
    case summaries
    /// "stand still, upright" until calibrated, then "ready".
    case calibration
}

/// Sound that cannot be set up or played, as one line naming the device or setting.
public struct SoundError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
