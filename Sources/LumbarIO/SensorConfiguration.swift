import LumbarCore

/// The daemon's config file: which USB ids to look for, the baud rate, and where each sensor is worn
/// when its firmware does not know (or is wrong).
///
/// The file is INI-like; `#` starts a comment, blank lines are ignored:
/// ```
/// [usb]
/// ids = 0403:6001, 0525:a4a7    # vendor:product pairs (hex) to discover; default: USBDeviceID.defaultSensorIDs
/// baud = 921600                 # bit/s, for USB-UART bridges (every port without its own below)
///
/// [baud]                        # a port's own line speed, bit/s: by port path, USB serial number,
/// /dev/ttyUSB1 = 9600           # USB id (vvvv:pppp) or family (witmotion, ximu3, text, lumbar);
/// 1a86:7523 = 115200            # the first of these that matches, in that order (a named family
/// witmotion = 115200            # alone: its factory rate, WitMotion 9600)
///
/// [placement]
/// SENSOR-A1 = lumbar            # a USB serial number ...
/// 00c0ffee00000002 = left_ankle # ... or a device id from the device-info packet (16 hex digits)
///
/// [sound]                       # `live --sound`: keys kept as written, LumbarSound's SoundSettings reads them
/// volume = 60
///
/// [database]                    # the session database (LumbarStore reads these keys)
/// url = postgres://lumbar@db.clinic.lan/lumbar   # default: a SQLite file under the user's data directory
/// password = ...                # or PGPASSWORD in the environment; never on the command line
/// ```
public struct SensorConfiguration: Sendable, Hashable {
    /// The vendor/product ids discovery matches.
    public var usbIDs: [USBDeviceID]
    /// The line speed for every port without its own in `baudRates`.
    public var baudRate: BaudRate
    /// The `[baud]` section: line speeds by lowercased port path, USB serial number, USB id or family
    /// name (the device session picks one per port: `DeviceSessionConfiguration.baudRate`).
    public var baudRates: [String: BaudRate] = [:]
    /// Placement overrides, keyed by lowercased USB serial number or device id (16 hex digits); matching
    /// ignores case. The device session applies them (`DeviceSessionConfiguration.placement`).
    public var placements: [String: SensorPlacement]
    /// The `[sound]` section's lines, in order, for the sound output to interpret.
    public var sound: [ConfigEntry] = []
    /// The `[database]` section's lines, in order (`url`, `password`), for the session store to interpret.
    public var database: [ConfigEntry] = []

    public init(
        usbIDs: [USBDeviceID] = USBDeviceID.defaultSensorIDs, baudRate: BaudRate = .b921600,
        placements: [String: SensorPlacement] = [:]
    ) {
        self.usbIDs = usbIDs
        self.baudRate = baudRate
        self.placements = placements
    }

    /// No file: default ids, 921600 bit/s, no overrides.
    public static let `default` = SensorConfiguration()

    /// Reads and parses the file at `path`.
    ///
    /// - Throws: `ConfigurationError` naming the file (and line) and what was wrong.
    public static func load(path: String) throws(ConfigurationError) -> SensorConfiguration {
        guard let bytes = FileSystem.contents(of: path) else {
            throw ConfigurationError(message: "Unable to read config file '\(path)'.")
        }
        return try parse(String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// Parses config text; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws(ConfigurationError) -> SensorConfiguration {
        var configuration = SensorConfiguration()
        var section = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let location = "\(source):\(index + 1)"
            let line = rawLine.prefix { $0 != "#" }.trimmingWhitespace()
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw ConfigurationError(message: "\(location): unclosed section '\(line)'.") }
                section = String(line.dropFirst().dropLast()).trimmingWhitespace()
                guard ["usb", "baud", "placement", "sound", "database"].contains(section) else {
                    throw ConfigurationError(message: "\(location): unknown section '[\(section)]' (expected [usb], [baud], [placement], [sound] or [database]).")
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(message: "\(location): expected 'key = value', got '\(line)'.")
            }
            let key = line[..<equals].trimmingWhitespace()
            let value = line[line.index(after: equals)...].trimmingWhitespace()
            switch (section, key) {
            case ("usb", "ids"):
                var ids: [USBDeviceID] = []
                for item in value.split(separator: ",") {
                    let text = item.trimmingWhitespace()
                    guard let id = USBDeviceID(text) else {
                        throw ConfigurationError(message: "\(location): '\(text)' is not a USB id (expected vvvv:pppp in hex, e.g. 0403:6001).")
                    }
                    ids.append(id)
                }
                configuration.usbIDs = ids
            case ("usb", "baud"):
                guard let rate = Int(value).flatMap(BaudRate.init) else {
                    throw ConfigurationError(message: "\(location): '\(value)' is not a supported baud rate (e.g. 115200, 921600).")
                }
                configuration.baudRate = rate
            case ("baud", _):
                guard let rate = Int(value).flatMap(BaudRate.init) else {
                    throw ConfigurationError(message: "\(location): '\(value)' is not a supported baud rate for '\(key)' (e.g. 9600, 115200, 921600).")
                }
                configuration.baudRates[key.lowercased()] = rate
            case ("placement", _):
                guard let placement = SensorPlacement(rawValue: value) else {
                    let known = SensorPlacement.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ConfigurationError(message: "\(location): unknown placement '\(value)' (expected \(known)).")
                }
                configuration.placements[key.lowercased()] = placement
            case ("sound", _):
                configuration.sound.append(ConfigEntry(key: key, value: value, location: location))
            case ("database", "url"), ("database", "password"):
                configuration.database.append(ConfigEntry(key: key, value: value, location: location))
            case ("database", _):
                throw ConfigurationError(message: "\(location): unknown key '\(key)' in [database] (expected url or password).")
            case ("usb", _):
                throw ConfigurationError(message: "\(location): unknown key '\(key)' in [usb] (expected ids or baud).")
            default:
                throw ConfigurationError(message: "\(location): '\(key)' is outside a section (expected [usb] or [placement] first).")
            }
        }
        return configuration
    }
}

/// One `key = value` line of a config section, with where it was (`file:line`) for error messages.
public struct ConfigEntry: Sendable, Hashable {
    public var key: String
    public var value: String
    public var location: String
    public init(key: String, value: String, location: String) {
        self.key = key
        self.value = value
        self.location = location
    }
}

/// A config file that cannot be used; the message names the file and line.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (and a Windows line end).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
