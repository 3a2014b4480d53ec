import LumbarCore

/// A sensor of the session as the host knows it: its unique id, where it is worn, and how it is attached.
///
/// Stored in the recording's `sensorConnected` records; the pipeline's per-sensor state is keyed by it.
public struct SensorDescriptor: Sendable, Hashable {
    /// The device's unique id (USB serial number or the device-info id), e.g. `SIM-LUMBAR-1`.
    public var id: String
    /// Where it is worn (from the device-info packet or the host configuration).
    public var placement: SensorPlacement
    /// The transport it came on, e.g. `/dev/ttyACM0` (informational).
    public var port: String
    /// Further facts (firmware version, sample rate, ...), in order; informational.
    public var details: KeyValueText

    public init(id: String, placement: SensorPlacement, port: String = "", details: KeyValueText = KeyValueText()) {
        self.id = id
        self.placement = placement
        self.port = port
        self.details = details
    }

    /// The `key=value` form of the `sensorConnected` record.
    public var text: KeyValueText {
        var t = KeyValueText()
        t.append("id", id)
        t.append("placement", placement.rawValue)
        if !port.isEmpty { t.append("port", port) }
        for (k, v) in details.pairs { t.append(k, v) }
        return t
    }

    /// Reads a `sensorConnected` record's text; an unknown placement reads as `unassigned`.
    public init(text t: KeyValueText) {
        id = t["id"] ?? ""
        placement = t["placement"].flatMap { SensorPlacement(rawValue: $0) } ?? .unassigned
        port = t["port"] ?? ""
        var d = KeyValueText()
        for (k, v) in t.pairs where k != "id" && k != "placement" && k != "port" { d.append(k, v) }
        details = d
    }

    /// A short name for terminal lines and file names: the placement, or the id when unassigned.
    public var displayName: String { placement == .unassigned ? id : placement.rawValue }
}
