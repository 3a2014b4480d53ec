/// CRC-32C (Castagnoli), the checksum that closes every frame.
///
/// Parameters (Rocksoft model, as in the CRC catalogue's "CRC-32/ISCSI"): width 32, poly 0x1EDC6F41,
/// init 0xFFFFFFFF, refin true, refout true, xorout 0xFFFFFFFF, check ("123456789") 0xE3069283.
/// Computed slicing-by-8 (eight table lookups per 8 bytes) so that checking frames costs well under
/// a nanosecond per byte.
public enum CRC32C {
    /// The CRC of the ASCII string "123456789", the catalogue's check value.
    public static let checkValue: UInt32 = 0xE306_9283

    /// Reflected polynomial used by the table-driven (LSB-first) computation.
    static let reflectedPolynomial: UInt32 = 0x82F6_3B78

    /// 8 tables of 256 entries: `table[k * 256 + b]` is the CRC of byte `b` followed by `k` zero bytes.
    static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ reflectedPolynomial : crc >> 1 }
            table[byte] = crc
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = table[(slice - 1) * 256 + byte]
                table[slice * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xFF)]
            }
        }
        return table
    }()

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0xFFFF_FFFF, bytes) ^ 0xFFFF_FFFF
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        let contiguous = bytes.withContiguousStorageIfAvailable { checksum(UnsafeRawBufferPointer($0)) }
        if let contiguous { return contiguous }
        return Array(bytes).withUnsafeBytes { checksum($0) }
    }

    /// Advances a running (pre-inverted, not yet xor-ed out) CRC register over `bytes`.
    static func update(_ register: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return register }
        var crc = register
        var index = 0
        let count = bytes.count
        table.withUnsafeBufferPointer { t in
            while count - index >= 8 {
                let low = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt32.self)) ^ crc
                let high = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
                crc =
                    t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                index += 8
            }
            while index < count {
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                crc = (crc >> 8) ^ t[Int((crc ^ UInt32(byte)) & 0xFF)]
                index += 1
            }
        }
        return crc
    }
}
