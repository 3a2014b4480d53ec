import Testing

@testable import LumbarProtocol

/// The one-pass number reader of the text decoders: the short path (<= 19 digits, no exponent) and the
/// general one give the same value, the reader stops at the byte that cannot continue a number, and what
/// is not a number is nil.
@Suite("Sensor families: decimal numbers read in one pass")
struct DecimalTextTests {
    private func scan(_ text: String) -> (value: Double, stop: Int)? {
        Array(text.utf8).withUnsafeBytes { DecimalText.scanDouble($0, 0, $0.count) }
    }

    private func general(_ text: String) -> (value: Double, stop: Int)? {
        Array(text.utf8).withUnsafeBytes { DecimalText.scanGeneral($0, 0, $0.count) }
    }

    @Test(arguments: ["-12.3456", "0.0625", "+7", "123456789.123456789", "0.000001", "-0.98", "400", ".5", "5."])
    func theShortPathGivesTheGeneralPathsValue(text: String) throws {
        let short = try #require(scan(text))
        let full = try #require(general(text))
        #expect(short.value == full.value && short.stop == text.utf8.count)
    }

    @Test func longNumbersAndExponentsGoTheGeneralWay() throws {
        #expect(try #require(scan("1.5e-3")).value == 0.0015)
        // Digits past the 19th rounded away, exponents applied in steps: within a few ulps.
        #expect(abs(try #require(scan("12345678901234567890123")).value / 12345678901234567890123.0 - 1) < 1e-15)
        #expect(abs(try #require(scan("0.00000000000000000000012")).value / 1.2e-22 - 1) < 1e-15)
    }

    @Test func readingStopsAtTheFirstByteThatCannotContinueTheNumber() throws {
        #expect(try #require(scan("-0.25,1")).stop == 5)
        #expect(try #require(scan("3;4")).stop == 1)
        #expect(try #require(scan("12abc")).stop == 2)
        #expect(scan("-") == nil && scan(",") == nil && scan("1e") == nil && scan(".") == nil)
        #expect(Array("12,".utf8).withUnsafeBytes { DecimalText.parseDouble($0, 0, $0.count) } == nil)
        #expect(Array("18446744073709551616".utf8).withUnsafeBytes { DecimalText.parseUInt64($0, 0, $0.count) } == nil)
        #expect(Array("18446744073709551615".utf8).withUnsafeBytes { DecimalText.parseUInt64($0, 0, $0.count) } == .max)
    }
}
