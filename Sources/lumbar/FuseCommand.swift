import ArgumentParser
import LumbarCore
import LumbarFusion
import LumbarSession

/// `lumbar fuse IN.csv --output OUT.csv`: orientation per sample from a Sample CSV (FORMATS.md §1)
/// to an Orientation CSV (§2), one filter per sensor, default filter settings.
struct FuseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuse",
        abstract: "Computes each sample's orientation (sensor to earth, Z up) from a Sample CSV.",
        discussion: """
            Reads time_s, optional sensor, accelerometer (g or m/s²) and gyroscope (deg/s or rad/s) \
            columns and writes time_s,qw,qx,qy,qz with one row per input row (plus a sensor column \
            when the input has one). Each sensor gets its own 6-axis filter with default settings.
            """
    )

    @Argument(help: "The Sample CSV to read.")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the Orientation CSV ('-' for standard output).")
    var output: String = "-"

    func run() throws {
        let reader = try SampleCSVReader(path: input)
        let hasSensor = reader.header.sensor != nil
        let writer = try OrientationCSVWriter(path: output, includesSensorColumn: hasSensor)
        // One filter per sensor word; the last slot is for files without a sensor column.
        var filters = [OrientationFilter](repeating: OrientationFilter(), count: SampleCSVSensor.allCases.count + 1)
        while let record = try reader.next() {
            let slot = record.sensor.map { SampleCSVSensor.allCases.firstIndex(of: $0)! } ?? filters.count - 1
            let q = filters[slot].update(record.sample)
            try writer.write(time: record.sample.time, orientation: q, sensor: record.sensor)
        }
        try writer.close()
    }
}
