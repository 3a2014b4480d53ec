import LumbarCore

/// The words of the Sample CSV's optional `sensor` column (FORMATS.md §1).
public enum SampleCSVSensor: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case lumbar
    case leftAnkle = "left_ankle"
    case rightAnkle = "right_ankle"
    /// An ankle sensor whose side the file does not say.
    case ankle

    /// Where the sensor is worn; nil for `ankle`, whose side the session has to decide.
    public var placement: SensorPlacement? {
        switch self {
        case .lumbar: .lumbar
        case .leftAnkle: .leftAnkle
        case .rightAnkle: .rightAnkle
        case .ankle: nil
        }
    }

    public var description: String { rawValue }
}
