#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore

/// The data an x-IMU3 logs through x-io's GUI ("Data Logger"): a folder holding one folder per device,
/// named like `x-IMU3 - F7E4-5410-EC7B-D7E7 (USB)`, each with one CSV file per message type and the
/// device's answers to the GUI's commands (`Command.json`: its ping names the device and its serial
/// number). Lumbar reads `Inertial.csv`:
///
/// ```
/// Timestamp (us),Gyroscope X (deg/s),Gyroscope Y (deg/s),Gyroscope Z (deg/s),Accelerometer X (g),Accelerometer Y (g),Accelerometer Z (g)
/// 34290905,0.212382,-0.027105,0.072782,0.000092,0.031777,1.007784
/// ```
///
/// Either the logged folder or one device's folder may be given. Each device's timestamps are its own
/// clock since power-on, so each device's time counts from its first sample (the GUI starts logging every
/// device at once). The devices' samples come merged in time order, one at a time: constant memory.
///
/// Where each device is worn: `placements` by serial number or device folder name (case ignored), else a
/// device name (set in the GUI) or folder name that is a placement (`lumbar`, `left_ankle`,
/// `right_ankle`), else `lumbar` when it is the only device, else unassigned (said in `warnings`).
public final class XIMU3LoggedData {
    /// One logged device.
    public struct Device: Sendable, Hashable {
        /// The device's folder.
        public var folder: String
        /// Its serial number (from `Command.json`, else the folder name), if known.
        public var serialNumber: String?
        /// Its device name (from `Command.json`), if known.
        public var deviceName: String?
        public var placement: SensorPlacement
        /// The session id: the serial number, else the folder's name.
        public var id: String { serialNumber ?? Self.lastComponent(folder) }

        static func lastComponent(_ path: String) -> String {
            String(path.split(separator: "/").last ?? Substring(path))
        }
    }

    /// The columns of `Inertial.csv`, in order.
    public static let inertialHeader = [
        "Timestamp (us)", "Gyroscope X (deg/s)", "Gyroscope Y (deg/s)", "Gyroscope Z (deg/s)",
        "Accelerometer X (g)", "Accelerometer Y (g)", "Accelerometer Z (g)",
    ]

    public let path: String
    public let devices: [Device]
    /// Devices whose placement is not known, one line each.
    public private(set) var warnings: [String] = []
    private let readers: [TextLineReader]
    private var lineNumbers: [Int]
    private var firstMicros: [Double?]
    private var lastMicros: [Double]
    private var heads: [ImuSample?]

    /// True when `path` is a folder.
    public static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Opens the logged data at `path` and reads each device's header and first sample.
    ///
    /// - Throws: `CSVError` naming the folder or file (and line) and what is wrong.
    public init(path: String, placements: [String: SensorPlacement] = [:]) throws(CSVError) {
        self.path = path
        var folders: [String] = []
        if Self.isFile(path + "/Inertial.csv") {
            folders = [path]
        } else {
            for name in Self.subfolders(of: path) where Self.isFile(path + "/" + name + "/Inertial.csv") {
                folders.append(path + "/" + name)
            }
        }
        guard !folders.isEmpty else {
            throw CSVError(
                file: path,
                message: "a folder, but no x-IMU3 logged data in it (no Inertial.csv in it nor in a device folder such as 'x-IMU3 - SERIAL (USB)')")
        }
        var devices: [Device] = []
        var readers: [TextLineReader] = []
        var warnings: [String] = []
        for folder in folders {
            let (serial, name) = Self.identity(folder)
            let folderName = Device.lastComponent(folder)
            var placement = serial.flatMap { placements[$0.lowercased()] } ?? placements[folderName.lowercased()]
            if placement == nil { placement = [name, folderName].compactMap { $0.flatMap(Self.placementWord) }.first }
            if placement == nil, folders.count == 1 { placement = .lumbar }
            if placement == nil {
                warnings.append(
                    "'\(folder)': no placement for this x-IMU3 (give --placement \(serial ?? folderName)=PLACEMENT, or name the device after its placement); its samples are not analysed")
            }
            devices.append(Device(folder: folder, serialNumber: serial, deviceName: name, placement: placement ?? .unassigned))
            let reader = try TextLineReader(path: folder + "/Inertial.csv")
            let header = try reader.next()
            let columns = header.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingCharacters()) } }
            guard columns == Self.inertialHeader else {
                throw CSVError(
                    file: reader.path, line: 1,
                    message: header == nil
                        ? "empty file, expected the header '\(Self.inertialHeader.joined(separator: ","))'"
                        : "not an x-IMU3 Inertial.csv header (expected '\(Self.inertialHeader.joined(separator: ","))')")
            }
            readers.append(reader)
        }
        self.devices = devices
        self.readers = readers
        self.warnings = warnings
        lineNumbers = Array(repeating: 1, count: readers.count)
        firstMicros = Array(repeating: nil, count: readers.count)
        lastMicros = Array(repeating: -.infinity, count: readers.count)
        heads = Array(repeating: nil, count: readers.count)
        for i in readers.indices { heads[i] = try read(i) }
    }

    /// The next sample in time order (device time in seconds since that device's first sample), nil at the end.
    public func next() throws(CSVError) -> (device: Int, sample: ImuSample)? {
        var best: Int?
        for i in heads.indices {
            guard let head = heads[i] else { continue }
            if best.map({ head.time < heads[$0]!.time }) ?? true { best = i }
        }
        guard let best, let sample = heads[best] else { return nil }
        heads[best] = try read(best)
        return (best, sample)
    }

    /// Fraction of the files read, 0…1.
    public var progress: Double {
        let size = readers.reduce(Int64(0)) { $0 + $1.fileSize }
        guard size > 0 else { return 0 }
        return min(1, Double(readers.reduce(Int64(0)) { $0 + $1.bytesRead }) / Double(size))
    }

    /// Device `i`'s next sample, nil at its end.
    private func read(_ i: Int) throws(CSVError) -> ImuSample? {
        let reader = readers[i]
        while let line = try reader.next() {
            lineNumbers[i] += 1
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            func fail(_ message: String) -> CSVError { CSVError(file: reader.path, line: lineNumbers[i], message: message) }
            guard fields.count == Self.inertialHeader.count else {
                throw fail("expected \(Self.inertialHeader.count) comma-separated values (\(Self.inertialHeader.joined(separator: ", "))), found \(fields.count)")
            }
            var values = [Double](repeating: 0, count: fields.count)
            for (k, field) in fields.enumerated() {
                guard let v = CSVNumber.parse(Substring(field.trimmingCharacters())), v.isFinite else {
                    throw CSVError(
                        file: reader.path, line: lineNumbers[i], column: k + 1, columnName: Self.inertialHeader[k],
                        message: "'\(field)' is not a number")
                }
                values[k] = v
            }
            let micros = values[0]
            guard micros >= lastMicros[i] else {
                throw fail("the timestamp goes back, to \(Int64(micros)) us after \(Int64(lastMicros[i])) us")
            }
            lastMicros[i] = micros
            let first = firstMicros[i] ?? micros
            firstMicros[i] = first
            return ImuSample(
                time: (micros - first) * 1e-6,
                accelerometer: Vector3(Float(values[4]), Float(values[5]), Float(values[6])),
                gyroscope: Vector3(Float(values[1]), Float(values[2]), Float(values[3])))
        }
        return nil
    }

    // MARK: The folder

    private static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// The names of `path`'s folders not starting with `.`, sorted.
    private static func subfolders(of path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix("."), isFolder(path + "/" + name) { names.append(name) }
        }
        return names.sorted()
    }

    /// The serial number and device name from the folder's `Command.json` ping answer (`serialNumber` or
    /// `sn`, `deviceName` or `name`), else the serial number from a folder name `NAME - SERIAL (INTERFACE)`.
    static func identity(_ folder: String) -> (serial: String?, name: String?) {
        var serial: String?
        var name: String?
        if let reader = try? TextLineReader(path: folder + "/Command.json") {
            var text = ""
            while let line = try? reader.next(), text.utf8.count < 65_536 { text += line }
            serial = jsonString(text, keys: ["serialNumber", "sn"])
            name = jsonString(text, keys: ["deviceName", "name"])
        }
        if serial == nil {
            let folderName = Device.lastComponent(folder)
            if let dash = folderName.firstRange(of: " - "), let open = folderName.ranges(of: " (").last, dash.upperBound < open.lowerBound {
                serial = String(folderName[dash.upperBound..<open.lowerBound])
            }
        }
        return (serial, name)
    }

    /// The string value of the first of `keys` found in `text` (`"key":"value"`), without a JSON parser:
    /// the ping answer is flat and its values hold no quotes.
    static func jsonString(_ text: String, keys: [String]) -> String? {
        for key in keys {
            guard let range = text.firstRange(of: "\"\(key)\"") else { continue }
            var rest = text[range.upperBound...].drop { $0 == " " }
            guard rest.first == ":" else { continue }
            rest = rest.dropFirst().drop { $0 == " " }
            guard rest.first == "\"" else { continue }
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: "\"") else { continue }
            let value = String(rest[..<end])
            if !value.isEmpty { return value }
        }
        return nil
    }

    /// A placement named by `word` (`Left Ankle`, `left-ankle`, `lumbar`), nil for anything else.
    static func placementWord(_ word: String) -> SensorPlacement? {
        let normal = String(word.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
        guard let p = SensorPlacement(rawValue: normal), p != .unassigned else { return nil }
        return p
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate func trimmingCharacters() -> Substring {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}
