/// The simulator's own deterministic random numbers: xoshiro256** seeded through SplitMix64.
///
/// No Foundation or system randomness: the same seed gives the same session on every platform.
/// `gaussian()` is Box–Muller.
public struct SimRandom: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// The second deviate of the last Box–Muller pair, when not yet used.
    private var spareGaussian: Double?

    /// A generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&sm)
        s1 = splitMix(&sm)
        s2 = splitMix(&sm)
        s3 = splitMix(&sm)
    }

    /// A seed for an independent sub-stream (per sensor, per purpose) derived from `seed` and `stream`.
    public static func derivedSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
        var r = SimRandom(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return r.next()
    }

    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = SimRandom.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = SimRandom.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// An integer uniform in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// A standard normal deviate (mean 0, standard deviation 1), Box–Muller (both deviates of a pair used).
    public mutating func gaussian() -> Double {
        if let g = spareGaussian {
            spareGaussian = nil
            return g
        }
        var u1 = uniform()
        if u1 < 1e-300 { u1 = 1e-300 }
        let u2 = uniform()
        let r = (-2 * logD(u1)).squareRoot()
        spareGaussian = r * sinD(2 * Double.pi * u2)
        return r * cosD(2 * Double.pi * u2)
    }

    /// A uniformly random rotation (Shoemake's method).
    mutating func rotation() -> DQuat {
        let u1 = uniform(), u2 = uniform(), u3 = uniform()
        let a = (1 - u1).squareRoot(), b = u1.squareRoot()
        return DQuat(
            w: a * sinD(2 * .pi * u2), x: a * cosD(2 * .pi * u2),
            y: b * sinD(2 * .pi * u3), z: b * cosD(2 * .pi * u3))
    }
}
