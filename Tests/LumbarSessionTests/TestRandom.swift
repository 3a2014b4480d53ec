import LumbarCore

/// The tests' fixed-seed generator, so that simulated jitter is the same on every run.
typealias TestRandom = SplitMix64
