/// Fast reading of the decimal numbers CSV files hold, correctly rounded.
enum CSVNumber {
    /// Exact powers of ten as Double (10⁰ … 10²²).
    private static let powers: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { x, _ in x * 10 } }

    /// Parses `text` (already trimmed) as a Double: plain decimals like `-12.5`, `3`, `1.25e-3` take a fast
    /// path (Clinger's: at most 19 significant digits, mantissa below 2⁵³ and a power of ten up to 22,
    /// which makes one correctly rounded operation); anything else goes to the standard library.
    static func parse(_ text: Substring) -> Double? {
        var copy = String(text)
        return copy.withUTF8 { parse($0) }
    }

    /// The number in `utf8` (the bytes of one field), as `parse(_:)` (no allocation unless it falls back to
    /// the standard library's parser for rare spellings: more than 19 digits, far exponents, `nan`, `inf`).
    static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> Double? {
        func fallback() -> Double? { Double(String(decoding: utf8, as: UTF8.self)) }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var negative = false
        var sawDigit = false
        var sawPoint = false
        var index = 0
        let end = utf8.count
        if index < end, utf8[index] == UInt8(ascii: "-") || utf8[index] == UInt8(ascii: "+") {
            negative = utf8[index] == UInt8(ascii: "-")
            index += 1
        }
        while index < end {
            let c = utf8[index]
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                sawDigit = true
                if mantissa == 0 && c == UInt8(ascii: "0") {
                    if sawPoint { exponent -= 1 }
                } else {
                    guard digits < 19 else { return fallback() }
                    mantissa = mantissa * 10 + UInt64(c - UInt8(ascii: "0"))
                    digits += 1
                    if sawPoint { exponent -= 1 }
                }
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else if (c == UInt8(ascii: "e") || c == UInt8(ascii: "E")) && sawDigit {
                var e = 0
                var eNegative = false
                var j = index + 1
                if j < end, utf8[j] == UInt8(ascii: "-") || utf8[j] == UInt8(ascii: "+") {
                    eNegative = utf8[j] == UInt8(ascii: "-")
                    j += 1
                }
                guard j < end else { return nil }
                while j < end {
                    let d = utf8[j]
                    guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9"), e < 10_000 else { return fallback() }
                    e = e * 10 + Int(d - UInt8(ascii: "0"))
                    j += 1
                }
                exponent += eNegative ? -e : e
                break
            } else {
                return fallback()
            }
            index += 1
        }
        guard sawDigit else { return fallback() }
        guard mantissa < (1 << 53), exponent >= -22, exponent <= 22 else { return fallback() }
        var value = Double(mantissa)
        value = exponent < 0 ? value / powers[-exponent] : value * powers[exponent]
        return negative ? -value : value
    }
}
