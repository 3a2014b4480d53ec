import LumbarCore
import LumbarMotion

/// The step from the merged sample stream to the motion analysis: feeds `MotionAnalyzer` every merged
/// sample and forwards the events it produces, reusing one event buffer (no allocation per sample).
struct MotionStage {
    var analyzer: MotionAnalyzer
    private var events = EventBuffer()

    init(settings: MotionAnalyzer.Settings) {
        analyzer = MotionAnalyzer(settings: settings)
    }

    @inline(__always)
    mutating func update<Output: SessionOutput>(_ s: SessionSample, into out: inout Output) {
        analyzer.update(placement: s.placement, sample: s.sample, orientation: s.orientation, into: &events)
        if !events.isEmpty {
            for e in events.events { out.event(e) }
            events.removeAll()
        }
    }
}
