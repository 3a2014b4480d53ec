import LumbarCore
import LumbarSession
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `text` to a fresh temporary file and returns its path.
func temporaryFile(_ text: String, name: String = "samples.csv") -> String {
    var template = Array("/tmp/lumbar-csv-XXXXXX".utf8CString)
    let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    let path = "\(dir)/\(name)"
    let f = fopen(path, "w")!
    fputs(text, f)
    fclose(f)
    return path
}

func readAll(_ text: String) throws(CSVError) -> [SampleCSVRecord] {
    let reader = try SampleCSVReader(path: temporaryFile(text))
    var records: [SampleCSVRecord] = []
    while let r = try reader.next() { records.append(r) }
    return records
}

/// The error `text` produces when read, or nil when it reads cleanly.
func readError(_ text: String) -> CSVError? {
    do {
        _ = try readAll(text)
        return nil
    } catch {
        return error
    }
}

@Suite struct SampleCSVReaderTests {
    @Test func readsGAndDegreesPerSecondWithCommentsAndExtraColumns() throws {
        let records = try readAll(
            """
            # recorded by hand
            time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps,temperature

            0.00,0,0,1,1,2,3,25.0
            # a comment between rows
            0.01, 0.5 ,0,0.866,-1,-2,-3,25.1
            """)
        #expect(records.count == 2)
        #expect(records[0].sensor == nil)
        #expect(records[0].line == 4)
        #expect(records[1].line == 6)
        #expect(records[1].sample.time == 0.01)
        #expect(records[1].sample.accelerometer.isApproximatelyEqual(to: Vector3(0.5, 0, 0.866), absoluteTolerance: 1e-6))
        #expect(records[1].sample.gyroscope == Vector3(-1, -2, -3))
    }

    @Test func convertsMetresPerSecondSquaredAndRadiansPerSecond() throws {
        let records = try readAll(
            "time_s,gyr_x_rads,gyr_y_rads,gyr_z_rads,acc_x_ms2,acc_y_ms2,acc_z_ms2\r\n0.5,3.14159265,0,-1.5707963,0,9.80665,-19.6133\r\n")
        let s = try #require(records.first).sample
        #expect(s.accelerometer.isApproximatelyEqual(to: Vector3(0, 1, -2), absoluteTolerance: 1e-6))
        #expect(s.gyroscope.isApproximatelyEqual(to: Vector3(180, 0, -90), absoluteTolerance: 1e-4))
    }

    @Test func readsNumbersExactlyAsTheStandardLibrary() throws {
        let times = [
            "0", "0.0", "1e-7", "0.1", "0.30000000000000004", "00.5", "1.5E+2", "9007199254740993",
            "123456789012345678901", "4e22", "1.7976931348623157e308", "+inf",
        ]
        let csv = "time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n"
            + times.map { "\($0),-0.000123456789,1e0,.5,-12,3.25,1E-2" }.joined(separator: "\n")
        let error = readError(csv)
        #expect(error?.line == times.count + 1, "only the infinite time is refused: \(String(describing: error))")
        let records = try readAll(csv.split(separator: "\n").dropLast().joined(separator: "\n"))
        #expect(records.map(\.sample.time) == times.dropLast().map { Double($0)! })
        #expect(records[0].sample.accelerometer == Vector3(Float(-0.000123456789), 1, 0.5))
        #expect(records[0].sample.gyroscope == Vector3(-12, 3.25, 0.01))
    }

    @Test func readsInterleavedSensors() throws {
        let records = try readAll(
            """
            time_s,sensor,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps
            0.00,lumbar,0,0,1,0,0,0
            0.00,left_ankle,0,0,1,0,0,0
            0.01,lumbar,0,0,1,0,0,0
            0.005,right_ankle,0,0,1,0,0,0
            0.02,ankle,0,0,1,0,0,0
            """)
        #expect(records.map { $0.sensor } == [.lumbar, .leftAnkle, .lumbar, .rightAnkle, .ankle])
        #expect(records[1].sensor?.placement == .leftAnkle)
        #expect(records[4].sensor?.placement == nil)
    }

    @Test(
        "errors name the file, line, column and what was expected",
        arguments: [
            ("time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n0,0,0,1,0,0,0\n0.1,0,abc,1,0,0,0\n",
             ":3: column 3 'acc_y_g': expected a number, found 'abc'"),
            ("time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n0,0,0,1,0,0\n",
             ":2: expected 7 fields as in the header, found 6"),
            ("time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n1,0,0,1,0,0,0\n0.5,0,0,1,0,0,0\n",
             ":3: column 1 'time_s': expected time not to go backwards, found 0.5 after 1.0"),
            ("time_s,sensor,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n0,hip,0,0,1,0,0,0\n",
             ":2: column 2 'sensor': expected lumbar, left_ankle, right_ankle or ankle, found 'hip'"),
            ("time_s,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\nnan,0,0,1,0,0,0\n",
             ":2: column 1 'time_s': expected a finite time in seconds, found 'nan'"),
            ("# only a comment\ntime_s,acc_x_g,acc_y_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n",
             ":2: incomplete header: missing column acc_z_g"),
            ("t,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n", ":1: header has no 'time_s' column"),
            ("time_s,acc_x_g,acc_y_g,acc_z_g\n", ":1: header has no gyroscope columns"),
            ("# nothing\n", ": no header row (the file is empty or only comments)"),
        ])
    func reportsWhereAndWhatWasWrong(csv: String, expected: String) throws {
        let error = try #require(readError(csv))
        #expect(error.description.hasPrefix(error.file))
        #expect(error.description.contains(expected), "got: \(error.description)")
    }

    @Test func missingFileIsAOneLineError() throws {
        do {
            _ = try SampleCSVReader(path: "/nonexistent/walk.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "/nonexistent/walk.csv: cannot open the file: no such file or directory (ENOENT)")
        }
    }
}

@Suite struct OrientationCSVWriterTests {
    @Test func writesHeaderAndRowsWithTheInputTime() throws {
        let path = temporaryFile("", name: "out.csv")
        let writer = try OrientationCSVWriter(path: path)
        try writer.write(time: 0.0035, orientation: Quaternion(w: 0.5, x: -0.5, y: 0.5, z: -0.5))
        try writer.write(time: 12, orientation: .identity)
        try writer.close()
        let lines = try TextLineReader(path: path)
        var text: [String] = []
        while let l = try lines.next() { text.append(l) }
        #expect(text == ["time_s,qw,qx,qy,qz", "0.0035,0.5000000,-0.5000000,0.5000000,-0.5000000", "12.0,1.0000000,0.0000000,0.0000000,0.0000000"])
    }

    @Test func addsTheSensorColumnWhenAsked() {
        let row = OrientationCSVWriter.row(time: 1.25, orientation: .identity, sensor: .rightAnkle)
        #expect(row == "1.25,1.0000000,0.0000000,0.0000000,0.0000000,right_ankle\n")
    }
}
