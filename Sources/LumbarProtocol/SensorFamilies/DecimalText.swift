/// Allocation-free parsing of the decimal numbers that text sensor protocols print
/// (`-12.3456`, `1000000`, `1.5e-3`), straight from bytes.
enum DecimalText {
    /// Powers of ten that are exact in Double, for scaling the accumulated digits.
    @usableFromInline static let powers: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The number in `bytes[start..<end]`, or nil if that is not exactly one decimal number.
    /// Up to 19 significant digits are kept; more digits are rounded away.
    static func parseDouble(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Double? {
        var index = start
        guard index < end else { return nil }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while index < end, bytes[index] &- 48 < 10 {
            sawDigit = true
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 48)
                if mantissa != 0 { digits += 1 }
            } else {
                exponent += 1
            }
            index += 1
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, bytes[index] &- 48 < 10 {
                sawDigit = true
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 48)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                }
                index += 1
            }
        }
        guard sawDigit else { return nil }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var value = 0
            var sawExponentDigit = false
            while index < end, bytes[index] &- 48 < 10 {
                sawExponentDigit = true
                if value < 10_000 { value = value * 10 + Int(bytes[index] &- 48) }
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard index == end else { return nil }
        var result = Double(mantissa)
        if exponent < 0 {
            var remaining = -exponent
            while remaining > 22 { result /= 1e22; remaining -= 22 }
            result /= powers[remaining]
        } else if exponent > 0 {
            var remaining = exponent
            while remaining > 22 { result *= 1e22; remaining -= 22 }
            result *= powers[remaining]
        }
        return negative ? -result : result
    }

    /// The unsigned integer in `bytes[start..<end]` (digits only), or nil if not exactly that or too large.
    static func parseUInt64(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UInt64? {
        guard start < end, end - start <= 20 else { return nil }
        var value: UInt64 = 0
        for index in start..<end {
            let digit = bytes[index] &- 48
            guard digit < 10 else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }
}
