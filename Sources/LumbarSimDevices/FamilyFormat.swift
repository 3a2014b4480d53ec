import LumbarCore
import LumbarIO
import LumbarProtocol
import LumbarSim

/// A simulated sensor played as a sensor of another family on `lumbar simulate`'s lines: each sample of
/// the simulator's batches written by that family's vendor-doc emulation (`XIMU3Emulation`,
/// `WitMotionEmulation`, `TextLineEmulation`), timed by the simulated device clock.
public struct FamilyFormat: ForeignSensorFormat {
    public let family: SensorFamily
    /// x-IMU3 messages in ASCII or binary.
    public let mode: XIMU3Emulation.Mode

    /// nil for `.lumbar` (that is the emulator's own firmware).
    public init?(_ family: SensorFamily, mode: XIMU3Emulation.Mode = .binary) {
        guard family != .lumbar else { return nil }
        self.family = family
        self.mode = mode
    }

    /// `FAMILY` as `simulate --family` takes it: `ximu3` (binary), `ximu3-ascii`, `witmotion` or `text`.
    public init?(name: String) {
        if name == "ximu3-ascii" {
            self.init(.xIMU3, mode: .ascii)
        } else if let family = SensorFamily(rawValue: name) {
            self.init(family)
        } else {
            return nil
        }
    }

    public func greeting() -> [UInt8] {
        family == .textLines ? Array((TextLineEmulation.header + "\r\n").utf8) : []
    }

    public mutating func render(_ batch: SampleBatch, info: DeviceInfo, into output: inout [UInt8]) {
        let scale = info.scale
        for i in batch.samples.indices {
            let sample = scale.sample(batch.samples[i], time: scale.seconds(ticks: batch.ticks(ofSampleAt: i)))
            switch family {
            case .xIMU3: output += XIMU3Emulation.inertial(sample, mode: mode)
            case .witMotion: output += WitMotionEmulation.cycle(sample)
            case .textLines: output += Array((TextLineEmulation.line(sample) + "\r\n").utf8)
            case .lumbar: break
            }
        }
    }
}
