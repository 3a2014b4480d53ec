import Foundation
import LumbarCore
import LumbarSession
import Testing

/// x-IMU3 logged-data folders (what x-io's GUI writes: a folder per device, `Inertial.csv` in each) in
/// `replay` and `export`: devices, placements, merged time order, and one-line errors naming file and line.
@Suite("x-IMU3 logged-data folders")
struct XIMU3LoggedDataTests {
    static let fixture = ReplayTests.root + "/Tests/Fixtures/x-IMU3 logged"

    @Test func theFixtureFolderReadsToItsDevicesAndSamplesInTimeOrder() throws {
        let data = try XIMU3LoggedData(path: Self.fixture)
        // Sorted by folder name; the serial number from Command.json; the placement from a folder named after it.
        #expect(data.devices.map(\.id) == ["Right Ankle", "0A1B-2C3D-4E5F-6071"])
        #expect(data.devices.map(\.placement) == [.rightAnkle, .unassigned])
        #expect(data.devices[1].deviceName == "x-IMU3")
        #expect(data.warnings.count == 1)
        #expect(data.warnings.first?.contains("--placement 0A1B-2C3D-4E5F-6071=PLACEMENT") == true, "\(data.warnings)")
        var got: [(Int, ImuSample)] = []
        while let next = try data.next() { got.append(next) }
        // Each device's time counts from its first sample; ties go to the first device.
        #expect(got.map(\.0) == [0, 1, 1, 0, 1])
        #expect(got.map(\.1.time) == [0, 0, 0.0025, 0.004, 0.005])
        #expect(got[2].1.gyroscope == Vector3(0.6, -0.25, 0.125))
        #expect(got[2].1.accelerometer == Vector3(0.011, 0.02, 0.991))
        #expect(got[3].1.gyroscope == Vector3(20, 0, 0))
        #expect(data.progress == 1)
    }

    @Test func aPlacementBySerialNumberPlacesTheDeviceAndOneDeviceFolderAloneIsTheLumbarSensor() throws {
        let data = try XIMU3LoggedData(path: Self.fixture, placements: ["0a1b-2c3d-4e5f-6071": .lumbar])
        #expect(data.devices.map(\.placement) == [.rightAnkle, .lumbar])
        #expect(data.warnings.isEmpty)
        let one = try XIMU3LoggedData(path: Self.fixture + "/x-IMU3 - 0A1B-2C3D-4E5F-6071 (USB)")
        #expect(one.devices.map(\.placement) == [.lumbar])
    }

    /// A bundled recording's samples logged as two x-IMU3 devices (as the GUI would write them) give the
    /// same 8 reps through `SessionInput` as the recording itself.
    @Test func aSessionLoggedAsTwoXIMU3DevicesReplaysToTheRecordingsReps() throws {
        struct Devices: SessionOutput {
            var rows: [SensorPlacement: String] = [:]
            mutating func sample(_ s: SessionSample) {
                let a = s.sample.accelerometer, g = s.sample.gyroscope
                let micros = Int64((5 + s.deviceTime) * 1e6)
                rows[s.placement, default: ""] += "\(micros),\(Self.six(g.x)),\(Self.six(g.y)),\(Self.six(g.z)),\(Self.six(a.x)),\(Self.six(a.y)),\(Self.six(a.z))\n"
            }
            mutating func event(_ e: LumbarEvent) {}
            static func six(_ v: Float) -> String { String(format: "%.6f", Double(v)) }
        }
        let recording = ReplayTests.root + "/recordings/clean-back-kick.lrec"
        let (intact, _) = try ReplayTests.replay(recording)
        let input = try SessionInput(path: recording)
        let pipeline = SessionPipeline()
        var devices = Devices()
        while try input.step(into: pipeline, output: &devices) != nil {}
        pipeline.finish(into: &devices)
        let folder = RecordingTests.temporaryPath("x-IMU3-\(UUID().uuidString)")
        for (placement, rows) in devices.rows {
            let device = folder + "/\(placement.rawValue)"
            try FileManager.default.createDirectory(atPath: device, withIntermediateDirectories: true)
            let header = XIMU3LoggedData.inertialHeader.joined(separator: ",")
            try (header + "\n" + rows).write(toFile: device + "/Inertial.csv", atomically: true, encoding: .utf8)
        }
        let (logged, loggedPipeline) = try ReplayTests.replay(folder)
        #expect(Set(loggedPipeline.sensors.map(\.placement)) == [.lumbar, .rightAnkle])
        #expect(intact.reps.count == 8)
        #expect(logged.reps.count == intact.reps.count)
        for (a, b) in zip(logged.reps, intact.reps) {
            #expect(abs(a.startTime - b.startTime) < 0.05 && abs(a.endTime - b.endTime) < 0.05, "\(a) vs \(b)")
        }
    }

    @Test func malformedLoggedDataIsOneLineNamingTheFileAndLine() throws {
        let root = RecordingTests.temporaryPath("x-IMU3-bad-\(UUID().uuidString)")
        let device = root + "/x-IMU3 - 1234-5678-9ABC-DEF0 (USB)"
        try FileManager.default.createDirectory(atPath: device, withIntermediateDirectories: true)
        let header = XIMU3LoggedData.inertialHeader.joined(separator: ",")
        func message(_ inertial: String) -> String {
            try? inertial.write(toFile: device + "/Inertial.csv", atomically: true, encoding: .utf8)
            do {
                _ = try ReplayTests.replay(root)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let file = device + "/Inertial.csv"
        #expect(message(header + "\n1000,0,0,0,0,0,1\n2000,0,0,0,0,1\n") == "\(file):3: expected 7 comma-separated values (\(XIMU3LoggedData.inertialHeader.joined(separator: ", "))), found 6")
        #expect(message(header + "\n1000,0,0,0,0,0,1\n2000,0,zero,0,0,0,1\n") == "\(file):3: column 3 'Gyroscope Y (deg/s)': 'zero' is not a number")
        #expect(message(header + "\n5000,0,0,0,0,0,1\n4000,0,0,0,0,0,1\n") == "\(file):3: the timestamp goes back, to 4000 us after 5000 us")
        #expect(message("Time,gx,gy,gz,ax,ay,az\n1000,0,0,0,0,0,1\n") == "\(file):1: not an x-IMU3 Inertial.csv header (expected '\(header)')")
        #expect(message("") == "\(file):1: empty file, expected the header '\(header)'")
        let empty = RecordingTests.temporaryPath("x-IMU3-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: empty + "/x-IMU3 - X (USB)", withIntermediateDirectories: true)
        do {
            _ = try ReplayTests.replay(empty)
            Issue.record("an empty folder replayed")
        } catch {
            #expect("\(error)" == "\(empty): a folder, but no x-IMU3 logged data in it (no Inertial.csv in it nor in a device folder such as 'x-IMU3 - SERIAL (USB)', and no .ximu3 file)")
        }
    }
}
