#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarCore
import LumbarProtocol

/// One x-IMU3's `.ximu3` file: what its own data logger writes to its microSD card (x-IMU3 user manual,
/// "Data logger"), which x-io's software reads back through a file connection (x-IMU3 API,
/// `FileConnection`: the file's bytes go to the same receiver as a serial port's).
///
/// The manual: "The contents of a file is a byte stream as per the communication protocol", starting
/// with a preamble of command messages: the ping response (`{"ping":{"interface":…,"name":…,"sn":…}}`),
/// the write time command (`{"time":"YYYY-MM-DD hh:mm:ss"}`, the device's clock when logging started)
/// and one write setting command per setting; then the data messages as the device sent them, ASCII or
/// binary (`XIMU3Decoder`). A device splits a long log into several files (maximum file size or period):
/// `segments` are read one after another, the device's µs timestamps running on across them.
///
/// Samples come one at a time, decoded 64 KiB at a time (constant memory), on device time in seconds
/// since the first sample. What cannot be used is skipped and said in `warnings` (a message cut off at
/// the end of a segment, messages that do not parse, samples that are not finite or go back in time);
/// a file that is not x-IMU3 data at all, or holds no inertial message, is an error naming it.
public final class XIMU3DataLoggerFile {
    /// The segment files, in order.
    public let segments: [String]
    /// The device's serial number and name, from the first segment's ping response.
    public let serialNumber: String?
    public let deviceName: String?
    /// The device's clock when logging started (the preamble's write time command), as written.
    public let startedAt: String?
    /// Total size of the segments in bytes, and bytes read so far (for progress).
    public private(set) var fileSize: Int64 = 0
    public private(set) var bytesRead: Int64 = 0

    /// Bytes read per decode.
    static let chunkSize = 1 << 16
    /// Preamble bytes looked through for the ping response and the time.
    static let preambleLimit = 1 << 16

    private var segment = 0
    private var fd: Int32 = -1
    private var decoder = XIMU3Decoder()
    private var buffer = [UInt8](repeating: 0, count: XIMU3DataLoggerFile.chunkSize)
    private var pending: [ImuSample] = []
    private var nextPending = 0
    /// The first inertial sample's device timestamp (seconds since the device started), once read.
    public private(set) var firstTime: Double?
    private var lastTime = -Double.infinity
    /// Bytes after the last LF of the current segment (a message not yet ended).
    private var unterminated = 0
    private var notFinite = 0
    private var backwards = 0
    private var deviceMessages: [String] = []
    private var deviceMessageCount = 0
    private var damage: [String] = []

    /// True when `path` names a `.ximu3` file by its extension, or its first bytes are a ping response
    /// (how every data logger file starts; a pipe copied to a temporary file has no extension).
    public static func looksLikeXIMU3(_ path: String) -> Bool {
        if path.lowercased().hasSuffix(".ximu3") { return true }
        guard case .success(let fd) = FileDescriptorIO.openForReading(path) else { return false }
        defer { FileDescriptorIO.close(fd) }
        let ping = Array("{\"ping\":".utf8)
        var head = [UInt8](repeating: 0, count: ping.count)
        let n = head.withUnsafeMutableBytes { (try? FileDescriptorIO.read(fd, into: $0.baseAddress!, count: ping.count).get()) ?? 0 }
        return n == ping.count && head == ping
    }

    /// Opens the first segment and reads the device's identity from its preamble.
    ///
    /// - Throws: `CSVError` naming the file: cannot open, empty, or not x-IMU3 data.
    public init(segments: [String]) throws(CSVError) {
        precondition(!segments.isEmpty, "an x-IMU3 data logger file needs at least one segment")
        self.segments = segments
        for path in segments {
            var info = stat()
            if stat(path, &info) == 0 { fileSize += Int64(info.st_size) }
        }
        let head = try Self.head(of: segments[0])
        guard let first = head.first else {
            throw CSVError(file: segments[0], message: "empty file, expected x-IMU3 data (the device's ping response, then its messages)")
        }
        guard first == UInt8(ascii: "{") || (first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z")) || first >= 0x80 else {
            throw CSVError(
                file: segments[0],
                message: "not an x-IMU3 data logger file: it starts with byte 0x\(first < 16 ? "0" : "")\(String(first, radix: 16, uppercase: true)) "
                    + "(a .ximu3 file starts with a command message '{…}' or a data message)")
        }
        var serial: String?
        var name: String?
        var time: String?
        // The preamble's command messages, one per line, before the first data message.
        for line in head.split(separator: 0x0A, omittingEmptySubsequences: true) {
            guard line.first == UInt8(ascii: "{") else { break }
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("{\"ping\":") {
                serial = serial ?? XIMU3LoggedData.jsonString(text, keys: ["sn", "serialNumber", "serial_number"])
                name = name ?? XIMU3LoggedData.jsonString(text, keys: ["name", "deviceName", "device_name"])
            } else if text.hasPrefix("{\"time\":") {
                time = time ?? XIMU3LoggedData.jsonString(text, keys: ["time"])
            }
        }
        serialNumber = serial
        deviceName = name
        startedAt = time
        pending.reserveCapacity(Self.chunkSize / 16)
        try open(0)
    }

    deinit {
        if fd >= 0 { FileDescriptorIO.close(fd) }
    }

    /// Problems met so far, one line each, naming the file.
    public var warnings: [String] {
        var lines = damage
        let name = segments.count == 1 ? "'\(segments[0])'" : "'\(segments[0])' (and \(segments.count - 1) more segments)"
        let c = decoder.counters
        if c.malformedMessages + c.oversizeMessages > 0 {
            lines.append("\(name): \(c.malformedMessages + c.oversizeMessages) x-IMU3 messages did not parse and were skipped (\(c.skippedBytes) bytes)")
        }
        if notFinite > 0 { lines.append("\(name): \(notFinite) inertial messages with values that are not finite numbers were skipped") }
        if backwards > 0 { lines.append("\(name): \(backwards) inertial messages whose timestamp goes back were skipped") }
        if deviceMessageCount > 0 {
            let more = deviceMessageCount > deviceMessages.count ? " (and \(deviceMessageCount - deviceMessages.count) more)" : ""
            lines.append("\(name): the device logged " + deviceMessages.joined(separator: "; ") + more)
        }
        return lines
    }

    /// The next inertial sample (device seconds since the first one), nil after the last segment.
    ///
    /// - Throws: `CSVError` naming the file when it cannot be read, or holds no inertial message at all.
    public func next() throws(CSVError) -> ImuSample? {
        while nextPending == pending.count {
            pending.removeAll(keepingCapacity: true)
            nextPending = 0
            guard fd >= 0 else { return nil }
            try fill()
        }
        defer { nextPending += 1 }
        return pending[nextPending]
    }

    /// Decodes the next chunk of the current segment into `pending`; at its end, moves to the next one.
    private func fill() throws(CSVError) {
        let path = segments[segment]
        let result = buffer.withUnsafeMutableBytes { FileDescriptorIO.read(fd, into: $0.baseAddress!, count: $0.count) }
        let count: Int
        switch result {
        case .success(let n): count = n
        case .failure(let e): throw CSVError(file: path, message: "cannot read the file: \(e)")
        }
        guard count > 0 else {
            if unterminated > 0 {
                damage.append(
                    "'\(path)': the file ends in the middle of a message (its last \(unterminated) bytes have no LF; "
                        + "logging stopped while writing it?): they are skipped")
            }
            FileDescriptorIO.close(fd)
            fd = -1
            if segment + 1 < segments.count {
                try open(segment + 1)
                return
            }
            guard firstTime != nil else {
                throw CSVError(
                    file: segments[0],
                    message: "no x-IMU3 inertial message in \(bytesRead) bytes (\(decoder.counters.messages) other messages; "
                        + "is the device's inertial message rate divisor 0?)")
            }
            return
        }
        bytesRead += Int64(count)
        buffer.withUnsafeBytes { raw in
            let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<count])
            // Bytes after the chunk's last LF (a message goes on in the next chunk, or was cut off).
            var last = count - 1
            while last >= 0 && chunk[last] != 0x0A { last -= 1 }
            unterminated = last >= 0 ? count - 1 - last : unterminated + count
            decoder.decode(chunk) { output in
                switch output {
                case .sample(var s):
                    guard s.accelerometer.x.isFinite, s.accelerometer.y.isFinite, s.accelerometer.z.isFinite,
                        s.gyroscope.x.isFinite, s.gyroscope.y.isFinite, s.gyroscope.z.isFinite
                    else { return notFinite += 1 }
                    guard s.time >= lastTime else { return backwards += 1 }
                    lastTime = s.time
                    let first = firstTime ?? s.time
                    firstTime = first
                    s.time -= first
                    pending.append(s)
                case .notification(let time, let text), .deviceError(let time, let text):
                    deviceMessageCount += 1
                    if deviceMessages.count < 3 {
                        let since = FixedDecimal.format(time - (firstTime ?? time), decimals: 3)
                        deviceMessages.append("'\(text)' at \(since) s")
                    }
                case .battery, .temperature:
                    break
                }
            }
        }
    }

    private func open(_ index: Int) throws(CSVError) {
        segment = index
        unterminated = 0
        switch FileDescriptorIO.openForReading(segments[index]) {
        case .success(let fd): self.fd = fd
        case .failure(let e): throw CSVError(file: segments[index], message: "cannot open the file: \(e)")
        }
    }

    /// The first `preambleLimit` bytes of `path`.
    private static func head(of path: String) throws(CSVError) -> [UInt8] {
        let fd: Int32
        switch FileDescriptorIO.openForReading(path) {
        case .success(let f): fd = f
        case .failure(let e): throw CSVError(file: path, message: "cannot open the file: \(e)")
        }
        defer { FileDescriptorIO.close(fd) }
        var head = [UInt8](repeating: 0, count: preambleLimit)
        var total = 0
        while total < head.count {
            let result = head.withUnsafeMutableBytes { FileDescriptorIO.read(fd, into: $0.baseAddress! + total, count: $0.count - total) }
            guard case .success(let n) = result else {
                if case .failure(let e) = result { throw CSVError(file: path, message: "cannot read the file: \(e)") }
                break
            }
            if n == 0 { break }
            total += n
        }
        return Array(head[0..<total])
    }
}
