import LumbarCore
import LumbarProtocol
import LumbarSession
import LumbarSim

#if canImport(Glibc)
    import Glibc
#endif

/// Small command-line bridge for the vendor referees (`make referee-ximu3`):
///
///     SensorFamilyTool emulate ximu3 ascii|binary OUTPUT   # a simulated session's lumbar sensor, x-IMU3 bytes
///     SensorFamilyTool decode ximu3 INPUT                   # Lumbar's decoding, one CSV line per sample
///     SensorFamilyTool emulate-file ximu3 ascii|binary OUTPUT  # the same session as the device's .ximu3 file
///     SensorFamilyTool read ximu3 INPUT                     # Lumbar's .ximu3 file reader (replay/export), same lines
///
/// Decoded lines are `timestamp_us,gx,gy,gz,ax,ay,az` with floats printed exactly (9 significant digits).
@main
enum SensorFamilyTool {
    static func fail(_ message: String) -> Never {
        standardError("SensorFamilyTool: \(message)")
        exit(2)
    }

    static func standardError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch (arguments.first, arguments.count) {
        case ("emulate", 4) where arguments[1] == "ximu3":
            guard let mode = XIMU3Emulation.Mode(rawValue: arguments[2]) else { fail("mode must be ascii or binary") }
            let session = Simulator.run(.demo(.backKick, seed: 7))
            save(XIMU3Emulation.stream(session.sensors[0].samples, mode: mode), to: arguments[3])
        case ("emulate-file", 4) where arguments[1] == "ximu3":
            guard let mode = XIMU3Emulation.Mode(rawValue: arguments[2]) else { fail("mode must be ascii or binary") }
            let session = Simulator.run(.demo(.backKick, seed: 7))
            let bytes = XIMU3Emulation.dataLoggerFile(session.sensors[0].samples, mode: mode, name: "Lumbar", serialNumber: "65A4-71F2-0C3B-9D1E")
            save(bytes, to: arguments[3])
        case ("read", 3) where arguments[1] == "ximu3":
            do {
                let file = try XIMU3DataLoggerFile(segments: [arguments[2]])
                var out = ""
                while let s = try file.next() { out += line(s, offset: file.firstTime ?? 0) }
                print(out, terminator: "")
                for warning in file.warnings { standardError("warning: " + warning) }
            } catch {
                fail("\(error)")
            }
        case ("decode", 3) where arguments[1] == "ximu3":
            guard let file = fopen(arguments[2], "rb") else { fail("\(arguments[2]): cannot open") }
            var decoder = XIMU3Decoder()
            var buffer = [UInt8](repeating: 0, count: 65536)
            var out = ""
            while true {
                let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
                if count <= 0 { break }
                decoder.decode(Array(buffer[0..<count])) { output in
                    guard case .sample(let s) = output else { return }
                    out += line(s, offset: 0)
                }
            }
            fclose(file)
            print(out, terminator: "")
            standardError("skipped \(decoder.counters.skippedBytes) bytes, \(decoder.counters.samples) samples")
        default:
            fail("usage: emulate|emulate-file ximu3 ascii|binary OUTPUT | decode|read ximu3 INPUT")
        }
    }

    /// `timestamp_us,gx,gy,gz,ax,ay,az` for a sample `offset` seconds after the device's timestamp zero.
    static func line(_ s: ImuSample, offset: Double) -> String {
        let micros = UInt64(((offset + s.time) * 1e6).rounded())
        let values = [s.gyroscope.x, s.gyroscope.y, s.gyroscope.z, s.accelerometer.x, s.accelerometer.y, s.accelerometer.z]
        return "\(micros)," + values.map { "\($0)" }.joined(separator: ",") + "\n"
    }

    static func save(_ bytes: [UInt8], to path: String) {
        guard let file = fopen(path, "wb") else { fail("\(path): cannot create") }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }
}
