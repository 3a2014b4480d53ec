import ArgumentParser
import LumbarIO
import LumbarSound

/// The sound options shared by `lumbar live` and `lumbar replay` (`--sound` and how it sounds); the
/// config's `[sound]` section gives defaults, options override it.
struct SoundOptions: ParsableArguments {
    @Flag(help: "Play cues on this machine's audio output (ALSA): a sharp cue when the lower back moves, a tick per clean rep, spoken counts, corrections, set summaries and calibration prompts (espeak-ng). No audio device: one line, and the session goes on silently.")
    var sound = false

    @Option(name: .customLong("sound-device"), help: "The ALSA device for --sound (default 'default'; e.g. 'plughw:1,0' for a USB speaker, see 'aplay -L').")
    var soundDevice: String?

    /// Gain 0...1 (given in percent).
    @Option(help: "Loudness of the cues, percent (0-100; default 80).", transform: SoundSettings.volume)
    var volume: Double?

    @Option(help: "espeak-ng language of the spoken cues, e.g. en, en-us, de (default en; 'espeak-ng --voices' lists them).")
    var language: String?

    @Option(help: "espeak-ng voice variant, e.g. f3 or m1 (default: the language's own).")
    var voice: String?

    @Option(
        help: "Which cues speak: a comma list of counts, corrections, summaries, calibration; or all, none (default all).",
        transform: SoundSettings.spoken)
    var speak: Set<SpokenCue>?

    @Flag(name: .customLong("mute-counts"), help: "Do not speak the rep counts (the other cues still sound).")
    var muteCounts = false

    /// The settings: defaults, then the config's `[sound]` lines, then these options.
    /// - Throws: `ValidationError` naming the config line that is wrong.
    func settings(config: [ConfigEntry] = []) throws -> SoundSettings {
        var s = SoundSettings()
        do {
            for entry in config { try s.apply(key: entry.key, value: entry.value, source: entry.location) }
        } catch {
            throw ValidationError(error.description)
        }
        if let soundDevice { s.device = soundDevice }
        if let volume { s.volume = volume }
        if let language { s.language = language }
        if let voice { s.voice = voice }
        if let speak { s.spoken = speak }
        if muteCounts { s.spoken.remove(.counts) }
        return s
    }

    /// Starts the player when `--sound` was given; says in one line (through `say`) what plays where,
    /// or why there is no sound, in which case the session goes on silently (nil).
    func startPlayer(config: [ConfigEntry] = [], say: @escaping @Sendable (String) -> Void) throws -> SoundOutput? {
        guard sound else { return nil }
        let settings = try self.settings(config: config)
        do {
            let player = try SoundPlayer(settings: settings, report: say)
            say("Sound on \(player.deviceDescription)")
            return SoundOutput(player: player)
        } catch {
            say("No sound: \(error.description) The session goes on without it.")
            return nil
        }
    }
}
