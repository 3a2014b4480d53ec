import LumbarCore
import LumbarSimDevices

/// `simulate --family [PLACEMENT=]FAMILY`: sensors played as another family (`ximu3`, `ximu3-ascii`, `ximu3-idle`,
/// `witmotion`, `text`); no PLACEMENT: every sensor.
struct SimulatedFamily: ArgumentValue {
    var placements: [SensorPlacement]
    var format: FamilyFormat

    static func parse(_ text: String) throws(ArgumentValueError) -> SimulatedFamily {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false)
        let placements = parts.count == 2 ? PlacementValue.placements(parts[0]) : [.lumbar, .leftAnkle, .rightAnkle]
        guard parts.count <= 2, let placements, let format = FamilyFormat(name: String(parts[parts.count - 1])) else {
            throw ArgumentValueError("expected [PLACEMENT=]FAMILY with FAMILY one of ximu3, ximu3-ascii, ximu3-idle, witmotion, text, e.g. ankle=witmotion")
        }
        return SimulatedFamily(placements: placements, format: format)
    }
}
