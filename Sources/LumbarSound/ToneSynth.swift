#if canImport(Glibc)
import Glibc
#endif

/// The non-speech cues as PCM, pure: the same numbers always give the same samples.
///
/// Shapes follow the dashboard's Web Audio cues (DashboardAssets+Script.swift) so a station with both
/// sounds alike: the alert is two harsh low square beeps (440 Hz 140 ms, then 330 Hz 180 ms), the
/// repeat one short 660 Hz square beep, the tick a soft 1760 Hz sine blip of 60 ms. Each starts with a
/// 5 ms attack ramp (no click) and decays exponentially to silence.
public enum ToneSynth {
    /// Full-scale amplitude of the alert relative to 1.0 (square waves are loud: 0.5 as the page's gain).
    static let alertGain = 0.5
    static let tickGain = 0.15

    /// One tone: `waveform` at `frequency` Hz for `seconds`, attack 5 ms then exponential decay to -80 dB.
    public static func tone(
        square: Bool, frequency: Double, seconds: Double, gain: Double, sampleRate: Int
    ) -> [Double] {
        let count = Int(seconds * Double(sampleRate))
        let attack = 0.005 * Double(sampleRate)
        return (0..<count).map { i in
            let t = Double(i) / Double(sampleRate)
            let phase = t * frequency
            let wave = square ? (phase - phase.rounded(.down) < 0.5 ? 1.0 : -1.0) : sin(2 * Double.pi * phase)
            let envelope = Double(i) < attack ? Double(i) / attack : pow(1e-4, (Double(i) - attack) / Double(count))
            return wave * envelope * gain
        }
    }

    /// `seconds` of silence.
    public static func silence(_ seconds: Double, sampleRate: Int) -> [Double] {
        [Double](repeating: 0, count: Int(seconds * Double(sampleRate)))
    }

    /// The first alert of a rep: two beeps, 30 ms apart.
    public static func alertFirst(sampleRate: Int) -> [Double] {
        tone(square: true, frequency: 440, seconds: 0.14, gain: alertGain, sampleRate: sampleRate)
            + silence(0.03, sampleRate: sampleRate)
            + tone(square: true, frequency: 330, seconds: 0.18, gain: alertGain, sampleRate: sampleRate)
    }

    /// A repeat alert in the same rep: one shorter, higher beep.
    public static func alertRepeat(sampleRate: Int) -> [Double] {
        tone(square: true, frequency: 660, seconds: 0.12, gain: alertGain, sampleRate: sampleRate)
    }

    /// A clean rep.
    public static func tick(sampleRate: Int) -> [Double] {
        tone(square: false, frequency: 1760, seconds: 0.06, gain: tickGain, sampleRate: sampleRate)
    }

    /// Scales by `volume` (0...1) and quantises to signed 16-bit, clipping.
    public static func pcm(_ samples: [Double], volume: Double) -> [Int16] {
        samples.map { Int16(max(-32767, min(32767, ($0 * volume * 32767).rounded()))) }
    }
}
