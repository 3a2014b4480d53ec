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
/// Either the logged folder or one device's folder may be given. The device's own data logger files
/// (`.ximu3`, from its microSD card: `XIMU3DataLoggerFile`) are read too: one file, or a folder of them
/// (one device per serial number in their ping responses; a device's several files, split by size or
/// period, read one after another in name order).
/// Each device's timestamps are its own
/// clock since power-on, so in the GUI's folders each device's time counts from its first sample (the GUI
/// starts logging every device at once); the devices' own `.ximu3` files, started each by its device, are
/// put on one time line as x-io's tools do (`XIMU3ClockAlignment`: one clock when the devices were
/// synchronised, else each file's start time). The devices' samples come merged in time order, one at a
/// time: constant memory.
///
/// Where each device is worn: `placements` by serial number or device folder name (case ignored), else a
/// device name (set in the GUI) or folder name that is a placement (`lumbar`, `left_ankle`,
/// `right_ankle`), else `lumbar` when it is the only device, else unassigned (said in `warnings`).
public final class XIMU3LoggedData {
    /// One logged device.
    public struct Device: Sendable, Hashable {
        /// The device's folder (its first `.ximu3` file for a data logger file).
        public var folder: String
        /// Its serial number (from `Command.json`, else the folder name), if known.
        public var serialNumber: String?
        /// Its device name (from `Command.json`), if known.
        public var deviceName: String?
        public var placement: SensorPlacement
        /// What the samples are read from: `x-IMU3 Inertial.csv` or `x-IMU3 .ximu3 file`.
        public var source: String
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
    /// Devices whose placement is not known, and damage met in data logger files so far, one line each.
    public var warnings: [String] {
        placementWarnings + sources.flatMap { source in
            if case .dataLogger(let file) = source { return file.warnings }
            return []
        }
    }
    private var placementWarnings: [String] = []

    /// Where one device's samples come from.
    private enum Source {
        /// The GUI's `Inertial.csv`.
        case csv(TextLineReader)
        /// The device's own `.ximu3` file(s).
        case dataLogger(XIMU3DataLoggerFile)
    }
    private let sources: [Source]
    private var lineNumbers: [Int]
    private var firstMicros: [Double?]
    private var lastMicros: [Double]
    private var heads: [ImuSample?]
    /// How the devices' `.ximu3` files were put on one time line (`XIMU3ClockAlignment`), and what each
    /// device's time (from its first sample) gets added; nil for the GUI's CSV folders.
    public private(set) var clockAlignment: XIMU3ClockAlignment?
    private var offsets: [Double]

    /// True when `path` is a folder.
    public static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Opens the logged data at `path` and reads each device's header and first sample.
    ///
    /// - Throws: `CSVError` naming the folder or file (and line) and what is wrong.
    public convenience init(path: String, placements: [String: SensorPlacement] = [:]) throws(CSVError) {
        var folders: [String] = []
        if !Self.isFolder(path) {
            try self.init(path: path, dataLoggerSegments: [[path]], placements: placements)
            return
        }
        if Self.isFile(path + "/Inertial.csv") {
            folders = [path]
        } else {
            for name in Self.subfolders(of: path) where Self.isFile(path + "/" + name + "/Inertial.csv") {
                folders.append(path + "/" + name)
            }
        }
        if folders.isEmpty {
            let files = Self.entries(of: path, folders: false).filter { $0.lowercased().hasSuffix(".ximu3") }
            if !files.isEmpty {
                try self.init(path: path, dataLoggerSegments: Self.segmentsByDevice(files.map { path + "/" + $0 }), placements: placements)
                return
            }
        }
        guard !folders.isEmpty else {
            throw CSVError(
                file: path,
                message: "a folder, but no x-IMU3 logged data in it (no Inertial.csv in it nor in a device folder such as 'x-IMU3 - SERIAL (USB)', and no .ximu3 file)")
        }
        var devices: [Device] = []
        var sources: [Source] = []
        var warnings: [String] = []
        for folder in folders {
            let (serial, name) = Self.identity(folder)
            let (device, warning) = Self.device(
                folder, serial: serial, name: name, names: [Device.lastComponent(folder)], alone: folders.count == 1, placements: placements)
            devices.append(device)
            warnings += warning.map { [$0] } ?? []
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
            sources.append(.csv(reader))
        }
        try self.init(path: path, devices: devices, sources: sources, warnings: warnings)
    }

    /// The devices of `.ximu3` files, each given as its segments in order.
    private convenience init(path: String, dataLoggerSegments: [[String]], placements: [String: SensorPlacement]) throws(CSVError) {
        var devices: [Device] = []
        var sources: [Source] = []
        var warnings: [String] = []
        for segments in dataLoggerSegments {
            let file = try XIMU3DataLoggerFile(segments: segments)
            // The file's name without `.ximu3`, and its prefix before a `_0001` counter or `_2025-01-20…` date.
            let base = String(Device.lastComponent(segments[0]).dropLast(".ximu3".count))
            var names = [base]
            if let cut = base.firstRange(of: "_"), base[cut.upperBound...].first?.isNumber == true {
                names.append(String(base[..<cut.lowerBound]))
            }
            let (device, warning) = Self.device(
                segments[0], serial: file.serialNumber, name: file.deviceName, names: names, alone: dataLoggerSegments.count == 1,
                placements: placements)
            devices.append(device)
            warnings += warning.map { [$0] } ?? []
            sources.append(.dataLogger(file))
        }
        try self.init(path: path, devices: devices, sources: sources, warnings: warnings)
    }

    private init(path: String, devices: [Device], sources: [Source], warnings: [String]) throws(CSVError) {
        self.path = path
        self.devices = devices
        self.sources = sources
        placementWarnings = warnings
        lineNumbers = Array(repeating: 1, count: sources.count)
        firstMicros = Array(repeating: nil, count: sources.count)
        lastMicros = Array(repeating: -.infinity, count: sources.count)
        heads = Array(repeating: nil, count: sources.count)
        offsets = Array(repeating: 0, count: sources.count)
        for i in sources.indices { heads[i] = try read(i) }
        // `.ximu3` files: each device's first sample is read, so its first timestamp is known.
        let files = sources.compactMap { source -> XIMU3DataLoggerFile? in
            if case .dataLogger(let file) = source { return file }
            return nil
        }
        if files.count == sources.count {
            let (alignment, offsets) = XIMU3ClockAlignment.offsets(firstTimes: files.map { $0.firstTime ?? 0 }, startedAt: files.map(\.startedAt))
            clockAlignment = alignment
            self.offsets = offsets
            for i in heads.indices { heads[i]?.time += offsets[i] }
            if alignment == .firstSamples, files.count > 1 {
                let missing = zip(devices, files).filter { $0.1.startedAt.flatMap(XIMU3ClockAlignment.seconds) == nil }.map { "'\($0.0.folder)'" }
                placementWarnings.append(
                    "\(missing.joined(separator: ", ")): no start time in the file's preamble (its write time command): "
                        + "each device's time counts from its first sample, as if all started logging together")
            }
        }
    }

    /// Device `source` and where it is worn: `placements` by serial number or one of `names` (folder or
    /// file name), else a device name or one of `names` that is a placement, else `lumbar` when `alone`;
    /// otherwise unassigned, with the warning saying how to place it.
    private static func device(
        _ source: String, serial: String?, name: String?, names: [String], alone: Bool, placements: [String: SensorPlacement]
    ) -> (Device, String?) {
        let kind = source.hasSuffix("/Inertial.csv") || isFolder(source) ? "x-IMU3 Inertial.csv" : "x-IMU3 .ximu3 file"
        var placement = serial.flatMap { placements[$0.lowercased()] } ?? names.lazy.compactMap { placements[$0.lowercased()] }.first
        if placement == nil { placement = ([name] + names).compactMap { $0.flatMap(Self.placementWord) }.first }
        if placement == nil, alone { placement = .lumbar }
        var warning: String?
        if placement == nil {
            warning = "'\(source)': no placement for this x-IMU3 (give --placement \(serial ?? names[0])=PLACEMENT, or name the device after its placement); its samples are not analysed"
        }
        return (Device(folder: source, serialNumber: serial, deviceName: name, placement: placement ?? .unassigned, source: kind), warning)
    }

    /// `.ximu3` files grouped by device (the serial number of their ping responses, else each file alone),
    /// each device's files in name order (the data logger numbers or dates them), devices in order of their first file.
    static func segmentsByDevice(_ files: [String]) -> [[String]] {
        var groups: [[String]] = []
        var bySerial: [String: Int] = [:]
        for file in files.sorted() {
            let serial = (try? XIMU3DataLoggerFile(segments: [file]))?.serialNumber
            if let serial, let g = bySerial[serial] {
                groups[g].append(file)
            } else {
                if let serial { bySerial[serial] = groups.count }
                groups.append([file])
            }
        }
        return groups
    }

    /// The next sample in time order (seconds since the earliest device's first sample, `clockAlignment`;
    /// in the GUI's folders since that device's first sample), nil at the end.
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

    /// Device `i`'s clock when its data logger file was started (its preamble's time), if it is one.
    public func startedAt(_ i: Int) -> String? {
        if case .dataLogger(let file) = sources[i] { return file.startedAt }
        return nil
    }

    /// Fraction of the files read, 0…1.
    public var progress: Double {
        var size: Int64 = 0
        var read: Int64 = 0
        for source in sources {
            switch source {
            case .csv(let r): (size, read) = (size + r.fileSize, read + r.bytesRead)
            case .dataLogger(let f): (size, read) = (size + f.fileSize, read + f.bytesRead)
            }
        }
        guard size > 0 else { return 0 }
        return min(1, Double(read) / Double(size))
    }

    /// Device `i`'s next sample, nil at its end.
    private func read(_ i: Int) throws(CSVError) -> ImuSample? {
        let reader: TextLineReader
        switch sources[i] {
        case .dataLogger(let file):
            guard var sample = try file.next() else { return nil }
            sample.time += offsets[i]
            return sample
        case .csv(let r): reader = r
        }
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
    private static func subfolders(of path: String) -> [String] { entries(of: path, folders: true) }

    /// The names of `path`'s folders (or regular files) not starting with `.`, sorted.
    private static func entries(of path: String, folders: Bool) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix("."), folders ? isFolder(path + "/" + name) : isFile(path + "/" + name) { names.append(name) }
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
