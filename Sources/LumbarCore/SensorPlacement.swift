/// Where on the body a sensor is worn. Raw values are the words of the file formats and events
/// (`lumbar`, `left_ankle`, `right_ankle`, `unassigned`).
public enum SensorPlacement: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Midline over L4–S1 / sacrum, on a belt: the "stick" along the lower back.
    case lumbar
    /// Lateral distal left shank, just above the malleolus.
    case leftAnkle = "left_ankle"
    /// Lateral distal right shank, just above the malleolus.
    case rightAnkle = "right_ankle"
    /// Firmware does not know where it is worn; the host config must assign it.
    case unassigned

    /// True for either ankle.
    public var isAnkle: Bool { self == .leftAnkle || self == .rightAnkle }

    public var description: String { rawValue }
}

/// The leg a rep was done with.
public enum Leg: String, Sendable, Hashable, Codable, CustomStringConvertible {
    case left
    case right
    case unknown

    public var description: String { rawValue }
}
