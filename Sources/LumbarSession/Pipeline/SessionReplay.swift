extension SessionInput {
    /// Input steps between two progress reports of `replay`.
    static let progressSteps = 4096

    /// Replays the whole input as fast as possible into `pipeline` (then call `pipeline.finish`), on the
    /// calling thread: exactly what calling `step` in a loop gives. (`ParallelReplay` in LumbarReplay
    /// drives the same stages on two or three threads, with the same result, bit for bit.)
    ///
    /// ```swift
    /// try input.replay(into: pipeline, output: &exporter) { fraction in bar.progress(fraction) }
    /// pipeline.finish(into: &exporter)
    /// ```
    ///
    /// - Parameters:
    ///   - pipeline: a fresh pipeline.
    ///   - output: receives the samples and events.
    ///   - progress: called every few thousand input steps and at the end with the fraction of the input
    ///     read, 0…1.
    /// - Throws: `SessionInputError` for a read error or a malformed CSV row, after everything before it
    ///   was delivered.
    // Exported specialisation for the exporter (`lumbar export`, the replay benchmark): without
    // `-cross-module-optimization` (an unsafe flag) a client cannot specialise this generic itself, and
    // the unspecialised per-sample path is several times slower.
    @_specialize(exported: true, where Output == SessionExporter)
    public func replay<Output: SessionOutput>(
        into pipeline: SessionPipeline, output: inout Output, progress: (Double) -> Void = { _ in }
    ) throws(SessionInputError) {
        defer { progress(self.progress) }
        try withUnsafeMutablePointer(to: &output) { (p) throws(SessionInputError) in
            var driver = PipelineInputDriver(pipeline: pipeline, output: p)
            var steps = 0
            while try step(into: &driver) != nil {
                steps &+= 1
                if steps == Self.progressSteps {
                    progress(self.progress)
                    steps = 0
                }
            }
        }
    }
}
