import Testing
@testable import LumbarSound

/// The playlist rules on a bank of flat clips: clip i is 40 samples of value i + 1.
@Suite struct SoundEngineTests {
    static let clipCount = SoundBank.spokenTexts.count + 3
    static let bank = SoundBank(sampleRate: 1000, clips: (0..<clipCount).map { [Int16](repeating: Int16($0 + 1), count: 40) })

    func cue(_ clip: Clip, _ kind: CueKind, at t: Int64 = 0) -> QueuedCue {
        QueuedCue(clip: Self.bank.index(of: clip)!, kind: kind, decidedAt: t)
    }

    /// Renders everything left, in chunks of `chunk` frames; returns the clip values in play order (one per clip run).
    func play(_ engine: inout SoundEngine, now: Int64 = 0, chunk: Int = 16, limit: Int = .max) -> [Int16] {
        var out: [Int16] = []
        var buffer = [Int16](repeating: 0, count: chunk)
        while out.count < limit {
            let r = buffer.withUnsafeMutableBufferPointer { engine.render(into: $0, now: now) }
            if r.frames == 0 { break }
            out += buffer[0..<min(r.frames, limit - out.count)]
        }
        return out
    }

    func value(_ clip: Clip) -> Int16 { Int16(Self.bank.index(of: clip)! + 1) }

    @Test func clipsPlayBackToBackInTheOrderQueued() {
        var engine = SoundEngine(bank: Self.bank)
        engine.submit(cue(.tick, .tick))
        engine.submit(cue(.number(7), .count))
        let out = play(&engine)
        #expect(out == [Int16](repeating: value(.tick), count: 40) + [Int16](repeating: value(.number(7)), count: 40))
        #expect(engine.isIdle)
    }

    @Test func anAlertCutsTheWordPlayingAndDropsTheQueuedOnes() {
        var engine = SoundEngine(bank: Self.bank)
        engine.submit(cue(.number(7), .count))
        engine.submit(cue(.phrase(.slower), .correction))
        let before = play(&engine, limit: 16)
        #expect(before == [Int16](repeating: value(.number(7)), count: 16))
        let interrupts = engine.submit(cue(.alertFirst, .alert))
        #expect(interrupts)
        engine.submit(cue(.phrase(.backArched), .correction))
        let after = play(&engine)
        #expect(after == [Int16](repeating: value(.alertFirst), count: 40) + [Int16](repeating: value(.phrase(.backArched)), count: 40))
        #expect(engine.dropped == 2)
    }

    @Test func aNewerCountMakesTheQueuedOneStale() {
        var engine = SoundEngine(bank: Self.bank)
        engine.submit(cue(.number(6), .count))
        engine.submit(cue(.tick, .tick))
        engine.submit(cue(.number(7), .count))
        #expect(Set(play(&engine)) == [value(.tick), value(.number(7))])
    }

    @Test func aCueThatWaitedPastItsKindsDelayIsDroppedUnplayed() {
        var engine = SoundEngine(bank: Self.bank)
        engine.submit(cue(.number(3), .count, at: 0))
        engine.submit(cue(.phrase(.set), .summary, at: 0))
        let out = play(&engine, now: 3_000_000_000)
        #expect(out == [Int16](repeating: value(.phrase(.set)), count: 40))
        #expect(engine.dropped == 1)
    }

    @Test func mutingCutsWhatPlaysAndRefusesCuesUntilUnmuted() {
        var engine = SoundEngine(bank: Self.bank)
        engine.submit(cue(.number(3), .count))
        _ = play(&engine, limit: 16)
        let cut = engine.setMuted(true)
        #expect(cut)
        let interrupts = engine.submit(cue(.alertFirst, .alert))
        #expect(!interrupts)
        #expect(play(&engine).isEmpty)
        engine.setMuted(false)
        engine.submit(cue(.alertFirst, .alert))
        #expect(play(&engine).count == 40)
    }
}
