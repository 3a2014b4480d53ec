/// The column layout and units of a text-line sensor stream, from its header line or the config.
///
/// A header is a separated list of column names, each optionally with a unit as `name[unit]`,
/// `name(unit)` or `name_unit`: `t_us,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps` or
/// `time[ms];ax[m/s2];…`. Names: `t`/`time`, `ax ay az`, `gx gy gz` (any order; extra columns are
/// ignored when named anything else). Units: time `us`/`µs`/`ms`/`s`; acceleration `g`, `mps2`, `m/s2`,
/// `m/s^2`; angular velocity `dps`, `deg/s`, `rads`, `rad/s`. Without a header: `t_us,ax,ay,az,gx,gy,gz`
/// in µs, g and °/s.
public struct TextLineFormat: Sendable, Hashable {
    /// Column index of each quantity: time, ax, ay, az, gx, gy, gz.
    public var columns: [Int]
    /// Number of columns a data line must have.
    public var columnCount: Int
    /// Seconds per time unit.
    public var secondsPerTimeUnit: Double
    /// g per acceleration unit.
    public var gPerAccelerationUnit: Float
    /// °/s per angular velocity unit.
    public var degreesPerSecondPerGyroscopeUnit: Float

    /// `t_us,ax,ay,az,gx,gy,gz` in µs, g and °/s.
    public static let standard = TextLineFormat(
        columns: [0, 1, 2, 3, 4, 5, 6], columnCount: 7, secondsPerTimeUnit: 1e-6, gPerAccelerationUnit: 1,
        degreesPerSecondPerGyroscopeUnit: 1
    )

    public init(
        columns: [Int], columnCount: Int, secondsPerTimeUnit: Double, gPerAccelerationUnit: Float,
        degreesPerSecondPerGyroscopeUnit: Float
    ) {
        self.columns = columns
        self.columnCount = columnCount
        self.secondsPerTimeUnit = secondsPerTimeUnit
        self.gPerAccelerationUnit = gPerAccelerationUnit
        self.degreesPerSecondPerGyroscopeUnit = degreesPerSecondPerGyroscopeUnit
    }

    /// Why a header line was not understood.
    public enum HeaderError: Error, Equatable, CustomStringConvertible {
        case unknownUnit(column: String, unit: String)
        case missingColumn(String)
        case duplicateColumn(String)
        case mixedUnits(String)

        public var description: String {
            switch self {
            case .unknownUnit(let column, let unit): "column \(column): unknown unit '\(unit)'"
            case .missingColumn(let name): "header has no column \(name) (needs t, ax, ay, az, gx, gy, gz)"
            case .duplicateColumn(let name): "header names column \(name) twice"
            case .mixedUnits(let kind): "header mixes units among the \(kind) columns"
            }
        }
    }

    /// The format a header line states (the line without its LF).
    public init(header: String) throws(HeaderError) {
        let names = ["t", "ax", "ay", "az", "gx", "gy", "gz"]
        var columns = [Int](repeating: -1, count: 7)
        var timeUnit: Double?
        var accelerationUnit: Float?
        var gyroscopeUnit: Float?
        let fields = header.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\t" || $0 == " " })
        for (index, field) in fields.enumerated() {
            var name = Substring(field.lowercased())
            var unit: Substring?
            if let open = name.firstIndex(where: { $0 == "[" || $0 == "(" }) {
                unit = name[name.index(after: open)...].dropLast(name.last == "]" || name.last == ")" ? 1 : 0)
                name = name[..<open]
            } else if let underscore = name.firstIndex(of: "_") {
                unit = name[name.index(after: underscore)...]
                name = name[..<underscore]
            }
            if name == "time" { name = "t" }
            guard let slot = names.firstIndex(of: String(name)) else { continue }
            guard columns[slot] < 0 else { throw .duplicateColumn(String(name)) }
            columns[slot] = index
            guard let unit, !unit.isEmpty else { continue }
            let kind = slot == 0 ? "time" : slot <= 3 ? "acceleration" : "angular velocity"
            switch (slot, unit) {
            case (0, "us"), (0, "µs"), (0, "micros"): try Self.agree(&timeUnit, 1e-6, kind)
            case (0, "ms"), (0, "millis"): try Self.agree(&timeUnit, 1e-3, kind)
            case (0, "s"): try Self.agree(&timeUnit, 1, kind)
            case (1...3, "g"): try Self.agree(&accelerationUnit, 1, kind)
            case (1...3, "mps2"), (1...3, "m/s2"), (1...3, "m/s^2"), (1...3, "m/s²"):
                try Self.agree(&accelerationUnit, 1 / 9.80665, kind)
            case (4...6, "dps"), (4...6, "deg/s"), (4...6, "°/s"): try Self.agree(&gyroscopeUnit, 1, kind)
            case (4...6, "rads"), (4...6, "rad/s"), (4...6, "rps"): try Self.agree(&gyroscopeUnit, 180 / .pi, kind)
            default: throw .unknownUnit(column: String(field), unit: String(unit))
            }
        }
        if let missing = columns.firstIndex(of: -1) { throw .missingColumn(names[missing]) }
        self.init(
            columns: columns, columnCount: fields.count, secondsPerTimeUnit: timeUnit ?? 1e-6,
            gPerAccelerationUnit: accelerationUnit ?? 1, degreesPerSecondPerGyroscopeUnit: gyroscopeUnit ?? 1
        )
    }

    private static func agree<T: Equatable>(_ slot: inout T?, _ value: T, _ kind: String) throws(HeaderError) {
        if let existing = slot, existing != value { throw .mixedUnits(kind) }
        slot = value
    }
}
