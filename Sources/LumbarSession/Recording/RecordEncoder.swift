import LumbarProtocol

/// Appends complete, checksummed records to a byte buffer (the pure half of the recorder).
public enum RecordEncoder {
    /// Appends one record.
    ///
    /// - Parameters:
    ///   - type: what the record holds.
    ///   - sensor: the sensor index, or `RecordingFormat.noSensor`.
    ///   - receiveTime: host monotonic time the bytes were received, nanoseconds.
    ///   - payload: the record's payload (at most `RecordingFormat.maximumPayload` bytes).
    ///   - buffer: where the record is appended.
    public static func append(
        type: RecordType, sensor: UInt8, receiveTime: Int64, payload: UnsafeRawBufferPointer,
        to buffer: inout [UInt8]
    ) {
        precondition(payload.count <= RecordingFormat.maximumPayload, "RecordEncoder.append: 'payload' too long")
        let start = buffer.count
        appendLE(RecordingFormat.marker, &buffer)
        buffer.append(type.rawValue)
        buffer.append(sensor)
        appendLE(UInt32(payload.count), &buffer)
        appendLE(UInt64(bitPattern: receiveTime), &buffer)
        buffer.append(contentsOf: payload)
        let crc = buffer.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        appendLE(crc, &buffer)
    }

    /// Appends one record whose payload is an array.
    public static func append(
        type: RecordType, sensor: UInt8, receiveTime: Int64, payload: [UInt8], to buffer: inout [UInt8]
    ) {
        payload.withUnsafeBytes { append(type: type, sensor: sensor, receiveTime: receiveTime, payload: $0, to: &buffer) }
    }

    /// The file's first bytes: magic and header record.
    public static func fileStart(_ header: RecordingHeader) -> [UInt8] {
        var b = RecordingFormat.magic
        append(type: .header, sensor: RecordingFormat.noSensor, receiveTime: header.startHostNanoseconds,
               payload: header.text.encoded, to: &b)
        return b
    }

    @inline(__always)
    static func appendLE<T: FixedWidthInteger>(_ v: T, _ buffer: inout [UInt8]) {
        var x = v.littleEndian
        withUnsafeBytes(of: &x) { buffer.append(contentsOf: $0) }
    }
}
