#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore
import LumbarSession

/// One BROAD trial (Laidig et al. 2021) as shipped in `datasets/broad/`: the IMU samples and the
/// optical reference orientation per sample, with the rows that are scored.
public struct BroadTrial: Sendable {
    /// The trial's file stem, e.g. `21_undisturbed_fast_combined`.
    public let name: String
    /// Time in s, accelerometer in g, gyroscope in deg/s.
    public let samples: [ImuSample]
    /// Reference orientation per sample (sensor → earth, Z up), Double, scalar first; NaN where missing.
    public let truth: [(w: Double, x: Double, y: Double, z: Double)]
    /// True for the rows BROAD scores (the motion phases).
    public let movement: [Bool]

    /// The trial's short number, e.g. `21`.
    public var number: String { String(name.prefix { $0 != "_" }) }

    /// Loads `<stem>.samples.csv` and `<stem>.truth.csv` from `directory`.
    /// - Throws: `CSVError` for a missing or malformed file, or rows that do not line up.
    public init(directory: String, name: String) throws(CSVError) {
        self.name = name
        let reader = try SampleCSVReader(path: "\(directory)/\(name).samples.csv")
        var samples: [ImuSample] = []
        while let record = try reader.next() { samples.append(record.sample) }
        let truthPath = "\(directory)/\(name).truth.csv"
        let lines = try TextLineReader(path: truthPath)
        _ = try lines.next()  // header: time_s,qw,qx,qy,qz,movement
        var truth: [(w: Double, x: Double, y: Double, z: Double)] = []
        var movement: [Bool] = []
        truth.reserveCapacity(samples.count)
        movement.reserveCapacity(samples.count)
        while let line = try lines.next() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan }
            guard f.count >= 6 else {
                throw CSVError(file: truthPath, line: truth.count + 2, message: "expected 6 fields, found \(f.count)")
            }
            truth.append((f[1], f[2], f[3], f[4]))
            movement.append(f[5] == 1)
        }
        guard truth.count == samples.count else {
            throw CSVError(file: truthPath, message: "\(truth.count) rows but the samples file has \(samples.count)")
        }
        self.samples = samples
        self.truth = truth
        self.movement = movement
    }

    /// The six trials of the shared subset, in order.
    public static let names = [
        "05_undisturbed_slow_rotation_with_breaks_B", "07_undisturbed_fast_rotation_B",
        "15_undisturbed_fast_translation_A", "21_undisturbed_fast_combined", "24_disturbed_tapping_A",
        "27_disturbed_phone_vibration_B",
    ]

    /// The BROAD folder: `LUMBAR_BROAD_DIR`, else `../shared/datasets/broad` or `../../shared/datasets/broad`
    /// from `packageRoot`; nil when none holds the trials.
    public static func directory(packageRoot: String, environment: [String: String]) -> String? {
        let candidates =
            environment["LUMBAR_BROAD_DIR"].map { [$0] }
            ?? ["\(packageRoot)/../shared/datasets/broad", "\(packageRoot)/../../shared/datasets/broad"]
        return candidates.first { (try? TextLineReader(path: "\($0)/\(names[0]).samples.csv")) != nil }
    }

    /// BROAD's inclination RMSE in degrees of `estimates` (one per sample, sensor → earth) over the rows
    /// with movement and a reference: `e = q ⊗ conj(ref)`, `inc = 2·acos(min(1, √(e.w² + e.z²)))`.
    /// - Parameter rows: score only every `stride`-th row (1: all).
    public func inclinationRMSE(_ estimates: [Quaternion], stride step: Int = 1) -> Double {
        var sum = 0.0
        var count = 0
        for i in Swift.stride(from: 0, to: min(estimates.count, truth.count), by: step) where movement[i] {
            let r = truth[i]
            let rn = (r.w * r.w + r.x * r.x + r.y * r.y + r.z * r.z).squareRoot()
            guard rn.isFinite, rn > 0 else { continue }
            let q = estimates[i]
            let (qw, qx, qy, qz) = (Double(q.w), Double(q.x), Double(q.y), Double(q.z))
            let (bw, bx, by, bz) = (r.w / rn, -r.x / rn, -r.y / rn, -r.z / rn)
            let ew = qw * bw - qx * bx - qy * by - qz * bz
            let ex = qw * bx + qx * bw + qy * bz - qz * by
            let ey = qw * by - qx * bz + qy * bw + qz * bx
            let ez = qw * bz + qx * by - qy * bx + qz * bw
            let c = (ew * ew + ez * ez).squareRoot()
            let s = (ex * ex + ey * ey).squareRoot()
            let inc = 2 * atan2(s, c)
            sum += inc * inc
            count += 1
        }
        return count == 0 ? .nan : (sum / Double(count)).squareRoot() * 180 / .pi
    }
}
