import Foundation
import LumbarCore
import Testing
@testable import LumbarSound

/// The real synthesiser and the real ALSA library, rendering to ALSA's `file` plugin (a WAV file over
/// the `null` device: ALSA's own `pcm.file` definition) instead of a sound card; the test reads the
/// WAV back.
@Suite(.serialized) struct AlsaRenderTests {
    static func device(_ path: String) -> String { "file:'\(path)',wav" }

    /// Plays `events` through a real player (audio thread, ALSA) into a WAV file and reads it back.
    static func render(_ events: [LumbarEvent], settings: SoundSettings) throws -> (wav: WAVFile, bank: SoundBank) {
        let scratch = Scratch()
        defer { scratch.remove() }
        var settings = settings
        settings.device = device(scratch.path + "/out.wav")
        let player = try SoundPlayer(settings: settings) { Issue.record("sound failed: \($0)") }
        var output = SoundOutput(player: player)
        for event in events { output.event(event) }
        output.finish()
        let wav = try #require(WAVFile(path: scratch.path + "/out.wav"), "ALSA's file plugin wrote no WAV")
        return (wav, player.bank)
    }

    @Test func theSpokenCountIsTheClipTheSynthesiserRenderedForIt() throws {
        var settings = SoundSettings()
        settings.spoken = [.counts]
        // Seven reps at once: the older counts may go stale behind newer ones, the last is always said.
        let events = (1...7).flatMap { [Events.repStarted($0), Events.completed($0)] }
        let (wav, bank) = try Self.render(events, settings: settings)
        #expect(wav.sampleRate == bank.sampleRate)
        let seven = bestMatch(of: bank.clip(.number(7)), in: wav.samples)
        #expect(seven.correlation > 0.999, "'seven' not found in the audio (best correlation \(seven.correlation))")
        // The count after the last rep is "seven", not another number: nothing else is spoken after it.
        let end = seven.offset + bank.clip(.number(7)).count
        #expect(wav.samples[end...].allSatisfy { $0 == 0 })
        let six = bestMatch(of: bank.clip(.number(6)), in: wav.samples, from: max(0, seven.offset - 1))
        #expect(six.correlation < 0.9)
    }

    @Test func theAlertsOnsetIsTheSharpCueAndARepeatIsADifferentCue() throws {
        var settings = SoundSettings()
        settings.spoken = []
        let (wav, bank) = try Self.render([Events.repStarted(1), Events.moved(1)], settings: settings)
        let first = bank.clip(.alertFirst)
        let onset = try #require(wav.samples.firstIndex { abs(Int($0)) > 1000 }, "no cue in the audio")
        let clipOnset = first.firstIndex { abs(Int($0)) > 1000 }! - first.startIndex
        let start = onset - clipOnset
        #expect(start >= 0)
        #expect(Array(wav.samples[start..<(start + first.count)]) == Array(first))
        // 440 Hz first (the clip's first beep): ~2 sign changes per period over its 140 ms.
        let beep = wav.samples[start..<(start + bank.sampleRate * 14 / 100)]
        let crossings = zip(beep, beep.dropFirst()).filter { ($0 < 0) != ($1 < 0) && $0 != 0 && $1 != 0 }.count
        #expect(abs(Double(crossings) / 0.14 / 2 - 440) < 20, "\(crossings) sign changes in 140 ms")
        let repeatCue = bank.clip(.alertRepeat)
        #expect(bestMatch(of: repeatCue, in: Array(first) + [Int16](repeating: 0, count: repeatCue.count)).correlation < 0.5)
    }

    /// The audio thread's steps, driven here one period at a time so that "during" is exact: the first
    /// ten periods of a spoken count reach ALSA, then the alert arrives.
    @Test func anAlertDuringSpeechCutsItAndPlaysAtOnce() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let bank = try SoundBank.render(SoundSettings())
        let path = scratch.path + "/cut.wav"
        let period = 128
        do {
            let pcm = try AlsaPCM(device: Self.device(path), sampleRate: bank.sampleRate, periodFrames: period, periods: 4)
            var engine = SoundEngine(bank: bank)
            var buffer = [Int16](repeating: 0, count: pcm.periodFrames)
            func step() -> Int {
                let r = buffer.withUnsafeMutableBufferPointer { engine.render(into: $0, now: 0) }
                var done = 0
                while done < r.frames {
                    guard case .wrote(let n) = buffer.withUnsafeBufferPointer({ pcm.write($0.baseAddress! + done, count: r.frames - done) })
                    else { Issue.record("ALSA write failed"); return 0 }
                    done += n
                }
                return r.frames
            }
            engine.submit(QueuedCue(clip: bank.index(of: .number(17))!, kind: .count, decidedAt: 0))
            for _ in 0..<10 { #expect(step() == pcm.periodFrames) }
            let interrupts = engine.submit(QueuedCue(clip: bank.index(of: .alertFirst)!, kind: .alert, decidedAt: 0))
            #expect(interrupts)
            pcm.dropPending()
            while step() > 0 {}
        }
        let wav = try #require(WAVFile(path: path))
        let spoken = bank.clip(.number(17))
        let alert = bank.clip(.alertFirst)
        let cut = 10 * period
        #expect(spoken.count > cut + alert.count, "the word must be longer than what plays before the alert")
        #expect(wav.samples.count == cut + alert.count)
        #expect(Array(wav.samples[0..<cut]) == Array(spoken.prefix(cut)))
        #expect(Array(wav.samples[cut...]) == Array(alert))
    }

    @Test func aDeviceThatDoesNotExistIsOneLineNamingIt() {
        var settings = SoundSettings()
        settings.device = "lumbar_no_such_device"
        #expect {
            _ = try SoundPlayer(settings: settings) { _ in }
        } throws: { error in
            "\(error)" == "ALSA could not open 'lumbar_no_such_device': No such file or directory."
        }
    }

    @Test func anUnknownVoiceIsOneLineNamingIt() {
        var settings = SoundSettings()
        settings.language = "xx-nonexistent"
        #expect {
            _ = try SoundBank.render(settings)
        } throws: { error in
            "\(error)".contains("espeak-ng has no voice 'xx-nonexistent'")
        }
    }
}
