import LumbarProtocol
import Testing

struct CRC32CTests {
    @Test func matchesTheCatalogueCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checkValue == 0xE306_9283)
    }

    @Test func slicedAndBytewisePathsAgreeForEveryLength() {
        var generator = SeededGenerator(seed: 42)
        let bytes = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for length in 0...bytes.count {
            let slice = Array(bytes[0..<length])
            #expect(CRC32C.checksum(slice) == bitwiseCRC32C(slice), "length \(length)")
        }
    }

    /// The textbook bit-at-a-time definition, as the reference.
    private func bitwiseCRC32C(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
