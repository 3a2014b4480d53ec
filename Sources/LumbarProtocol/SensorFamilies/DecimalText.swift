/// Allocation-free parsing of the decimal numbers that text sensor protocols print
/// (`-12.3456`, `1000000`, `1.5e-3`), straight from bytes, in one pass: a number is read up to the first
/// byte that cannot continue it, and the caller checks that byte is its separator (no second scan for
/// the separator first).
package enum DecimalText {
    /// Powers of ten that are exact in Double (10^0…10^22), for scaling the accumulated digits. Literals,
    /// so the array is static data (no lazy initialisation on the per-field path).
    @usableFromInline static let powers: [Double] = [
        1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
        1e21, 1e22,
    ]

    /// The number in `bytes[start..<end]`, or nil if that is not exactly one decimal number.
    /// Up to 19 significant digits are kept; more digits are rounded away.
    static func parseDouble(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Double? {
        guard let (value, stop) = scanDouble(bytes, start, end), stop == end else { return nil }
        return value
    }

    /// The decimal number that starts at `start` (read no further than `end`) and the index of the first
    /// byte after it; nil when none starts there (no digit, or an exponent mark without digits).
    ///
    /// The common case (at most 15 digits, no exponent: what sensors print) is one loop per part with
    /// no per-digit bookkeeping, the mantissa then scaled by one exact power of ten (so the result is
    /// the correctly rounded Double of a mantissa below 2^53); anything else goes the general way.
    @inline(__always)
    package static func scanDouble(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (value: Double, stop: Int)? {
        guard let parts = scanShort(bytes, start, end) else { return nil }
        return double(parts, bytes, start, end)
    }

    /// `scanDouble(bytes, start, end)` for a number in a line whose CR or LF is at `end` (see
    /// `scanShortTerminated`): the same value and stop.
    @inline(__always)
    package static func scanDouble(inLine bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (value: Double, stop: Int)? {
        guard let parts = scanShortTerminated(bytes, start) else { return nil }
        return double(parts, bytes, start, end)
    }

    /// `scanDouble(inLine: bytes, start, end)` for a number whose integer part is usually long (a line's
    /// timestamp): that part read eight digits at a time (`longDigitRun`); the same value and stop.
    @inline(__always)
    package static func scanDouble(inLineLong bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (value: Double, stop: Int)? {
        guard let parts = scanShortTerminated(bytes, start, longInteger: end) else { return nil }
        return double(parts, bytes, start, end)
    }

    /// The Double of the short form's parts (the general path when they say so).
    @inline(__always)
    static func double(_ parts: ShortParts, _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int)
        -> (value: Double, stop: Int)?
    {
        let (negative, mantissa, digits, fractionDigits, index) = parts
        if digits == 0 {
            return scanGeneral(bytes, start, end)
        }
        var result = exactDouble(mantissa)
        if fractionDigits > 0 { result /= powers.withUnsafeBufferPointer { $0[fractionDigits] } }
        return (negative ? -result : result, index)
    }

    /// `Double(mantissa)` for a mantissa of at most 15 digits (below 10^15 < 2^52, as `scanShort` leaves
    /// them): the digits are placed in the significand of 2^52 and 2^52 taken away again, exactly. An OR
    /// and a subtraction, where the general UInt64 conversion takes five instructions and twice the latency
    /// (x86-64 has no unsigned conversion before AVX-512), on every field of every line.
    @inline(__always)
    static func exactDouble(_ mantissa: UInt64) -> Double {
        Double(bitPattern: 0x4330_0000_0000_0000 | mantissa) - 0x1p52
    }

    /// 10^-k rounded to Double, k = 0…19: `scanFloat` multiplies by these instead of dividing by 10^k.
    /// Literals, so the array is static data (no lazy initialisation on the per-field path).
    @usableFromInline static let reciprocals: [Double] = [
        1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 1e-16, 1e-17,
        1e-18, 1e-19,
    ]

    /// Exactly `Float(scanDouble(bytes, start, end).value)` (same numbers accepted, same stop index, the
    /// same bits), for fields that end up as Float (x-IMU3 arguments, text-line axes), without the Double
    /// division per field that dominated their decoding.
    ///
    /// Why it is the same Float: `scanDouble` gives d = M / 10^k correctly rounded to Double (M the digits
    /// as a Double). Here p = M · (10^-k rounded) is within 2 Double ulps of M / 10^k, and so of d. Both
    /// round to the same Float unless a Float rounding boundary (a midpoint between two Floats: low 29
    /// significand bits of a Double 0x10000000) lies within those ulps of p; then (about 1 value in 30
    /// million) the division is done as before. Above 15 digits or with an exponent, the general path.
    @inline(__always)
    package static func scanFloat(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (value: Float, stop: Int)? {
        guard let parts = scanShort(bytes, start, end) else { return nil }
        return float(parts, bytes, start, end)
    }

    /// `scanFloat(bytes, start, end)` for a number in a line whose CR or LF is at `end` (see
    /// `scanShortTerminated`): the same Float and stop.
    @inline(__always)
    package static func scanFloat(inLine bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (value: Float, stop: Int)? {
        guard let parts = scanShortTerminated(bytes, start) else { return nil }
        return float(parts, bytes, start, end)
    }

    /// The Float of the short form's parts (the general path when they say so).
    @inline(__always)
    static func float(_ parts: ShortParts, _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int)
        -> (value: Float, stop: Int)?
    {
        let (negative, mantissa, digits, fractionDigits, index) = parts
        if digits == 0 {
            guard let (value, stop) = scanGeneral(bytes, start, end) else { return nil }
            return (Float(value), stop)
        }
        return (float(mantissa: mantissa, fractionDigits: fractionDigits, negative: negative), index)
    }

    /// The Float of a short form's digits (1-15 of them as one integer) with `fractionDigits` after the
    /// point: `Float(mantissa / 10^fractionDigits as Double)`, without the division but in rare cases.
    @inline(__always)
    static func float(mantissa: UInt64, fractionDigits: Int, negative: Bool) -> Float {
        let whole = exactDouble(mantissa)
        var result: Float
        if fractionDigits == 0 {
            result = Float(whole)
        } else {
            let product = reciprocals.withUnsafeBufferPointer { whole * $0[fractionDigits] }
            // Distance of the low 29 bits from the Float midpoint pattern, ±8 Double ulps.
            if (product.bitPattern & 0x1FFF_FFFF) &- 0x0FFF_FFF8 < 16 {
                result = Float(powers.withUnsafeBufferPointer { whole / $0[fractionDigits] })
            } else {
                result = Float(product)
            }
        }
        return negative ? -result : result
    }

    /// Sign, the digits as one integer (integer and fraction part), their count, the fraction's count and
    /// the index after them (see `scanShort`).
    typealias ShortParts = (negative: Bool, mantissa: UInt64, digits: Int, fractionDigits: Int, stop: Int)

    /// The short form's parts from `start`: sign, the digits as one integer (integer and fraction part),
    /// their count, the fraction's count and the index after them; `digits` 0 means "take the general
    /// path" (more than 15 digits, or an exponent follows; 15 digits keep the mantissa below 2^52, exact for
    /// `exactDouble`); nil when no number starts there.
    @inline(__always)
    static func scanShort(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> ShortParts? {
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
        if digits > 15 || (index < end && bytes[index] | 0x20 == UInt8(ascii: "e")) { return (negative, 0, 0, 0, index) }
        return (negative, mantissa, digits, fractionDigits, index)
    }

    /// `scanShort(bytes, start, end)` for a number in a line, without comparing each byte's index with
    /// `end`: the byte at `end` must be the line's CR or LF (readable, even when it lies past
    /// `bytes.count`, as `LineAssembler` guarantees), which no number starts or continues with, so every
    /// loop stops there at the latest and the same parts come out. `start <= end`.
    @inline(__always)
    static func scanShortTerminated(_ bytes: UnsafeRawBufferPointer, _ start: Int, longInteger end: Int? = nil) -> ShortParts? {
        let base = bytes.baseAddress.unsafelyUnwrapped
        var index = start
        let sign = base.load(fromByteOffset: index, as: UInt8.self)
        let negative = sign == UInt8(ascii: "-")
        if negative || sign == UInt8(ascii: "+") { index &+= 1 }
        let integerStart = index
        var (mantissa, stop) = end.map { longDigitRun(base, index, $0) } ?? digitRun(base, index, 0)
        index = stop
        var digits = index &- integerStart
        var fractionDigits = 0
        if base.load(fromByteOffset: index, as: UInt8.self) == UInt8(ascii: ".") {
            index &+= 1
            let fractionStart = index
            (mantissa, index) = digitRun(base, index, mantissa)
            fractionDigits = index &- fractionStart
            digits &+= fractionDigits
        }
        guard digits > 0 else { return nil }
        if digits > 15 || base.load(fromByteOffset: index, as: UInt8.self) | 0x20 == UInt8(ascii: "e") {
            return (negative, 0, 0, 0, index)
        }
        return (negative, mantissa, digits, fractionDigits, index)
    }

    /// The run of decimal digits at `start` appended to `value` (`value &* 10 &+ digit` each), and the index
    /// after it: the byte loop of `scanShort` without its index check, stopped by the line's CR or LF at
    /// the latest. (Measured slower, and not kept: eight digits at a time with the stop found from a mask,
    /// where the next field's start waits on that data while a well-predicted branch runs ahead; and four
    /// digits at a time behind a branch, which cost the short runs more than it saved on the fractions.)
    @inline(__always)
    static func digitRun(_ base: UnsafeRawPointer, _ start: Int, _ value: UInt64) -> (value: UInt64, stop: Int) {
        var value = value
        var index = start
        while true {
            // The digit as a full-width integer: its test and its use need no zero extension between them.
            let digit = UInt64(base.load(fromByteOffset: index, as: UInt8.self)) &- 48
            if digit >= 10 { return (value, index) }
            value = value &* 10 &+ digit
            index &+= 1
        }
    }

    /// `digitRun(base, start, 0)` for a run that is usually long (a timestamp of 7-10 digits): its first
    /// eight bytes are tested and read as one word (the first non-digit found by a mask, the digits by three
    /// multiplies), the rest, if any, byte by byte; the same value and stop. The
    /// line's CR or LF at `end` bounds the word (read only when `start + 8 <= end + 1`, else byte by byte).
    /// Once per line, so the wait of the next field's start on the word is paid once.
    @inline(__always)
    static func longDigitRun(_ base: UnsafeRawPointer, _ start: Int, _ end: Int) -> (value: UInt64, stop: Int) {
        guard start &+ 8 <= end &+ 1 else { return digitRun(base, start, 0) }
        let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start, as: UInt64.self)) ^ 0x3030_3030_3030_3030
        // High bit of each byte that is not a digit (no carry: a byte above 0x7F has its high bit already).
        let notDigits = (x | (x &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080
        if notDigits == 0 { return digitRun(base, start &+ 8, eightDigits(x)) }
        let count = notDigits.trailingZeroBitCount &>> 3
        if count == 0 { return (0, start) }
        // The `count` digits moved to the top bytes, zeros below them: an eight-digit number.
        return (eightDigits(x &<< UInt64(64 &- 8 &* count)), start &+ count)
    }

    /// The number of eight digit values 0-9 in the bytes of `digits`, the first (lowest) byte the most
    /// significant: pairs, then fours, then all eight, one multiply each.
    @inline(__always)
    static func eightDigits(_ digits: UInt64) -> UInt64 {
        let pairs = (digits &* (1 + (10 << 8))) &>> 8
        let fours = ((pairs & 0x00FF_00FF_00FF_00FF) &* (1 + (100 << 16))) &>> 16
        return ((fours & 0x0000_FFFF_0000_FFFF) &* (1 + (10_000 << 32))) &>> 32
    }

    /// `scanUInt64(bytes, start, end)` for digits in a line whose CR or LF is at `end` (`digitRun`, as in
    /// `scanShortTerminated`): the same value and stop.
    @inline(__always)
    package static func scanUInt64(inLine bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (value: UInt64, stop: Int)? {
        let (value, stop) = longDigitRun(bytes.baseAddress.unsafelyUnwrapped, start, end)
        if stop - start > 19 { return scanUInt64(bytes, start, end) }
        guard stop > start else { return nil }
        return (value, stop)
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
    package static func scanUInt64(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> (value: UInt64, stop: Int)? {
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
