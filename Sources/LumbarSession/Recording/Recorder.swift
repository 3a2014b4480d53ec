import Foundation
import LumbarCore

/// Writes a recording: raw received bytes per sensor with their host receive times, append-only,
/// flushed to disk at a bounded interval by its own thread.
///
/// Callers (one transport reader per sensor, the daemon) never wait for the disk: `append` copies
/// into a bounded buffer and returns; when the buffer is full (a stalled disk), the bytes are dropped,
/// counted, and a `dropped` record marks the gap. A write failure (disk full, I/O error) is kept in
/// `failure` (naming the file), stops further writing, and is thrown by `flush()` and `close()`.
/// After `kill -9` or power loss everything up to the last flush reads back (see `RecordingReader`).
///
/// ```swift
/// let recorder = try Recorder(path: "session.lrec", header: header)
/// recorder.sensorConnected(index: 0, SensorDescriptor(id: "A1", placement: .lumbar), at: now)
/// recorder.append(sensor: 0, receiveTime: now, bytes: chunk)
/// let stats = try recorder.close()
/// ```
public final class Recorder: @unchecked Sendable {
    // @unchecked: the mutable state the caller and the flusher thread share (`pending`, counters, the
    // open flag) is read and written only under `state`; the file is written only under `writeLock`.
    /// | name | unit | default | meaning |
    /// |---|---|---|---|
    /// | `flushInterval` | s | 0.5 | longest time received bytes wait in memory before being written |
    /// | `bufferCapacity` | bytes | 8 MiB | data waiting to be written beyond this is dropped and counted |
    /// | `syncToDisk` | — | true | `fsync` after each flush, so a power loss also keeps everything flushed |
    public struct Settings: Sendable, Hashable {
        public var flushInterval: Double
        public var bufferCapacity: Int
        public var syncToDisk: Bool

        public init(flushInterval: Double, bufferCapacity: Int, syncToDisk: Bool) {
            precondition(flushInterval > 0, "Recorder.Settings: 'flushInterval' must be > 0")
            self.flushInterval = flushInterval
            self.bufferCapacity = bufferCapacity
            self.syncToDisk = syncToDisk
        }

        public static let `default` = Settings(flushInterval: 0.5, bufferCapacity: 8 << 20, syncToDisk: true)
    }

    /// What the recorder did so far.
    public struct Statistics: Sendable, Hashable {
        /// Bytes in the file (magic, header and every record written).
        public var bytesWritten: Int64 = 0
        /// Data records accepted.
        public var dataRecords: Int = 0
        /// Data records dropped because the buffer was full or writing had failed.
        public var droppedRecords: Int = 0
        /// Sensor bytes dropped.
        public var droppedBytes: Int64 = 0
        /// Completed flushes.
        public var flushes: Int = 0
    }

    /// The file written: `requestedPath`, or a numbered name next to it when that existed.
    public let path: String
    /// The path asked for.
    public let requestedPath: String
    public let settings: Settings

    private let fd: Int32
    private let state = NSCondition()  // guards everything below up to `writeLock`
    private var pending: [UInt8] = []
    private var closed = false
    private var stats = Statistics()
    private var failed: RecordingError?
    private var droppedPerSensor = [Int64](repeating: 0, count: RecordingFormat.maximumSensors)
    private let writeLock = NSLock()  // one writer at a time; guards `spare`
    private var spare: [UInt8] = []
    private var flusherRunning = false
    private var fileOpen = true

    /// Creates the recording and writes the magic and the header record. A recording is never
    /// overwritten: when `path` exists, the file gets the first free numbered name (`session-1.lrec`, …;
    /// `path` then says which), unless `overwrite`.
    ///
    /// - Throws: `RecordingError` naming the file when it cannot be created or written.
    public init(
        path: String, header: RecordingHeader, settings: Settings = .default, overwrite: Bool = false
    ) throws(RecordingError) {
        self.requestedPath = path
        self.settings = settings
        switch FileDescriptorIO.createUnused(path, overwrite: overwrite) {
        case .success(let created):
            self.fd = created.fd
            self.path = created.path
        case .failure(let e):
            throw RecordingError(path: path, message: "cannot create the recording: \(e)", cause: e)
        }
        pending.reserveCapacity(min(settings.bufferCapacity, 1 << 20))
        pending = RecordEncoder.fileStart(header)
        try flush()
        flusherRunning = true
        // The thread holds the recorder until `close()`.
        let t = Thread { self.runFlusher() }
        t.name = "lumbar-recorder"
        t.start()
    }

    deinit {
        if fileOpen { FileDescriptorIO.close(fd) }
    }

    /// The first write error, if writing failed (the file holds everything up to the last good flush).
    public var failure: RecordingError? {
        state.lock()
        defer { state.unlock() }
        return failed
    }

    /// A snapshot of the statistics.
    public var statistics: Statistics {
        state.lock()
        defer { state.unlock() }
        return stats
    }

    /// Records that sensor `index` connected (first time or again). Never dropped.
    public func sensorConnected(index: Int, _ sensor: SensorDescriptor, at receiveTime: Int64) {
        precondition(index >= 0 && index < RecordingFormat.maximumSensors, "Recorder.sensorConnected: bad 'index'")
        control(.sensorConnected, index: index, receiveTime: receiveTime, payload: sensor.text.encoded)
    }

    /// Records that sensor `index` was lost, with a short reason (`unplugged`, `timeout`, ...). Never dropped.
    public func sensorLost(index: Int, reason: SensorLossReason, at receiveTime: Int64) {
        precondition(index >= 0 && index < RecordingFormat.maximumSensors, "Recorder.sensorLost: bad 'index'")
        control(.sensorLost, index: index, receiveTime: receiveTime, payload: Array(reason.rawValue.utf8))
    }

    /// Appends bytes received from sensor `index` at host time `receiveTime` (monotonic ns).
    /// Returns at once; drops and counts the chunk when the buffer is full or writing failed.
    public func append(sensor index: Int, receiveTime: Int64, bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, index >= 0, index < RecordingFormat.maximumSensors else { return }
        var offset = 0
        state.lock()
        defer { state.unlock() }
        while offset < bytes.count {
            let n = min(bytes.count - offset, RecordingFormat.maximumPayload)
            let part = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n])
            offset += n
            let size = n + RecordingFormat.recordHeaderSize + RecordingFormat.recordTrailerSize
            if failed != nil || closed || pending.count + size + 32 > settings.bufferCapacity {
                stats.droppedRecords += 1
                stats.droppedBytes += Int64(n)
                droppedPerSensor[index] += Int64(n)
                continue
            }
            if droppedPerSensor[index] > 0 {
                var count = UInt64(droppedPerSensor[index]).littleEndian
                withUnsafeBytes(of: &count) {
                    RecordEncoder.append(type: .dropped, sensor: UInt8(index), receiveTime: receiveTime, payload: $0,
                                         to: &pending)
                }
                droppedPerSensor[index] = 0
            }
            RecordEncoder.append(type: .data, sensor: UInt8(index), receiveTime: receiveTime, payload: part,
                                 to: &pending)
            stats.dataRecords += 1
        }
    }

    /// Appends bytes held in an array.
    public func append(sensor index: Int, receiveTime: Int64, bytes: [UInt8]) {
        bytes.withUnsafeBytes { append(sensor: index, receiveTime: receiveTime, bytes: $0) }
    }

    /// Writes everything buffered now (and syncs it when `syncToDisk`).
    ///
    /// - Throws: the recording's write failure, if any.
    public func flush() throws(RecordingError) {
        writeLock.lock()
        defer { writeLock.unlock() }
        state.lock()
        swap(&pending, &spare)
        let alreadyFailed = failed
        let open = fileOpen
        state.unlock()
        if let alreadyFailed { throw alreadyFailed }
        guard open else { return }
        guard !spare.isEmpty else { return }
        let result = spare.withUnsafeBytes { FileDescriptorIO.writeAll(fd, $0) }
        var error: RecordingError?
        switch result {
        case .success:
            if settings.syncToDisk, case .failure(let e) = FileDescriptorIO.sync(fd) {
                error = RecordingError(path: path, message: "cannot sync the recording to disk: \(e)", cause: e)
            }
        case .failure(let e):
            error = RecordingError(
                path: path,
                message: "writing the recording failed: \(e); everything up to the last flush is readable, "
                    + "later data was dropped", cause: e)
        }
        let written = Int64(spare.count)
        spare.removeAll(keepingCapacity: true)
        state.lock()
        if let error {
            failed = error
        } else {
            stats.bytesWritten += written
            stats.flushes += 1
        }
        state.unlock()
        if let error { throw error }
    }

    /// Writes an `end` record, flushes, stops the flusher thread and closes the file.
    ///
    /// - Returns: the final statistics.
    /// - Throws: the recording's write failure, if any.
    @discardableResult
    public func close() throws(RecordingError) -> Statistics {
        state.lock()
        if closed {
            state.unlock()
            return statistics
        }
        let s = stats
        let text = KeyValueText([
            ("data_records", String(s.dataRecords)), ("dropped_records", String(s.droppedRecords)),
            ("dropped_bytes", String(s.droppedBytes)),
        ]).encoded
        RecordEncoder.append(type: .end, sensor: RecordingFormat.noSensor, receiveTime: 0, payload: text, to: &pending)
        closed = true
        state.broadcast()
        while flusherRunning { state.wait() }
        state.unlock()
        var error: RecordingError?
        do { try flush() } catch let e { error = e }
        state.lock()
        fileOpen = false
        state.unlock()
        FileDescriptorIO.close(fd)
        if let error { throw error }
        return statistics
    }

    private func control(_ type: RecordType, index: Int, receiveTime: Int64, payload: [UInt8]) {
        state.lock()
        defer { state.unlock() }
        guard !closed else { return }
        RecordEncoder.append(type: type, sensor: UInt8(index), receiveTime: receiveTime, payload: payload, to: &pending)
    }

    /// The flusher thread: writes the buffer every `flushInterval` until closed.
    private func runFlusher() {
        while true {
            state.lock()
            if !closed { _ = state.wait(until: Date(timeIntervalSinceNow: settings.flushInterval)) }
            if closed {
                flusherRunning = false
                state.broadcast()
                state.unlock()
                return
            }
            state.unlock()
            try? flush()
        }
    }
}
