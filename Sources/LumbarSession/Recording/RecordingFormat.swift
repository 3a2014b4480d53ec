/// The constants of the Lumbar recording format (`firmware-protocol/RECORDING.md`, version 1).
///
/// A recording is an 8-byte magic followed by checksummed, append-only records. Every record is
/// `marker u16 | type u8 | sensor u8 | length u32 | receive time i64 ns | payload | CRC-32C u32`,
/// little-endian, the CRC covering everything from the marker to the end of the payload.
public enum RecordingFormat {
    /// The first 8 bytes of every recording: ASCII `LUMBREC` and the format's major version byte.
    public static let magic: [UInt8] = Array("LUMBREC".utf8) + [1]
    /// The format version written in the magic and the header record.
    public static let version = 1
    /// Bytes `L`,`R` that start every record (for resynchronising after a damaged record).
    public static let marker: UInt16 = 0x524C
    /// Bytes before the payload.
    public static let recordHeaderSize = 16
    /// Bytes after the payload (the CRC).
    public static let recordTrailerSize = 4
    /// Largest payload a record may carry, bytes; a longer length field means damage.
    public static let maximumPayload = 1 << 20
    /// The sensor field of records that concern no sensor.
    public static let noSensor: UInt8 = 0xFF
    /// Most sensors one recording can hold (indexes 0...254).
    public static let maximumSensors = 255
}

/// What a record holds. Readers skip types they do not know (forward compatibility).
public enum RecordType: UInt8, Sendable, Hashable, CaseIterable {
    /// First record: the recording's header, UTF-8 `key=value` lines.
    case header = 1
    /// A sensor connected (first time or again): UTF-8 `key=value` lines (`id`, `placement`, ...).
    case sensorConnected = 2
    /// Raw bytes received from the sensor, exactly as read from the transport.
    case data = 3
    /// The sensor was lost (unplugged, hung up, silent); payload is the reason, UTF-8.
    case sensorLost = 4
    /// The recorder had to drop bytes of this sensor (buffer full); payload: u64 LE count of bytes.
    case dropped = 5
    /// The recording was closed cleanly; payload: UTF-8 `key=value` statistics.
    case end = 6
}
