import LumbarCore

/// The bytes an x-IMU3 sends, written from the x-IMU3 user manual ("Communication protocol", "Data
/// messages") and not from Lumbar's decoder: tests feed them to both Lumbar's decoder and x-io's own
/// (`make referee-ximu3`), and `lumbar simulate` can play them on a pseudo-terminal.
public enum XIMU3Emulation {
    /// ASCII messages (`I,<µs>,gx,gy,gz,ax,ay,az` with four decimals) or binary ones.
    public enum Mode: String, Sendable, CaseIterable {
        case ascii, binary
    }

    /// One inertial message for `sample` (time in device seconds, gyroscope °/s, accelerometer g).
    public static func inertial(_ sample: ImuSample, mode: Mode) -> [UInt8] {
        message(
            letter: "I", micros: micros(sample.time),
            arguments: [
                sample.gyroscope.x, sample.gyroscope.y, sample.gyroscope.z,
                sample.accelerometer.x, sample.accelerometer.y, sample.accelerometer.z,
            ], mode: mode
        )
    }

    /// A battery message: percentage, volts, charging status (0…3).
    public static func battery(time: Double, percent: Float, volts: Float, chargingStatus: Float, mode: Mode) -> [UInt8] {
        message(letter: "B", micros: micros(time), arguments: [percent, volts, chargingStatus], mode: mode)
    }

    /// A temperature message, °C.
    public static func temperature(time: Double, celsius: Float, mode: Mode) -> [UInt8] {
        message(letter: "T", micros: micros(time), arguments: [celsius], mode: mode)
    }

    /// A notification ("N") or error ("F") message carrying `text`.
    public static func text(letter: Character, time: Double, _ text: String, mode: Mode) -> [UInt8] {
        let ascii = UInt8(ascii: letter.unicodeScalars.first!)
        switch mode {
        case .ascii: return Array("\(letter),\(micros(time)),\(text)\n".utf8)
        case .binary:
            var raw: [UInt8] = [0x80 | ascii]
            appendLittleEndian(micros(time), 8, to: &raw)
            raw += Array(text.utf8)
            return stuffed(raw)
        }
    }

    /// The ping response of the manual (a command message), as a device answers `{"ping":null}`.
    public static func pingResponse(name: String, serialNumber: String) -> [UInt8] {
        Array("{\"ping\":{\"interface\":\"USB\",\"name\":\"\(name)\",\"sn\":\"\(serialNumber)\"}}\n".utf8)
    }

    /// A data logger file (`.ximu3`) as the device writes it to its microSD card (manual, "Data logger",
    /// "File contents": the communication protocol's byte stream, after a preamble of the ping response,
    /// the write time command and one write setting command per setting; a few settings here), then
    /// `stream(samples, mode:)`.
    public static func dataLoggerFile(
        _ samples: [ImuSample], mode: Mode, name: String, serialNumber: String, clock: String = "2026-12-05 06:00:00"
    ) -> [UInt8] {
        var bytes = Array("{\"ping\":{\"interface\":\"USB\",\"name\":\"\(name)\",\"sn\":\"\(serialNumber)\"}}\n".utf8)
        bytes += Array("{\"time\":\"\(clock)\"}\n".utf8)
        for setting in [
            "\"device_name\":\"\(name)\"", "\"serial_number\":\"\(serialNumber)\"",
            "\"binary_mode_enabled\":\(mode == .binary)", "\"inertial_message_rate_divisor\":1",
        ] {
            bytes += Array("{\(setting)}\n".utf8)
        }
        return bytes + stream(samples, mode: mode)
    }

    /// A whole stream: one inertial message per sample, a temperature message every `statusEvery`
    /// samples and a battery message after it (as a device at default message rates would interleave).
    public static func stream(_ samples: [ImuSample], mode: Mode, statusEvery: Int = 100) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(samples.count * (mode == .binary ? 36 : 70))
        for (index, sample) in samples.enumerated() {
            bytes += inertial(sample, mode: mode)
            if statusEvery > 0, index % statusEvery == statusEvery - 1 {
                bytes += temperature(time: sample.time, celsius: 31.5, mode: mode)
                bytes += battery(time: sample.time, percent: 87, volts: 3.95, chargingStatus: 0, mode: mode)
            }
        }
        return bytes
    }

    /// Device time in whole microseconds (the x-IMU3 timestamp is a UInt64 µs count).
    static func micros(_ seconds: Double) -> UInt64 { UInt64(max(0, (seconds * 1e6).rounded())) }

    static func message(letter: Character, micros: UInt64, arguments: [Float], mode: Mode) -> [UInt8] {
        switch mode {
        case .ascii:
            var line = "\(letter),\(micros)"
            for value in arguments { line += "," + fourDecimals(value) }
            return Array((line + "\n").utf8)
        case .binary:
            var raw: [UInt8] = [0x80 | UInt8(ascii: letter.unicodeScalars.first!)]
            appendLittleEndian(micros, 8, to: &raw)
            for value in arguments { appendLittleEndian(UInt64(value.bitPattern), 4, to: &raw) }
            return stuffed(raw)
        }
    }

    /// SLIP byte stuffing with END = 0x0A (manual, "Byte stuffing"), then the terminating END.
    static func stuffed(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count + 4)
        for byte in raw {
            switch byte {
            case 0x0A: out += [0xDB, 0xDC]
            case 0xDB: out += [0xDB, 0xDD]
            default: out.append(byte)
            }
        }
        out.append(0x0A)
        return out
    }

    static func appendLittleEndian(_ value: UInt64, _ count: Int, to bytes: inout [UInt8]) {
        for shift in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(shift)))) }
    }

    /// `value` "expressed to four decimal places", as the manual puts it.
    static func fourDecimals(_ value: Float) -> String {
        let scaled = (Double(value) * 10_000).rounded()
        let negative = scaled < 0
        let magnitude = UInt64(abs(scaled))
        var fraction = String(magnitude % 10_000)
        while fraction.count < 4 { fraction = "0" + fraction }
        return (negative ? "-" : "") + String(magnitude / 10_000) + "." + fraction
    }
}
