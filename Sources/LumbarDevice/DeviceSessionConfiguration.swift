import LumbarCore
import LumbarProtocol

/// What the device session does with the ports it finds, and its time constants.
public struct DeviceSessionConfiguration: Sendable {
    /// What the session is for.
    public enum Purpose: Sendable, Hashable {
        /// `live` and `record`: identify each sensor, start it streaming, keep it streaming.
        case stream
        /// `devices`: ask each port for its device info once, then close it; nothing is started.
        case probe
    }

    /// The time constants, host nanoseconds.
    ///
    /// | name | default | meaning |
    /// |---|---|---|
    /// | `reopenInterval` | 0.5 s | a closed `--device` path is opened again after this long |
    /// | `rescanInterval` | 2 s | USB discovery lists the ports again this often (and at once after a loss) |
    /// | `resendInterval` | 1 s | a port that has not identified itself is asked again after this long (3 asks at most) |
    /// | `identifyTimeout` | 3 s | ... and reported (probe: closed) after this long |
    /// | `settingsTimeout` | 3 s | the device's answer to configuration commands is awaited this long |
    /// | `serialTimeout` | 1 s | an x-IMU3 told by its bytes or named is asked its serial number (the ping) and awaited this long |
    /// | `stallTimeout` | 1 s | a streaming sensor that sends bytes but no samples this long is stalled |
    /// | `startGrace` | 0.5 s | a heartbeat saying "not streaming" this soon after a start command is not a stall |
    /// | `restartBackoff` | 0.5 s … 8 s | start-streaming is sent again to a stalled sensor after these delays, doubling |
    public struct Timing: Sendable, Hashable {
        public var reopenInterval: Int64 = 500_000_000
        public var rescanInterval: Int64 = 2_000_000_000
        public var resendInterval: Int64 = 1_000_000_000
        public var maximumRequests = 3
        public var identifyTimeout: Int64 = 3_000_000_000
        public var settingsTimeout: Int64 = 3_000_000_000
        /// An x-IMU3 answers a ping within milliseconds; a second covers a loaded host and a USB round trip,
        /// and is what the sensor's join (and its samples, kept meanwhile) is held back at most.
        public var serialTimeout: Int64 = 1_000_000_000
        public var stallTimeout: Int64 = 1_000_000_000
        public var startGrace: Int64 = 500_000_000
        public var restartBackoffInitial: Int64 = 500_000_000
        public var restartBackoffMaximum: Int64 = 8_000_000_000

        public init() {}

        /// `devices`: ask again at half the timeout, give up at the timeout (ns).
        public static func probe(timeout: Int64) -> Timing {
            var t = Timing()
            t.resendInterval = max(1, timeout / 2)
            t.maximumRequests = 2
            t.identifyTimeout = timeout
            t.serialTimeout = min(t.serialTimeout, timeout)
            return t
        }
    }

    public var purpose: Purpose
    /// `--device` paths; empty: discover USB ports (`.scan`).
    public var devices: [String]
    /// The family a `--device PATH:FAMILY` port is known to speak. Such a port is sent no Lumbar handshake,
    /// only its own family's commands (an x-IMU3 its ping, the settings asked), and joins as soon as it
    /// opens (an x-IMU3 once its ping is answered, `Timing.serialTimeout` at most). Other ports are told
    /// apart from what they send.
    public var families: [String: SensorFamily]
    /// Placement overrides by lowercased USB serial number, device id or port path (the config's
    /// `[placement]`, and `--device PLACEMENT=PATH`).
    public var placements: [String: SensorPlacement]
    /// Line speeds (bit/s) by lowercased port path, USB serial number, USB id (`vvvv:pppp`) or family
    /// name (`witmotion`): the config's `[baud]` and `--device PATH@BAUD`. See `baudRate(path:discovered:)`.
    public var baudRates: [String: Int] = [:]
    /// The line speed (bit/s) of a port without one of its own (`baudRate(path:discovered:)` nil): the
    /// driver's default, the config's `[usb] baud`. The session compares a WitMotion's speed with the
    /// rate asked of it (`WitMotionBaud.raise`).
    public var defaultBaudRate = 921_600
    /// Rate and ranges to ask of each sensor (nothing asked: none sent).
    public var settings: SensorSettingsRequest
    /// A port without device info joins after `identifyTimeout` under its path, placement unassigned
    /// (`record`: keep every byte even of a sensor that does not identify itself).
    public var joinsUnidentified: Bool
    public var timing: Timing
    /// A port still unknown after the first ask (no device info, no family told from its bytes) is sent the
    /// x-IMU3 ping once (`XIMU3Command.ping`), so an x-IMU3 that is not streaming is found, with its serial
    /// number. The ping holds no byte Lumbar firmware (0x00) or a WitMotion (0xFF 0xAA) acts on. A port known
    /// to be an x-IMU3 (told by its bytes, or named `--device PATH:ximu3`) is pinged too, before it joins:
    /// its serial number is its session id however it was found. `--no-ping` (false) sends no ping at all:
    /// an x-IMU3 then joins under its port's USB serial number or its path.
    public var pingsUnidentifiedPorts = true
    /// Bytes kept from a port that has not identified itself yet (the newest, in whole reads).
    public var handshakeBufferLimit: Int

    public init(
        purpose: Purpose = .stream, devices: [String] = [], families: [String: SensorFamily] = [:],
        placements: [String: SensorPlacement] = [:],
        settings: SensorSettingsRequest = SensorSettingsRequest(), joinsUnidentified: Bool = false,
        timing: Timing = Timing(), handshakeBufferLimit: Int = 256 << 10
    ) {
        self.purpose = purpose
        self.devices = devices
        self.families = families
        self.placements = placements
        self.settings = settings
        self.joinsUnidentified = joinsUnidentified
        self.timing = timing
        self.handshakeBufferLimit = handshakeBufferLimit
    }

    /// The placement of a sensor: the override for its USB serial number, else for its device id, else
    /// for its port path, else what its firmware says (`.unassigned` for a family that cannot say).
    public func placement(serialNumber: String?, deviceID: String?, path: String? = nil, reported: SensorPlacement) -> SensorPlacement {
        if let serialNumber, let placement = placements[serialNumber.lowercased()] { return placement }
        if let deviceID, let placement = placements[deviceID.lowercased()] { return placement }
        if let path, let placement = placements[path.lowercased()] { return placement }
        return reported
    }

    /// The line speed to open a port at (bit/s): the one named for its path, else for its USB serial
    /// number, else for its USB id, else for its named family (`--device PATH:FAMILY`), else that family's
    /// factory rate (WitMotion: 9600); nil: the driver's default (the config's `[usb] baud`).
    public func baudRate(path: String, discovered: DiscoveredPort?) -> Int? {
        if let rate = baudRates[path.lowercased()] { return rate }
        if let serial = discovered?.serialNumber, let rate = baudRates[serial.lowercased()] { return rate }
        if let usbID = discovered?.usbID, let rate = baudRates[usbID.lowercased()] { return rate }
        guard let family = families[path] else { return nil }
        return baudRates[family.rawValue] ?? family.factoryBaudRate
    }
}
