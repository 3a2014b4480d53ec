import LumbarCore
import LumbarProtocol

/// What the device session asks its driver to do. The driver carries them out in order, and reports
/// back what happened as inputs (`DeviceSession.opened`, `received`, `ended`, ...).
public enum DeviceAction: Sendable, Equatable {
    /// Open `path` (serial settings are the driver's); answer with `opened` or `openFailed`.
    case open(DevicePort, path: String)
    /// Close the port (stop reading it); no `ended` is expected afterwards.
    case close(DevicePort)
    /// Write these bytes (framed host commands) to the port. A failure shows up as the port's end.
    case write(DevicePort, [UInt8])
    /// Set the open port's line speed (bit/s) once what was written before has left, and drop the bytes
    /// received but not yet read (sent at the old speed). A WitMotion told a new baud (`WitMotionBaudChange`).
    case setLineSpeed(DevicePort, bitsPerSecond: Int)
    /// List the USB serial ports and hand them to `discovered` (the driver lists them off the session
    /// thread: they arrive a little later, after other inputs; a path already in use is skipped then).
    case scan
    /// A sensor joins the session (or comes back, under the same id): the driver connects it to the
    /// pipeline (and recording) and routes the port's bytes there from now on.
    case connect(DevicePort, SensorIdentity, at: Int64)
    /// Give the bytes of the current `received` call to the port's sensor, received at `at` (host ns).
    case deliver(DevicePort, at: Int64)
    /// Give these bytes, kept while the port was identifying, to the port's sensor, received at `at`.
    /// Every byte the port sent is delivered exactly once: the kept reads, then the live ones.
    case deliverKept(DevicePort, [UInt8], at: Int64)
    /// The port's sensor stopped delivering, for `reason`, at `at` (host ns).
    case lose(DevicePort, SensorLossReason, at: Int64)
    /// Something to tell the user (a log line).
    case notice(DeviceNotice)
    /// No port can ever be used (every `--device` failed for good): the driver stops.
    case giveUp
}

/// Who a sensor is, once its device info arrived (or, with `joinsUnidentified`, its port).
public struct SensorIdentity: Sendable, Hashable {
    /// The session id: the USB serial number, else the device id; a device seen before keeps its first id.
    public var id: String
    public var placement: SensorPlacement
    /// The port path it streams on.
    public var path: String
    /// Its device info; nil for a sensor that joined without one (`record` after the identify timeout).
    public var deviceInfo: DeviceInfo?
    /// The USB vendor:product id, when discovery found it.
    public var usbID: String?
    /// The byte protocol it speaks: `.lumbar` (with device info), or a family told apart from its first
    /// bytes or named by `--device PATH:FAMILY` (no device info).
    public var family: SensorFamily
    /// The serial number the device itself reported (an x-IMU3's ping answer), when it did.
    public var serialNumber: String?
    /// The output rate the session asks of this sensor instead of the configured one, Hz: a WitMotion whose
    /// line speed could not be raised is asked what the line carries (`WitMotionBaud.carriedRate`), and its
    /// clock is modelled on that. Nil: the configured rate.
    public var rateHz: Double?

    public init(
        id: String, placement: SensorPlacement, path: String, deviceInfo: DeviceInfo?, usbID: String?, family: SensorFamily = .lumbar,
        serialNumber: String? = nil, rateHz: Double? = nil
    ) {
        self.serialNumber = serialNumber
        self.rateHz = rateHz
        self.id = id
        self.placement = placement
        self.path = path
        self.deviceInfo = deviceInfo
        self.usbID = usbID
        self.family = family
    }

    /// What this sensor is asked of the `configured` settings: its own `rateHz` in place of a configured
    /// rate (a WitMotion whose line speed was not raised is asked, and clocked at, what its line carries).
    public func asked(of configured: SensorSettingsRequest) -> SensorSettingsRequest.Values {
        var asked = configured.values(for: placement)
        if asked.rateHz != nil, let rateHz { asked.rateHz = rateHz }
        return asked
    }
}

/// What happened to a port, for the log: typed, so the driver words it (and tests pin it) without
/// parsing text.
public enum DeviceNotice: Sendable, Equatable {
    /// Discovery found a port.
    case found(DevicePort, DiscoveredPort)
    /// A port could not be opened (said once per path and kind of failure).
    case openFailed(DevicePort, path: String, OpenFailure)
    /// A port answered with its device info.
    case identified(DevicePort, SensorIdentity)
    /// No device info within the identify timeout; `diagnosis` says what came instead.
    case notIdentified(DevicePort, path: String, diagnosis: String)
    /// The port carries a sensor that already streams on `otherPath`: it is closed.
    case duplicate(DevicePort, path: String, id: String, otherPath: String)
    /// The device answered the settings asked: `asked` vs what it runs (`applied`), and refused commands by opcode.
    case settingsApplied(DevicePort, path: String, asked: SensorSettingsRequest.Values, applied: DeviceInfo, refused: [UInt8: Acknowledgement.Result])
    /// A sensor of another family answered the settings asked in its own commands (`FamilySettingsExchange`):
    /// `asked` vs what it reports it runs (`applied`), and what it could not be told or refused, in words;
    /// `measured`: the rate was confirmed by the packets' receive rate (a model without read-back), else nil.
    case familySettingsApplied(
        DevicePort, path: String, family: SensorFamily, asked: SensorSettingsRequest.Values, applied: SensorSettingsRequest.Values,
        refused: [String], measured: RateMeasurement.Result? = nil)
    /// A WitMotion's line speed was raised for the rate asked (`WitMotionBaudChange`), bit/s: it sends valid
    /// packets at `to`.
    case lineSpeedRaised(DevicePort, path: String, from: Int, to: Int, rateHz: Double)
    /// A WitMotion told a new baud sent no valid packet at it within the timeout (a model that applies it only
    /// after a power cycle): the port is back at `from`, which carries fewer cycles than `rateHz`, so it is
    /// asked `carriedHz` instead (`WitMotionBaud.carriedRate`), the rate its clock is modelled on.
    case lineSpeedNotApplied(DevicePort, path: String, from: Int, to: Int, rateHz: Double, carriedHz: Double)
    /// No answer to the settings commands within the timeout.
    case settingsUnconfirmed(DevicePort, path: String)
    /// The sensor talks but sends no samples: start-streaming was sent again (`attempt` 1, 2, ...);
    /// the next attempt follows after `retryIn` ns unless samples come.
    case stalled(DevicePort, path: String, id: String, attempt: Int, retryIn: Int64)
    /// Samples again after a stall.
    case resumed(DevicePort, path: String, id: String)
    /// The port ended (`wasStreaming`: a sensor was lost with it).
    case ended(DevicePort, path: String, PortEnd, wasStreaming: Bool)
}
