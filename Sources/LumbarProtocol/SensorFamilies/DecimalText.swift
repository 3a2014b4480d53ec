/// Allocation-free parsing of the decimal numbers that text sensor protocols print
/// (`-12.3456`, `1000000`, `1.5e-3`), straight from bytes, in one pass: a number is read up to the first
/// byte that cannot continue it, and the caller checks that byte is its separator (no second scan for
/// the separator first).
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
        guard let (value, stop) = scanDouble(bytes, start, end), stop == end else { return nil }
        return value
    }

    /// The decimal number that starts at `start` (read no further than `end`) and the index of the first
    /// byte after it; nil when none starts there (no digit, or an exponent mark without digits).
    ///
    /// The common case (at most 19 digits, no exponent: what sensors print) is one loop per part with
    /// no per-digit bookkeeping, the mantissa then scaled by one exact power of ten (so the result is
    /// the correctly rounded Double of a mantissa below 2^53); anything else goes the general way.
    @inline(__always)
    static func scanDouble(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (value: Double, stop: Int)? {
        var index = start
        guard index < end else { return nil }
        let sign = bytes[index]
        let negative = sign == UInt8(ascii: "-")
        if negative || sign == UInt8(ascii: "+") { index += 1 }
        var mantissa: UInt64 = 0
        let integerStart = index
        while index < end {
            let digit = bytes[index] &- 48
            if digit >= 10 { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            index += 1
        }
        var digits = index - integerStart
        var fractionDigits = 0
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < end {
                let digit = bytes[index] &- 48
                if digit >= 10 { break }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                index += 1
            }
            fractionDigits = index - fractionStart
            digits += fractionDigits
        }
        guard digits > 0 else { return nil }
        if digits > 19 || (index < end && bytes[index] | 0x20 == UInt8(ascii: "e")) {
            return scanGeneral(bytes, start, end)
        }
        var result = Double(mantissa)
        if fractionDigits > 0 { result /= powers[fractionDigits] }
        return (negative ? -result : result, index)
    }

    /// `scanDouble` for long digit strings and exponents: leading zeros are not significant, digits past
    /// the 19th are rounded away, the exponent is applied in exact steps of 10^22.
    static func scanGeneral(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (value: Double, stop: Int)? {
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
        return (negative ? -result : result, index)
    }

    /// The unsigned integer in `bytes[start..<end]` (digits only), or nil if not exactly that or too large.
    static func parseUInt64(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UInt64? {
        guard let (value, stop) = scanUInt64(bytes, start, end), stop == end else { return nil }
        return value
    }

    /// The unsigned integer of the digits from `start` (read no further than `end`) and the index after
    /// them; nil when there is no digit or the value does not fit 64 bits.
    @inline(__always)
    static func scanUInt64(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (value: UInt64, stop: Int)? {
        var value: UInt64 = 0
        var index = start
        while index < end {
            let digit = bytes[index] &- 48
            if digit >= 10 { break }
            if index - start >= 19 {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
                guard !overflow1, !overflow2 else { return nil }
                value = sum
            } else {
                value = value &* 10 &+ UInt64(digit)
            }
            index += 1
        }
        guard index > start else { return nil }
        return (value, index)
    }
}
