import LumbarCore
import LumbarProtocol
import LumbarSim

/// Shared inputs: real simulated motion (a back-kick session's lumbar sensor) and deterministic garbage.
enum FamilyFixtures {
    /// Two seconds of the lumbar sensor of a simulated back-kick session, device time.
    static let samples: [ImuSample] = {
        let session = Simulator.run(.demo(.backKick, seed: 3))
        return Array(session.sensors[0].samples.prefix(200))
    }()

    /// `count` pseudo-random bytes from `seed`, without `excluded` bytes.
    static func garbage(_ count: Int, seed: UInt64, excluding excluded: Set<UInt8> = []) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        var bytes: [UInt8] = []
        while bytes.count < count {
            let byte = UInt8(truncatingIfNeeded: random.next())
            if !excluded.contains(byte) { bytes.append(byte) }
        }
        return bytes
    }

    /// Splits `bytes` into chunks of `size` (the last one shorter) and calls `feed` with each.
    static func chunks(_ bytes: [UInt8], size: Int, _ feed: (ArraySlice<UInt8>) -> Void) {
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            feed(bytes[start..<end])
            start = end
        }
    }

    /// The samples among `outputs`.
    static func samples(in outputs: [SensorFamilyOutput]) -> [ImuSample] {
        outputs.compactMap { if case .sample(let sample) = $0 { sample } else { nil } }
    }

    static func near(_ a: Vector3, _ b: Vector3, _ tolerance: Float) -> Bool {
        abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance && abs(a.z - b.z) <= tolerance
    }
}
