import ArgumentParser
import LumbarCore
import LumbarDevice
import LumbarIO
import LumbarProtocol
import LumbarSession

/// A `--device` of `live`, `record` and `devices`: `[PLACEMENT=]PATH[:FAMILY][@BAUD]`.
///
/// - PLACEMENT (`lumbar`, `left_ankle`, `right_ankle`): where the sensor is worn, for sensors that cannot
///   say (x-IMU3, WitMotion, text lines); it overrides what a Lumbar sensor reports.
/// - FAMILY (`lumbar`, `ximu3`, `witmotion`, `text`): the protocol the port speaks. The port is then
///   sent nothing of Lumbar's and its sensor joins at once. Without it, the family is told from the
///   first bytes the port sends.
/// - BAUD: the port's line speed, bit/s (`@9600`, `@115200`, `@921600`; a USB-UART bridge must match
///   the sensor's UART). Without it: the config's `[baud]` for the port, else a named family's factory
///   rate (WitMotion 9600), else the config's `[usb] baud` (921600).
///
/// A suffix after the last `:` that is not a family stays part of the path (`/dev/serial/by-path/…`
/// names hold colons).
struct DeviceSpec: Hashable {
    var path: String
    var family: SensorFamily?
    var placement: SensorPlacement?
    /// bit/s, a rate termios knows (checked here).
    var baudRate: Int?

    static let syntax = "[PLACEMENT=]PATH[:FAMILY][@BAUD]"

    /// - Throws: `ValidationError` when `@BAUD` is not a rate a serial port can be set to.
    init(_ text: String) throws(ValidationError) {
        var rest = Substring(text)
        if let at = rest.lastIndex(of: "@"), !rest[rest.index(after: at)...].isEmpty,
            rest[rest.index(after: at)...].allSatisfy({ $0.isASCII && $0.isNumber })
        {
            let digits = rest[rest.index(after: at)...]
            guard let rate = Int(digits).flatMap(BaudRate.init) else {
                let known = BaudRate.supported.map(String.init).joined(separator: ", ")
                throw ValidationError("--device '\(text)': \(digits) is not a baud rate a serial port can be set to (\(known)).")
            }
            baudRate = rate.bitsPerSecond
            rest = rest[..<at]
        }
        if let equals = rest.firstIndex(of: "="), let p = SensorPlacement(rawValue: String(rest[..<equals])), p != .unassigned {
            placement = p
            rest = rest[rest.index(after: equals)...]
        }
        if let colon = rest.lastIndex(of: ":"), let f = SensorFamily(rawValue: String(rest[rest.index(after: colon)...]).lowercased()) {
            family = f
            rest = rest[..<colon]
        }
        path = String(rest)
    }
}

extension DeviceSessionConfiguration {
    /// Takes the config file's `[baud]` line speeds (a `--device @BAUD` read after it wins for its path).
    mutating func use(_ configuration: SensorConfiguration) {
        for (key, rate) in configuration.baudRates { baudRates[key] = rate.bitsPerSecond }
    }

    /// Reads `specs`: their paths (no USB discovery then), named families and placements.
    mutating func use(_ specs: [DeviceSpec]) {
        devices = specs.map(\.path)
        for spec in specs {
            if let family = spec.family { families[spec.path] = family }
            if let placement = spec.placement { placements[spec.path.lowercased()] = placement }
            if let rate = spec.baudRate { baudRates[spec.path.lowercased()] = rate }
        }
    }
}

extension SensorIdentity {
    /// The session's descriptor of this sensor (its details: device id, firmware, rate, USB id; the
    /// family of a sensor that is not a Lumbar one, and for WitMotion the rate its clock is modelled on).
    ///
    /// - Parameter witMotion: a WitMotion's configured output rate, Hz (it sends no clock; 100 Hz when none
    ///   is asked), and its ranges (it sends raw words; ±16 g and ±2000 °/s when none is asked).
    func descriptor(witMotion: SensorSettingsRequest.Values = .init()) -> SensorDescriptor {
        var details = KeyValueText()
        if family != .lumbar { details.append("family", family.rawValue) }
        if let info = deviceInfo {
            details.append("device_id", info.deviceIDString)
            details.append("firmware", info.firmwareVersion.description)
            details.append("rate_hz", FixedDecimal.format(info.sampleRate, decimals: 3))
        } else if family == .witMotion {
            // What it was told (`FamilySettingsExchange`): the documented rate and ranges nearest those asked.
            let rate = witMotion.rateHz.map { WitMotionCommand.outputRate(nearest: $0).hertz } ?? 100
            details.append("rate_hz", FixedDecimal.format(rate, decimals: 3))
            if let g = witMotion.accelerometerRangeG { details.append("accel_range_g", String(WitMotionCommand.accelerometerRange(atLeast: g).g)) }
            if let dps = witMotion.gyroscopeRangeDPS {
                details.append("gyro_range_dps", String(WitMotionCommand.gyroscopeRange(atLeast: dps).degreesPerSecond))
            }
        }
        if let usbID { details.append("usb", usbID) }
        return SensorDescriptor(id: id, placement: placement, port: path, details: details)
    }
}
