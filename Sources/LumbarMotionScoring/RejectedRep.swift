import LumbarCore

/// A `rep_rejected` event (FORMATS.md §4: a leg movement that began a rep candidate and was not counted),
/// read from the event's JSON line so that the scorer counts them whichever Swift case carries them.
public struct RejectedRep: Sendable, Hashable {
    /// One word, e.g. `too_small`, `walking`.
    public var reason: String
    /// The candidate's interval, s of session time (the event time when the fields are absent).
    public var start: Double
    public var end: Double
    /// The measured value that decided it (NaN when the field is absent).
    public var value: Double
    /// The limit it was judged against (NaN when the field is absent).
    public var limit: Double

    /// nil unless `event` is a `rep_rejected`.
    public init?(event: LumbarEvent) {
        guard event.type == "rep_rejected" else { return nil }
        let line = event.jsonLine
        reason = Self.string("reason", in: line) ?? "unspecified"
        start = Self.number("start_s", in: line) ?? event.time
        end = Self.number("end_s", in: line) ?? event.time
        value = Self.number("value", in: line) ?? .nan
        limit = Self.number("limit", in: line) ?? .nan
    }

    /// The text after `"key":` in a flat JSON object, up to the next `,` or `}`.
    private static func raw(_ key: String, in line: String) -> Substring? {
        let needle = Array("\"\(key)\":".utf8)
        let bytes = Array(line.utf8)
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i..<(i + needle.count)].elementsEqual(needle) {
            let rest = Substring(decoding: bytes[(i + needle.count)...], as: UTF8.self)
            return rest.prefix { $0 != "," && $0 != "}" }
        }
        return nil
    }

    static func string(_ key: String, in line: String) -> String? {
        guard let v = raw(key, in: line), v.hasPrefix("\""), v.count >= 2 else { return nil }
        return String(v.dropFirst().prefix { $0 != "\"" })
    }

    static func number(_ key: String, in line: String) -> Double? {
        raw(key, in: line).flatMap { Double(String($0.drop { $0 == " " })) }
    }
}
