/// The byte protocols Lumbar can read from a serial port: its own, and those of sensors people can buy.
public enum SensorFamily: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Lumbar's own COBS/CRC frames (`FrameDecoder`).
    case lumbar
    /// x-io Technologies x-IMU3: LF-terminated ASCII or byte-stuffed binary messages, device time in µs.
    case xIMU3 = "ximu3"
    /// WitMotion WT901/HWT901B/HWT905 and kin: 11-byte 0x55 packets with a sum checksum, no device time.
    case witMotion = "witmotion"
    /// One sample per text line (`t_us,ax,ay,az,gx,gy,gz`), units from a header line: maker boards.
    case textLines = "text"

    public var description: String { rawValue }

    /// The family's name for people (log lines, `lumbar devices`).
    public var displayName: String {
        switch self {
        case .lumbar: "Lumbar"
        case .xIMU3: "x-IMU3"
        case .witMotion: "WitMotion"
        case .textLines: "text lines"
        }
    }

    /// The line speed (bit/s) the family's devices leave the factory with, when it is not the USB link's
    /// own: a WitMotion WT901C/HWT901B behind its CH340/CP210x bridge talks at 9600 until its baud
    /// register is written (newer HWT905/WT901SDCL ship at 115200: name it, `@115200` or the config's
    /// `[baud]`). The device session raises it when the rate asked needs more (`WitMotionBaud`). nil: the port's configured rate (x-IMU3 is USB CDC, where the rate is ignored; text
    /// lines run at whatever the sketch's `Serial.begin` says).
    public var factoryBaudRate: Int? {
        self == .witMotion ? 9600 : nil
    }
}
