/// Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999): removes every 0x00 from a frame so
/// that 0x00 can delimit frames. Overhead: one byte per 254 bytes (at least one), i.e. ≤ 0.4 %.
enum COBS {
    /// Appends the COBS encoding of `source` (without the delimiter) to `output`.
    static func encode(_ source: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
        var codeIndex = output.count
        output.append(0)  // placeholder for the first code byte
        var code: UInt8 = 1
        let count = source.count
        for index in 0..<count {
            let byte = source[index]
            if byte == 0 {
                output[codeIndex] = code
                codeIndex = output.count
                output.append(0)
                code = 1
            } else {
                output.append(byte)
                code += 1
                // A full block of 254 data bytes ends without an implied zero; open the next block only if
                // bytes follow (canonical COBS, as cmcqueen/cobs-c encodes).
                if code == 0xFF && index + 1 < count {
                    output[codeIndex] = code
                    codeIndex = output.count
                    output.append(0)
                    code = 1
                }
            }
        }
        output[codeIndex] = code
    }

    /// Decodes one encoded frame (no delimiter, hence no 0x00 inside) into `destination`.
    ///
    /// - Returns: the decoded length, or `nil` with the offending position if a code byte points past
    ///   the end of the frame. The caller guarantees `destination.count >= source.count`.
    static func decode(
        _ source: UnsafeRawBufferPointer,
        into destination: UnsafeMutableRawBufferPointer
    ) -> Result<Int, InvalidCode> {
        let count = source.count
        guard let from = source.baseAddress, let to = destination.baseAddress else { return .success(0) }
        var read = 0
        var written = 0
        while read < count {
            let code = Int(from.load(fromByteOffset: read, as: UInt8.self))
            let blockEnd = read + code
            if blockEnd > count { return .failure(InvalidCode(position: read, code: UInt8(truncatingIfNeeded: code))) }
            let length = code - 1
            if length < 16 {
                // Short blocks are the common case for IMU data (small counts have zero high bytes):
                // a byte loop beats a call to memcpy there.
                for k in 0..<length {
                    to.storeBytes(
                        of: from.load(fromByteOffset: read + 1 + k, as: UInt8.self),
                        toByteOffset: written + k,
                        as: UInt8.self
                    )
                }
            } else {
                (to + written).copyMemory(from: from + read + 1, byteCount: length)
            }
            written += length
            read = blockEnd
            if code != 0xFF && read < count {
                to.storeBytes(of: 0, toByteOffset: written, as: UInt8.self)
                written += 1
            }
        }
        return .success(written)
    }

    /// A code byte at `position` of an encoded frame that claims more bytes than the frame holds.
    struct InvalidCode: Error {
        var position: Int
        var code: UInt8
    }
}
