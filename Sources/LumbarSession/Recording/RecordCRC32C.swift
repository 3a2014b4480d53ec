/// CRC-32C (Castagnoli), the checksum of every recording record.
///
/// Parameters: polynomial 0x1EDC6F41 (reflected 0x82F63B78), init 0xFFFFFFFF, input and output
/// reflected, xor-out 0xFFFFFFFF; check value (CRC of ASCII "123456789") 0xE3069283.
/// Slicing-by-8 tables: about 1–2 GB/s, so checksumming never limits replay.
enum RecordCRC32C {
    /// 8 × 256 lookup entries, built once.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 {
                let p = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (p >> 8) ^ t[Int(p & 0xFF)]
            }
        }
        return t
    }()

    /// Continues a CRC over `bytes`; start with `0` for a fresh checksum.
    ///
    /// - Parameters:
    ///   - crc: the checksum of the bytes before these (0 for none).
    ///   - bytes: the next bytes.
    /// - Returns: the checksum of all bytes so far.
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = ~crc
        var i = 0
        let n = bytes.count
        tables.withUnsafeBufferPointer { t in
            while n - i >= 8 {
                let lo = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
                    | UInt32(bytes[i + 3]) << 24
                let a = c ^ lo
                c = t[7 * 256 + Int(a & 0xFF)] ^ t[6 * 256 + Int((a >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((a >> 16) & 0xFF)] ^ t[4 * 256 + Int(a >> 24)]
                    ^ t[3 * 256 + Int(bytes[i + 4])] ^ t[2 * 256 + Int(bytes[i + 5])]
                    ^ t[1 * 256 + Int(bytes[i + 6])] ^ t[Int(bytes[i + 7])]
                i += 8
            }
            while i < n {
                c = (c >> 8) ^ t[Int((c ^ UInt32(bytes[i])) & 0xFF)]
                i += 1
            }
        }
        return ~c
    }

    /// The checksum of `bytes`.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        let array = Array(bytes)
        return array.withUnsafeBytes { update(0, $0) }
    }
}
