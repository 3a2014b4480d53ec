import ArgumentParser

/// A number or a range `A-B` on the command line (`record --frame-samples 1-64`, `--latency-ms 1-4`),
/// with 0 ≤ A ≤ B; a single number N is N...N.
struct NumberRange: ArgumentValue, Hashable, CustomStringConvertible {
    var range: ClosedRange<Double>

    /// `4` or `1-4`, as it is written.
    var description: String {
        func text(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
        return range.lowerBound == range.upperBound ? text(range.lowerBound) : "\(text(range.lowerBound))-\(text(range.upperBound))"
    }

    static func parse(_ text: String) throws(ArgumentValueError) -> NumberRange {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Double($0) }
        guard (1...2).contains(parts.count), let a = parts.first!, let b = parts.last!, a >= 0, b >= a, b.isFinite else {
            throw ArgumentValueError("expected a number or a range 'A-B' with 0 <= A <= B")
        }
        return NumberRange(range: a...b)
    }

    /// The parser of a range of whole numbers within `bounds`, for `@Option(transform:)`.
    static func wholeNumbers(in bounds: ClosedRange<Int>) -> @Sendable (String) throws -> ClosedRange<Int> {
        { text in
            let r = try parse(text).range
            guard r.lowerBound >= Double(bounds.lowerBound), r.upperBound <= Double(bounds.upperBound),
                r.lowerBound.rounded() == r.lowerBound, r.upperBound.rounded() == r.upperBound
            else { throw ArgumentValueError("expected whole numbers in \(bounds.lowerBound)-\(bounds.upperBound)") }
            return Int(r.lowerBound)...Int(r.upperBound)
        }
    }
}
