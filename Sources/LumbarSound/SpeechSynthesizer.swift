import CEspeakNG
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// espeak-ng, used once at start-up to render every word the cues speak into memory (never on the
/// alert path). espeak-ng is one global engine per process: calls are serialised here.
public enum SpeechSynthesizer {
    /// The engine's output rate, Hz, once initialised (espeak-ng: 22050).
    private static let engine = Mutex<Int32?>(nil)

    /// Renders each text with `voice` (espeak-ng's name, e.g. "en", "de+f3") at `wordsPerMinute`;
    /// returns the sample rate and one mono 16-bit clip per text, leading silence trimmed.
    ///
    /// - Throws: `SoundError` when espeak-ng or its data cannot be loaded or has no such voice.
    public static func render(
        _ texts: [String], voice: String, wordsPerMinute: Int
    ) throws(SoundError) -> (sampleRate: Int, clips: [[Int16]]) {
        let result: Result<(Int, [[Int16]]), SoundError> = engine.withLock { rate in
            if rate == nil {
                let r = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, Int32(espeakINITIALIZE_DONT_EXIT))
                guard r > 0 else {
                    return .failure(SoundError("espeak-ng could not start (is espeak-ng-data installed?): speech is unavailable."))
                }
                rate = r
                espeak_SetSynthCallback { wav, count, events in
                    guard let wav, count > 0, let sink = events?.pointee.user_data else { return 0 }
                    let buffer = sink.assumingMemoryBound(to: [Int16].self)
                    buffer.pointee.append(contentsOf: UnsafeBufferPointer(start: wav, count: Int(count)))
                    return 0
                }
            }
            guard espeak_SetVoiceByName(voice) == EE_OK else {
                return .failure(SoundError("espeak-ng has no voice '\(voice)' (see 'espeak-ng --voices')."))
            }
            espeak_SetParameter(espeakRATE, Int32(wordsPerMinute), 0)
            var clips: [[Int16]] = []
            for text in texts {
                var samples: [Int16] = []
                let status = withUnsafeMutablePointer(to: &samples) { sink in
                    text.withCString { cText in
                        espeak_Synth(cText, strlen(cText) + 1, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8), nil, sink)
                    }
                }
                guard status == EE_OK, !samples.isEmpty else {
                    return .failure(SoundError("espeak-ng could not speak '\(text)' with voice '\(voice)'."))
                }
                clips.append(trimLeadingSilence(samples))
            }
            return .success((Int(rate!), clips))
        }
        switch result {
        case .success(let value): return (value.0, value.1)
        case .failure(let error): throw error
        }
    }

    /// Drops the quiet start espeak-ng puts before a word (below 1% of full scale), keeping 5 ms, so a
    /// count follows its rep at once.
    static func trimLeadingSilence(_ samples: [Int16]) -> [Int16] {
        guard let first = samples.firstIndex(where: { abs(Int($0)) > 327 }) else { return samples }
        return Array(samples[max(0, first - 110)...])
    }
}
