import LumbarCore
import LumbarProtocol

/// A LumbarSim session as the bytes each of its sensors would send if it were a sensor of another family
/// (for tests, the x-IMU3 referee and `lumbar simulate`).
public enum SensorFamilySession {
    /// The byte stream of each simulated sensor of `script`, in `family`'s format (x-IMU3 in `mode`).
    /// For `.lumbar`, Lumbar's own frames are not produced here (the simulator's frame stream does that).
    public static func bytes(
        _ script: SessionScript, family: SensorFamily, mode: XIMU3Emulation.Mode = .binary
    ) -> [(site: SensorPlacement, bytes: [UInt8], samples: [ImuSample])] {
        let session = Simulator.run(script)
        return session.sensors.map { sensor in
            let bytes: [UInt8] =
                switch family {
                case .xIMU3: XIMU3Emulation.stream(sensor.samples, mode: mode)
                case .witMotion: WitMotionEmulation.stream(sensor.samples)
                case .textLines: TextLineEmulation.stream(sensor.samples)
                case .lumbar: []
                }
            return (sensor.site, bytes, sensor.samples)
        }
    }
}
