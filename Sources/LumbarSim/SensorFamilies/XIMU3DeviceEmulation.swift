import LumbarCore
import LumbarProtocol

/// The command side of an emulated x-IMU3, written from the x-IMU3 user manual ("Command messages",
/// "Sample rates, message rates, and timestamps"), not from Lumbar's host code: it reads the host's
/// LF-terminated JSON commands and answers each with a command message of the same key, as the manual
/// says: a ping with `{"ping":{"interface":…,"name":…,"sn":…}}`, a read setting command with the setting's
/// value, a write setting command with the value it took, apply/save with `null`, anything else with
/// `{"key":{"error":"…"}}`. A line that is not a JSON object is ignored (bytes of another protocol).
///
/// The inertial message rate divisor decides the stream: a message every `divisor` inertial samples,
/// holding their average, stamped with the last one's time (0: no inertial messages). Written settings
/// take effect on apply, or two seconds after the last write. The emulated sensor's samples stand for the
/// 400 Hz inertial samples (`simulate --rate lumbar=400` for a true x-IMU3; at another simulated rate the
/// divisor divides that rate).
public struct XIMU3DeviceEmulation: Sendable {
    public let name: String
    public let serialNumber: String
    public let interface: String
    /// The inertial message rate divisor in force.
    public private(set) var inertialDivisor: UInt32
    /// Written, not yet applied: the divisor and when (session seconds) it was written.
    private var pending: (divisor: UInt32, at: Double)?
    private var line: [UInt8] = []
    private var lineOverflow = false
    private var sum = (gx: 0.0, gy: 0.0, gz: 0.0, ax: 0.0, ay: 0.0, az: 0.0)
    private var summed: UInt32 = 0

    /// - Parameter inertialDivisor: 1 streams every sample; 0 is a device whose inertial messages are off
    ///   until the host writes a divisor (found by the ping only).
    public init(name: String = "x-IMU3", serialNumber: String, interface: String = "USB", inertialDivisor: UInt32 = 1) {
        self.name = name
        self.serialNumber = serialNumber
        self.interface = interface
        self.inertialDivisor = inertialDivisor
    }

    /// Handles bytes from the host at session time `t` (s), appending the answers.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, at t: Double, into output: inout [UInt8]) {
        applyIfDue(at: t)
        for byte in bytes {
            if byte == 0x0A {
                if !lineOverflow, !line.isEmpty { command(line, at: t, into: &output) }
                line.removeAll(keepingCapacity: true)
                lineOverflow = false
            } else if line.count < 1024 {
                line.append(byte)
            } else {
                lineOverflow = true
            }
        }
    }

    private mutating func command(_ line: [UInt8], at t: Double, into output: inout [UInt8]) {
        guard line.first == UInt8(ascii: "{"), let message = XIMU3Command.parse(line) else { return }
        let key = message.key
        func answer(_ value: String) { output += Array("{\"\(key)\":\(value)}\n".utf8) }
        switch XIMU3Command.normalized(key) {
        case "ping":
            answer("{\"interface\":\"\(interface)\",\"name\":\"\(name)\",\"sn\":\"\(serialNumber)\"}")
        case "inertialmessageratedivisor":
            switch message.value {
            case .null:
                answer(String(pending?.divisor ?? inertialDivisor))
            case .number(let n) where n >= 0 && n <= Double(UInt32.max) && n == n.rounded():
                pending = (UInt32(n), t)
                answer(String(UInt32(n)))
            default:
                answer("{\"error\":\"Invalid value\"}")
            }
        case "apply":
            if let divisor = pending?.divisor { apply(divisor) }
            answer("null")
        case "save":
            answer("null")
        case "serialnumber":
            if case .null = message.value { answer("\"\(serialNumber)\"") } else { answer("{\"error\":\"Read-only\"}") }
        case "devicename":
            answer("\"\(name)\"")
        default:
            answer("{\"error\":\"Unknown command\"}")
        }
    }

    private mutating func applyIfDue(at t: Double) {
        if let pending, t - pending.at >= 2 { apply(pending.divisor) }
    }

    private mutating func apply(_ divisor: UInt32) {
        pending = nil
        inertialDivisor = divisor
        summed = 0
        sum = (0, 0, 0, 0, 0, 0)
    }

    /// One inertial sample (device time, gyroscope °/s, accelerometer g) at session time `t`: appends an
    /// inertial message when the divisor says one is due.
    public mutating func inertial(_ sample: ImuSample, at t: Double, mode: XIMU3Emulation.Mode, into output: inout [UInt8]) {
        applyIfDue(at: t)
        guard inertialDivisor > 0 else { return }
        let g = sample.gyroscope, a = sample.accelerometer
        sum.gx += Double(g.x); sum.gy += Double(g.y); sum.gz += Double(g.z)
        sum.ax += Double(a.x); sum.ay += Double(a.y); sum.az += Double(a.z)
        summed += 1
        guard summed >= inertialDivisor else { return }
        let n = Double(summed)
        let average = ImuSample(
            time: sample.time, accelerometer: Vector3(Float(sum.ax / n), Float(sum.ay / n), Float(sum.az / n)),
            gyroscope: Vector3(Float(sum.gx / n), Float(sum.gy / n), Float(sum.gz / n)))
        summed = 0
        sum = (0, 0, 0, 0, 0, 0)
        output += XIMU3Emulation.inertial(average, mode: mode)
    }
}
