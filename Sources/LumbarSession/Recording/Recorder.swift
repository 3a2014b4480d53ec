import Dispatch
import LumbarCore
import LumbarThreads
import Synchronization

/// Writes a recording: raw received bytes per sensor with their host receive times, append-only,
/// flushed to disk at a bounded interval by its own thread (an `OSThread` woken by a semaphore, joined by
/// `close()`; the state it shares with the callers is under one `Mutex`).
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
public final class Recorder: Sendable {
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

    /// What the callers and the flusher share.
    private struct State {
        var pending: [UInt8] = []
        var closed = false
        var stats = Statistics()
        var failed: RecordingError?
        var droppedPerSensor = [Int64](repeating: 0, count: RecordingFormat.maximumSensors)
        var fileOpen = true
    }

    private let fd: Int32
    private let state = Mutex(State())
    /// One writer at a time (the flusher, `flush()`, `close()`); holds the buffer being written, swapped
    /// with `pending`. Taken before `state`, never after.
    private let writer = Mutex<[UInt8]>([])
    /// Wakes the flusher early (at `close()`).
    private let wake = DispatchSemaphore(value: 0)
    private let flusher = Mutex<OSThread?>(nil)

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
        state.withLock { s in
            s.pending.reserveCapacity(min(settings.bufferCapacity, 1 << 20))
            s.pending = RecordEncoder.fileStart(header)
        }
        try flush()
        // The thread holds the recorder until `close()` joins it.
        let thread = OSThread(name: "lumbar-recorder") { self.runFlusher() }
        flusher.withLock { $0 = thread }
    }

    deinit {
        if state.withLock({ $0.fileOpen }) { FileDescriptorIO.close(fd) }
    }

    /// The first write error, if writing failed (the file holds everything up to the last good flush).
    public var failure: RecordingError? { state.withLock { $0.failed } }

    /// A snapshot of the statistics.
    public var statistics: Statistics { state.withLock { $0.stats } }

    /// Records that sensor `index` connected (first time or again). Never dropped.
    public func sensorConnected(index: Int, _ sensor: SensorDescriptor, at receiveTime: Int64) {
        precondition(index >= 0 && index < RecordingFormat.maximumSensors, "Recorder.sensorConnected: bad 'index'")
        control(.sensorConnected, index: index, receiveTime: receiveTime, payload: sensor.text.encoded)
    }

    /// Records that sensor `index` was lost, with its reason. Never dropped.
    public func sensorLost(index: Int, reason: SensorLossReason, at receiveTime: Int64) {
        precondition(index >= 0 && index < RecordingFormat.maximumSensors, "Recorder.sensorLost: bad 'index'")
        control(.sensorLost, index: index, receiveTime: receiveTime, payload: Array(reason.rawValue.utf8))
    }

    /// Appends bytes received from sensor `index` at host time `receiveTime` (monotonic ns).
    /// Returns at once; drops and counts the chunk when the buffer is full or writing failed.
    public func append(sensor index: Int, receiveTime: Int64, bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, index >= 0, index < RecordingFormat.maximumSensors else { return }
        let capacity = settings.bufferCapacity
        state.withLock { s in
            var offset = 0
            while offset < bytes.count {
                let n = min(bytes.count - offset, RecordingFormat.maximumPayload)
                let part = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n])
                offset += n
                let size = n + RecordingFormat.recordHeaderSize + RecordingFormat.recordTrailerSize
                if s.failed != nil || s.closed || s.pending.count + size + 32 > capacity {
                    s.stats.droppedRecords += 1
                    s.stats.droppedBytes += Int64(n)
                    s.droppedPerSensor[index] += Int64(n)
                    continue
                }
                if s.droppedPerSensor[index] > 0 {
                    var count = UInt64(s.droppedPerSensor[index]).littleEndian
                    withUnsafeBytes(of: &count) {
                        RecordEncoder.append(type: .dropped, sensor: UInt8(index), receiveTime: receiveTime, payload: $0,
                                             to: &s.pending)
                    }
                    s.droppedPerSensor[index] = 0
                }
                RecordEncoder.append(type: .data, sensor: UInt8(index), receiveTime: receiveTime, payload: part,
                                     to: &s.pending)
                s.stats.dataRecords += 1
            }
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
        let error: RecordingError? = writer.withLock { spare in
            let (alreadyFailed, open) = state.withLock { s in
                swap(&s.pending, &spare)
                return (s.failed, s.fileOpen)
            }
            if let alreadyFailed { return alreadyFailed }
            guard open, !spare.isEmpty else { return nil }
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
            state.withLock { s in
                if let error {
                    s.failed = error
                } else {
                    s.stats.bytesWritten += written
                    s.stats.flushes += 1
                }
            }
            return error
        }
        if let error { throw error }
    }

    /// Writes an `end` record, flushes, stops and joins the flusher thread and closes the file.
    ///
    /// - Returns: the final statistics.
    /// - Throws: the recording's write failure, if any.
    @discardableResult
    public func close() throws(RecordingError) -> Statistics {
        let wasClosed = state.withLock { s in
            if s.closed { return true }
            let text = KeyValueText([
                ("data_records", String(s.stats.dataRecords)), ("dropped_records", String(s.stats.droppedRecords)),
                ("dropped_bytes", String(s.stats.droppedBytes)),
            ]).encoded
            RecordEncoder.append(type: .end, sensor: RecordingFormat.noSensor, receiveTime: 0, payload: text, to: &s.pending)
            s.closed = true
            return false
        }
        if wasClosed { return statistics }
        wake.signal()
        flusher.withLock { $0.take() }?.join()
        var error: RecordingError?
        do { try flush() } catch let e { error = e }
        state.withLock { $0.fileOpen = false }
        FileDescriptorIO.close(fd)
        if let error { throw error }
        return statistics
    }

    private func control(_ type: RecordType, index: Int, receiveTime: Int64, payload: [UInt8]) {
        state.withLock { s in
            guard !s.closed else { return }
            RecordEncoder.append(type: type, sensor: UInt8(index), receiveTime: receiveTime, payload: payload, to: &s.pending)
        }
    }

    /// The flusher thread: writes the buffer every `flushInterval` until closed (`close()` wakes it and
    /// writes the rest itself).
    private func runFlusher() {
        let interval = DispatchTimeInterval.nanoseconds(Int(settings.flushInterval * 1e9))
        while true {
            _ = wake.wait(timeout: .now() + interval)
            if state.withLock({ $0.closed }) { return }
            try? flush()
        }
    }
}
