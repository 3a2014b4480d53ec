import LumbarCore
import LumbarSim
import Testing

@testable import LumbarProtocol

/// The x-IMU3 and text-line decoders read their Float fields without a Double division per field
/// (`DecimalText.scanFloat`): pinned to the Double reader they replaced, bit for bit, and, through the
/// decoders on random lines chunked at random, to the standard library's correctly rounded parsing.
@Suite("Sensor families: Float fields read without a division, as before")
struct FloatFieldTests {
    private static func both(_ text: String) -> (float: (value: Float, stop: Int)?, double: (value: Double, stop: Int)?) {
        Array(text.utf8).withUnsafeBytes { (DecimalText.scanFloat($0, 0, $0.count), DecimalText.scanDouble($0, 0, $0.count)) }
    }

    private static func same(_ text: String) -> Bool {
        let (f, d) = both(text)
        return f.map(\.value.bitPattern) == d.map { Float($0.value).bitPattern } && f?.stop == d?.stop
    }

    /// A random decimal: sign, 0-12 integer digits, maybe a point and 0-14 fraction digits, maybe an
    /// exponent, maybe a separator and more after it.
    private static func randomNumber(_ r: inout SplitMix64) -> String {
        var text = ["", "-", "+"][Int(r.next() % 3)]
        for _ in 0..<Int(r.next() % 13) { text += String(r.next() % 10) }
        if r.next() % 4 != 0 {
            text += "."
            for _ in 0..<Int(r.next() % 15) { text += String(r.next() % 10) }
        }
        if r.next() % 16 == 0 { text += "e" + ["", "-", "+"][Int(r.next() % 3)] + String(r.next() % 40) }
        if r.next() % 4 == 0 { text += [",", ";", " ", "x", "\r"][Int(r.next() % 5)] + "12" }
        return text
    }

    @Test func randomNumbersGiveTheDoubleReadersFloatBitForBit() {
        var r = SplitMix64(seed: 15)
        var failures: [String] = []
        for _ in 0..<300_000 {
            let text = Self.randomNumber(&r)
            if !Self.same(text) { failures.append(text) }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    /// Numbers exactly halfway between two Floats (x.5 where Floats are whole, x.25 and x.75 where they
    /// are halves, …): where rounding to Float ties and the multiplication's error could tip it, the reader
    /// must divide as before (ties to even).
    @Test func numbersHalfwayBetweenTwoFloatsRoundAsBefore() {
        var r = SplitMix64(seed: 16)
        var failures: [String] = []
        for (low, fractions) in [(1 << 23, ["5", "50", "5000"]), (1 << 22, ["25", "75", "2500"]), (1 << 21, ["125", "375", "625", "875"])] {
            for _ in 0..<20_000 {
                let whole = low + Int(r.next() % UInt64(low))
                for fraction in fractions {
                    let text = (r.next() % 2 == 0 ? "-" : "") + "\(whole).\(fraction)"
                    if !Self.same(text) { failures.append(text) }
                }
            }
        }
        // Halfway between Floats from 0.001 to 1, in the shortest digits that give that Double, and cut short.
        for _ in 0..<50_000 {
            let f = Float(bitPattern: 0x3A80_0000 + UInt32(truncatingIfNeeded: r.next() % 0x0500_0000))
            let halfway = "\((Double(f) + Double(f.nextUp)) / 2)"
            for text in [halfway, String(halfway.dropLast(2))] where !Self.same(text) {
                failures.append(text)
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(Self.both("8388609.5").float?.value == 8388610)  // tie: to the even Float
        #expect(Self.both("8388610.5").float?.value == 8388610)
    }

    /// The line readers (`inLine:`) let the line's CR or LF stop their loops instead of checking each index
    /// against the end: from every start in a random line (numbers, separators, an exponent, signs, long
    /// digit runs, an optional CR), handed over as `LineAssembler` does (the LF right after the line,
    /// digits after that), they give the checked readers' value bits and stop; so do the readers of
    /// timestamps that test and read eight digits as one word (`inLineLong:`, `scanUInt64(inLine:)`), where
    /// the word holds 0-8 digits, the line's end or the bytes after it.
    @Test func lineReadersStoppedByTheLineEndGiveTheCheckedReadersResults() {
        var r = SplitMix64(seed: 19)
        var failures: [String] = []
        for _ in 0..<20_000 {
            var line = ""
            for _ in 0..<Int(1 + r.next() % 4) {
                line += r.next() % 8 == 0 ? String(repeating: "9", count: Int(r.next() % 25)) : Self.randomNumber(&r)
                line += [",", ";", " ", ""][Int(r.next() % 4)]
            }
            if r.next() % 2 == 0 { line += "\r" }
            let bytes = Array((line + "\n123456789").utf8)
            let count = line.utf8.count
            let end = line.hasSuffix("\r") ? count - 1 : count
            bytes.withUnsafeBytes { all in
                let message = UnsafeRawBufferPointer(rebasing: all[0..<count])
                for start in 0...end {
                    let float = DecimalText.scanFloat(inLine: message, start, end)
                    let checkedFloat = DecimalText.scanFloat(message, start, end)
                    let double = DecimalText.scanDouble(inLine: message, start, end)
                    let long = DecimalText.scanDouble(inLineLong: message, start, end)
                    let checkedDouble = DecimalText.scanDouble(message, start, end)
                    let integer = DecimalText.scanUInt64(inLine: message, start, end)
                    let checkedInteger = DecimalText.scanUInt64(message, start, end)
                    if float?.value.bitPattern != checkedFloat?.value.bitPattern || float?.stop != checkedFloat?.stop
                        || double?.value.bitPattern != checkedDouble?.value.bitPattern || double?.stop != checkedDouble?.stop
                        || long?.value.bitPattern != checkedDouble?.value.bitPattern || long?.stop != checkedDouble?.stop
                        || integer?.value != checkedInteger?.value || integer?.stop != checkedInteger?.stop
                    {
                        failures.append("\(line.debugDescription) from \(start)")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    /// A decimal with `decimals` places that Double parses correctly rounded (at most 15 digits in all).
    private static func field(_ r: inout SplitMix64) -> String {
        let decimals = Int(r.next() % 7)
        var text = (r.next() % 2 == 0 ? "-" : "") + String(r.next() % 1000)
        if decimals > 0 {
            text += "."
            for _ in 0..<decimals { text += String(r.next() % 10) }
        }
        return text
    }

    private static func chunked(_ bytes: [UInt8], _ r: inout SplitMix64, _ feed: (ArraySlice<UInt8>) -> Void) {
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + 1 + Int(r.next() % 97))
            feed(bytes[start..<end])
            start = end
        }
    }

    /// Random x-IMU3 ASCII lines (inertial, battery, temperature, and broken ones) fed in random chunks:
    /// every value is the standard library's Float of the Double of its text, every time µs / 1e6.
    @Test func randomXIMU3LinesInRandomChunksDecodeToTheCorrectlyRoundedValues() {
        var r = SplitMix64(seed: 17)
        var stream = ""
        var expected: [SensorFamilyOutput] = []
        for _ in 0..<20_000 {
            let micros = r.next() % 10_000_000_000
            let time = Double(micros) / 1e6
            switch r.next() % 8 {
            case 0:
                let v = (0..<3).map { _ in Self.field(&r) }
                stream += "B,\(micros),\(v.joined(separator: ","))\r\n"
                let f = v.map { Float(Double($0)!) }
                expected.append(.battery(time: time, percent: f[0], volts: f[1], chargingStatus: f[2]))
            case 1:
                let v = Self.field(&r)
                stream += "T,\(micros),\(v)\n"
                expected.append(.temperature(time: time, celsius: Float(Double(v)!)))
            case 2:
                stream += "I,\(micros),1.5,2..5,3,4,5,6\n"  // not a number: skipped
            default:
                let v = (0..<6).map { _ in Self.field(&r) }
                stream += "I,\(micros),\(v.joined(separator: ","))\n"
                let f = v.map { Float(Double($0)!) }
                expected.append(.sample(ImuSample(time: time, accelerometer: Vector3(f[3], f[4], f[5]), gyroscope: Vector3(f[0], f[1], f[2]))))
            }
        }
        var decoder = XIMU3Decoder()
        var outputs: [SensorFamilyOutput] = []
        Self.chunked(Array(stream.utf8), &r) { chunk in chunk.withUnsafeBytes { decoder.decode($0) { outputs.append($0) } } }
        #expect(outputs.count == expected.count)
        #expect(outputs == expected)
        #expect(decoder.counters.malformedMessages == UInt64(20_000 - expected.count))
    }

    /// Random text lines, the time column not first and units to convert, in random chunks.
    @Test func randomTextLinesInRandomChunksDecodeToTheCorrectlyRoundedValues() throws {
        let header = "gx[rad/s];time[ms];ax[m/s2];ay[m/s2];az[m/s2];gy[rad/s];gz[rad/s];extra"
        let format = try TextLineFormat(header: header)
        var r = SplitMix64(seed: 18)
        var stream = header + "\n"
        var expected: [ImuSample] = []
        for _ in 0..<20_000 {
            let millis = Double(r.next() % 1_000_000) + Double(r.next() % 1000) / 1000
            let v = (0..<7).map { _ in Self.field(&r) }
            let line = [v[0], String(millis)] + v[1...]
            stream += line.joined(separator: r.next() % 2 == 0 ? ";" : "\t") + "\r\n"
            let f = v.map { Float(Double($0)!) }
            let a = format.gPerAccelerationUnit
            let g = format.degreesPerSecondPerGyroscopeUnit
            expected.append(
                ImuSample(
                    time: millis * 1e-3, accelerometer: Vector3(f[1] * a, f[2] * a, f[3] * a),
                    gyroscope: Vector3(f[0] * g, f[4] * g, f[5] * g)))
        }
        var decoder = TextLineDecoder()
        var samples: [ImuSample] = []
        Self.chunked(Array(stream.utf8), &r) { chunk in
            chunk.withUnsafeBytes { decoder.decode($0) { if case .sample(let s) = $0 { samples.append(s) } } }
        }
        #expect(samples.count == expected.count)
        #expect(samples == expected)
        #expect(decoder.counters.malformedMessages == 0)
    }

    /// A random line of the standard text layout, often broken: fields missing or added, trailing or doubled
    /// separators, spaces, CRs, signs alone, exponents and long digit runs, letters.
    private static func roughTextLine(_ r: inout SplitMix64) -> String {
        var fields = [String(r.next() % 5_000_000_000)] + (0..<6).map { _ in Self.field(&r) }
        switch r.next() % 10 {
        case 0: fields.removeLast()
        case 1: fields.append(Self.field(&r))
        case 2: fields[Int(r.next() % 7)] = ["", "-", "+", "1e3", "2.5E-2", "x", "1.2.3", String(repeating: "7", count: 21)][Int(r.next() % 8)]
        default: break
        }
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 {
                let separators = [",", ",", ",", ",", ",", ",", ",", ";", ";", "\t", " ", ", ", ",  ", "  ", ",,", " ,"]
                line += separators[Int(r.next() % 16)]
            }
            line += field
        }
        if r.next() % 8 == 0 { line += [",", " ", ", ", ";"][Int(r.next() % 4)] }
        return line + (r.next() % 2 == 0 ? "\r\n" : "\n")
    }

    /// Lines of the in-order layout (`t,ax,ay,az,gx,gy,gz`) are read field after field without the general
    /// loop (`fieldsInOrder`): on random and broken lines in random chunks, the same samples, the same
    /// lines rejected and the same counters as the general loop gives.
    @Test func inOrderTextLinesGiveWhatTheGeneralLoopGives() {
        var r = SplitMix64(seed: 20)
        var stream = TextLineEmulation.header + "\n"
        for _ in 0..<30_000 { stream += Self.roughTextLine(&r) }
        let bytes = Array(stream.utf8)
        var unrolled = TextLineDecoder()
        var general = TextLineDecoder()
        general.readsInOrderLinesUnrolled = false
        var unrolledOutputs: [SensorFamilyOutput] = []
        var generalOutputs: [SensorFamilyOutput] = []
        var chunking = SplitMix64(seed: 21)
        Self.chunked(bytes, &chunking) { chunk in chunk.withUnsafeBytes { unrolled.decode($0) { unrolledOutputs.append($0) } } }
        chunking = SplitMix64(seed: 21)
        Self.chunked(bytes, &chunking) { chunk in chunk.withUnsafeBytes { general.decode($0) { generalOutputs.append($0) } } }
        #expect(unrolledOutputs.count > 8_000)
        #expect(general.counters.malformedMessages > 3_000)
        #expect(unrolledOutputs == generalOutputs)
        #expect(unrolled.counters == general.counters)
    }

    /// An inertial message has exactly six arguments separated by commas (read without the loop of the
    /// other messages): five, seven, an empty one, a trailing comma or another separator make it malformed.
    @Test func inertialMessagesWithAnyOtherArgumentListAreMalformed() {
        let good = "I,1000,1.5,-2,3.25,0.5,-0.25,1\n"
        let bad = [
            "I,1000,1.5,-2,3.25,0.5,-0.25\n", "I,1000,1.5,-2,3.25,0.5,-0.25,1,7\n", "I,1000,1.5,,3.25,0.5,-0.25,1\n",
            "I,1000,1.5,-2,3.25,0.5,-0.25,1,\n", "I,1000,1.5;-2,3.25,0.5,-0.25,1\n", "I,1000\n", "I,1000,\n",
            "I,1000,1.5,-2,3.25,0.5,-0.25,1 \n", "I,1000,-,-2,3.25,0.5,-0.25,1\n",
        ]
        var decoder = XIMU3Decoder()
        var samples: [ImuSample] = []
        let stream = Array((good + bad.joined() + good).utf8)
        stream.withUnsafeBytes { decoder.decode($0) { if case .sample(let s) = $0 { samples.append(s) } } }
        #expect(samples.count == 2)
        #expect(samples.first == ImuSample(time: 0.001, accelerometer: Vector3(0.5, -0.25, 1), gyroscope: Vector3(1.5, -2, 3.25)))
        #expect(decoder.counters.malformedMessages == UInt64(bad.count))
    }
}
