import Foundation
import LumbarCore
import LumbarSession
import Testing

/// The exports' number formatting: byte for byte what `FixedDecimal.format` gives (the exports'
/// reproducibility rests on it), however the fast path computes it.
struct ByteFileWriterTests {
    @Test("numbers are written exactly like FixedDecimal.format, for every precision, sign and size")
    func numbersMatchFixedDecimal() throws {
        var values: [Double] = [
            0, -0.0, 1, -1, 0.5, -0.5, 0.05, 0.00000005, -0.00000004, 0.99999995, 1.00000005, 123.4567895,
            2.5, 3.5, -2.5, 0.125, 1e-12, -1e-12, 999_999.9999999, 4_503_599_627_370_495.5, 8.9e18, 9.1e18,
            1e300, -1e300, .infinity, -.infinity, .nan, .pi, -.pi, Double.ulpOfOne, 0.1 + 0.2,
        ]
        var random = SplitMix64(seed: 42)
        for _ in 0..<3000 {
            let magnitude = Double(random.next() % 1_000_000) / Double(1 << (random.next() % 24))
            values.append(random.next() % 2 == 0 ? magnitude : -magnitude)
            values.append(Double(bitPattern: random.next() % 0x3FF0_0000_0000_0000) * (random.next() % 2 == 0 ? 1 : -1))
        }
        // Halfway cases at each precision: k + 0.5 units of the last decimal.
        for d in 0...9 {
            var unit = 1.0
            for _ in 0..<d { unit /= 10 }
            for k in 0..<40 { values.append((Double(k) + 0.5) * unit) }
        }
        let path = RecordingTests.temporaryPath("numbers.txt")
        let writer = try ByteFileWriter(path: path)
        var expected = ""
        for v in values {
            for d in 0...9 {
                writer.write(v, decimals: d)
                writer.endLine()
                expected += FixedDecimal.format(v, decimals: d) + "\n"
            }
        }
        writer.write(-42)
        writer.write(byte: UInt8(ascii: " "))
        writer.write(Int.min)
        expected += "-42 \(Int.min)"
        try writer.close()
        let written = try String(contentsOfFile: path, encoding: .utf8)
        let lines = zip(written.split(separator: "\n"), expected.split(separator: "\n"))
        for (w, e) in lines where w != e {
            Issue.record("wrote \(w), FixedDecimal.format gives \(e)")
            break
        }
        #expect(written == expected)
    }

    @Test("a write to a full disk is an error naming the file at close")
    func fullDiskIsAnError() throws {
        let writer = try ByteFileWriter(path: "/dev/full")
        for i in 0..<100_000 { writer.write(Double(i), decimals: 3) }
        #expect(throws: ExportError.self) { try writer.close() }
        do { try writer.close() } catch { #expect(error.description.contains("/dev/full")) }
    }
}
