import LumbarCore
import LumbarMotion
import LumbarSim
import Testing

/// Which turns of the shank are a hip's (issue 12).
struct HipAxisTests {
    /// TUNE seeds 30 rep 14, 68 rep 11 and 160 rep 2 (bird dogs), and 194 rep 10 (a back kick, its ankle sensor
    /// strapped 90° round the leg): the shank turned about an axis 54-59° from horizontal, the knee's twist and the
    /// pelvis' rotation tilting what little a bird dog's shank turns, and the rep was dropped as `not_about_hip_axis`
    /// at 53°. Each is counted once, with no rejection said for it.
    @Test func aRepWhoseShankAxisTiltsUpTo60DegreesIsCounted() throws {
        for (seed, repNumber) in [(UInt64(30), 14), (68, 11), (160, 2), (194, 10)] {
            #expect(try repsCountedOnce(seed: seed, [repNumber]).count == 1, "seed \(seed) rep \(repNumber)")
        }
    }
}
