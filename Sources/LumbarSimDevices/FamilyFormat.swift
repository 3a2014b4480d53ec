import LumbarCore
import LumbarIO
import LumbarProtocol
import LumbarSim

/// A simulated sensor played as a sensor of another family on `lumbar simulate`'s lines: each sample of
/// the simulator's batches written by that family's vendor-doc emulation (`XIMU3Emulation`,
/// `WitMotionEmulation`, `TextLineEmulation`), timed by the simulated device clock. An x-IMU3 and a WitMotion
/// answer their family's commands (`XIMU3DeviceEmulation`, `WitMotionDeviceEmulation`: rate, ranges, ping,
/// register reads); a maker board ignores what the host writes.
public struct FamilyFormat: ForeignSensorFormat {
    public let family: SensorFamily
    /// x-IMU3 messages in ASCII or binary.
    public let mode: XIMU3Emulation.Mode
    /// x-IMU3: the inertial message rate divisor it starts with (0: silent until told a rate).
    public let inertialDivisor: UInt32
    /// A WitMotion's UART (`simulate --baud`); nil: none emulated (any host speed, unthrottled).
    public var uart: WitMotionDeviceEmulation.UART?
    /// The device's command state, made with its device info at the first byte in or out.
    private var ximu3: XIMU3DeviceEmulation?
    private var witMotion: WitMotionDeviceEmulation?
    /// The host's line speed last seen before the device state was made (at its first byte in or out).
    private var hostSpeedBefore: (Int?, Double)?

    /// nil for `.lumbar` (that is the emulator's own firmware).
    public init?(_ family: SensorFamily, mode: XIMU3Emulation.Mode = .binary, inertialDivisor: UInt32 = 1) {
        guard family != .lumbar else { return nil }
        self.family = family
        self.mode = mode
        self.inertialDivisor = inertialDivisor
    }

    /// `FAMILY` as `simulate --family` takes it: `ximu3` (binary), `ximu3-ascii`, `ximu3-idle` (binary, no
    /// inertial messages until the host writes a rate: found by the ping), `witmotion` or `text`.
    public init?(name: String) {
        if name == "ximu3-ascii" {
            self.init(.xIMU3, mode: .ascii)
        } else if name == "ximu3-idle" {
            self.init(.xIMU3, inertialDivisor: 0)
        } else if let family = SensorFamily(rawValue: name) {
            self.init(family)
        } else {
            return nil
        }
    }

    public func greeting() -> [UInt8] {
        family == .textLines ? Array((TextLineEmulation.header + "\r\n").utf8) : []
    }

    public mutating func render(_ batch: SampleBatch, info: DeviceInfo, at t: Double, into output: inout [UInt8]) {
        let scale = info.scale
        prepare(info)
        for i in batch.samples.indices {
            let sample = scale.sample(batch.samples[i], time: scale.seconds(ticks: batch.ticks(ofSampleAt: i)))
            switch family {
            case .xIMU3: ximu3?.inertial(sample, at: t, mode: mode, into: &output)
            case .witMotion: witMotion?.cycle(sample, at: sample.time, into: &output)
            case .textLines: output += Array((TextLineEmulation.line(sample) + "\r\n").utf8)
            case .lumbar: break
            }
        }
    }

    public mutating func receive(_ bytes: UnsafeRawBufferPointer, info: DeviceInfo, at t: Double, into output: inout [UInt8]) {
        prepare(info)
        ximu3?.receive(bytes, at: t, into: &output)
        witMotion?.receive(bytes, at: t, into: &output)
    }

    public mutating func hostLineSpeed(_ bitsPerSecond: Int?, at t: Double) {
        if witMotion == nil { hostSpeedBefore = (bitsPerSecond, t) }
        witMotion?.hostLineSpeed(bitsPerSecond, at: t)
    }

    /// The x-IMU3's serial number: the simulated device id's low 32 bits in hex (x-IMU3 serials are 8 hex digits).
    public static func serialNumber(_ info: DeviceInfo) -> String {
        let hex = String(UInt32(truncatingIfNeeded: info.deviceID), radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }

    private mutating func prepare(_ info: DeviceInfo) {
        switch family {
        case .xIMU3 where ximu3 == nil: ximu3 = XIMU3DeviceEmulation(serialNumber: Self.serialNumber(info), inertialDivisor: inertialDivisor)
        case .witMotion where witMotion == nil:
            witMotion = WitMotionDeviceEmulation(sourceRate: info.sampleRate)
            witMotion?.uart = uart
            if let (speed, t) = hostSpeedBefore { witMotion?.hostLineSpeed(speed, at: t) }
        default: break
        }
    }
}
