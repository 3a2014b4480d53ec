import LumbarCore
import LumbarProtocol
import LumbarSim

#if canImport(Glibc)
    import Glibc
#endif

/// Small command-line bridge for the vendor referees (`make referee-ximu3`):
///
///     SensorFamilyTool emulate ximu3 ascii|binary OUTPUT   # a simulated session's lumbar sensor, x-IMU3 bytes
///     SensorFamilyTool decode ximu3 INPUT                   # Lumbar's decoding, one CSV line per sample
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
            let bytes = XIMU3Emulation.stream(session.sensors[0].samples, mode: mode)
            guard let file = fopen(arguments[3], "wb") else { fail("\(arguments[3]): cannot create") }
            _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
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
                    let micros = UInt64((s.time * 1e6).rounded())
                    let values = [s.gyroscope.x, s.gyroscope.y, s.gyroscope.z, s.accelerometer.x, s.accelerometer.y, s.accelerometer.z]
                    out += "\(micros)," + values.map { "\($0)" }.joined(separator: ",") + "\n"
                }
            }
            fclose(file)
            print(out, terminator: "")
            standardError("skipped \(decoder.counters.skippedBytes) bytes, \(decoder.counters.samples) samples")
        default:
            fail("usage: emulate ximu3 ascii|binary OUTPUT | decode ximu3 INPUT")
        }
    }
}
