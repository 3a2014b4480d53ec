/// FNV-1a, 64 bits: a stable, dependency-free hash of a byte string (not cryptographic).
///
/// Lumbar derives a sensor's 64-bit device id from its serial number string with it, so a sensor named
/// by its serial keeps one id across runs and processes (Swift's `Hasher` is seeded per process).
public enum FNV1a {
    /// The FNV-1a 64-bit offset basis.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The FNV 64-bit prime.
    public static let prime: UInt64 = 0x100_0000_01b3

    /// The 64-bit FNV-1a hash of `bytes`.
    public static func hash64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash = offsetBasis
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* prime }
        return hash
    }
}
