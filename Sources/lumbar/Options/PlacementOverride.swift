import LumbarCore

/// `--placement KEY=PLACEMENT` of `replay` and `export`: where a sensor of an x-IMU3 logged-data folder
/// was worn, KEY being its serial number or its device folder's name (case ignored).
struct PlacementOverride: ArgumentValue, Hashable {
    var key: String
    var placement: SensorPlacement

    static func parse(_ text: String) throws(ArgumentValueError) -> PlacementOverride {
        guard let equals = text.lastIndex(of: "="), let p = SensorPlacement(rawValue: String(text[text.index(after: equals)...])),
            p != .unassigned, equals > text.startIndex
        else { throw ArgumentValueError("expected SERIAL=PLACEMENT with PLACEMENT one of lumbar, left_ankle, right_ankle, e.g. F7E4-5410-EC7B-D7E7=lumbar") }
        return PlacementOverride(key: String(text[..<equals]).lowercased(), placement: p)
    }
}

extension [PlacementOverride] {
    /// By lowercased key, as `SessionInput` takes them.
    var byKey: [String: SensorPlacement] {
        Dictionary(map { ($0.key, $0.placement) }, uniquingKeysWith: { _, last in last })
    }
}
