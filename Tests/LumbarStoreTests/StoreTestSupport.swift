import Foundation
import LumbarCore
import LumbarSession
import LumbarStore

/// The package root (this file is Tests/LumbarStoreTests/StoreTestSupport.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A fresh folder for one test's database files.
func scratchFolder(_ tag: String) -> String {
    let path = NSTemporaryDirectory() + "lumbar-store-tests-\(getpid())/\(tag)-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A bundled recording replayed through the pipeline into an exporter and, when given, a store output.
func replayDemo(_ name: String, store: StoreSessionOutput? = nil) throws -> (SessionExporter, SessionPipeline) {
    let input = try SessionInput(path: "\(packageRoot)/recordings/\(name).lrec")
    let pipeline = SessionPipeline()
    var pair = SessionOutputPair(try SessionExporter(options: .init()), StoreOutputSlot(store: store))
    while try input.step(into: pipeline, output: &pair) != nil {}
    pipeline.finish(into: &pair)
    var exporter = pair.first
    exporter.exercise = pipeline.exercise
    return (exporter, pipeline)
}

/// An optional store output (a test without a database feeds nothing).
struct StoreOutputSlot: SessionOutput {
    var store: StoreSessionOutput?
    mutating func sample(_ sample: SessionSample) {}
    mutating func event(_ event: LumbarEvent) { store?.event(event) }
}

/// Stores one replayed demo recording as session `id` through a writer, waits for it, returns the exporter's reps.
@discardableResult
func storeDemo(
    _ name: String, id: String, person: StoredPerson?, startedUnixNanoseconds: Int64 = 1_764_000_000_000_000_000,
    open: @escaping () throws(StoreError) -> any StoreConnection
) throws -> [RepRecord] {
    let writer = StoreWriter(databaseName: "test", open: open)
    let start = StoredSessionStart(id: id, person: person, source: .replay, startedUnixNanoseconds: startedUnixNanoseconds,
                                   station: "test-station", recordingPath: "\(name).lrec", recordingSHA256: "00")
    let output = StoreSessionOutput(writer: writer, start: start)
    let (exporter, pipeline) = try replayDemo(name, store: output)
    output.finish(StoredSessionEnd(
        endedUnixNanoseconds: startedUnixNanoseconds + Int64(pipeline.sessionTime * 1e9), summary: exporter.summary(duration: pipeline.sessionTime),
        thresholdDegrees: Double(pipeline.lumbarThresholdDegrees), recordingSHA256: nil, sensors: StoreSessionOutput.sensors(of: pipeline)))
    let (unstored, failure) = writer.close(waitingAtMost: 60)
    if unstored != 0 { throw StoreError("not stored: \(unstored) records (\(failure ?? "-"))") }
    return exporter.reps
}

/// A SQLite database at `path`, migrated.
func openSQLite(_ path: String, busyTimeout: Double = 5) throws(StoreError) -> any StoreConnection {
    let c = try SQLiteStore(path: path, busyTimeout: busyTimeout)
    try StoreSchema.migrate(c, now: 1)
    return c
}

/// Two reps equal in every field, NaN (not measured) equal to NaN.
func sameRep(_ a: RepRecord, _ b: RepRecord) -> Bool {
    func eq(_ x: Float, _ y: Float) -> Bool { x == y || (x.isNaN && y.isNaN) }
    return a.rep == b.rep && a.set == b.set && a.leg == b.leg && a.startTime == b.startTime && a.peakTime == b.peakTime
        && a.endTime == b.endTime && a.concentricDuration == b.concentricDuration && a.holdDuration == b.holdDuration
        && a.eccentricDuration == b.eccentricDuration && eq(a.legROMDegrees, b.legROMDegrees)
        && eq(a.peakLegAngularVelocityDps, b.peakLegAngularVelocityDps) && eq(a.lumbarMaxDeviationDegrees, b.lumbarMaxDeviationDegrees)
        && eq(a.lumbarExtensionDegrees, b.lumbarExtensionDegrees) && eq(a.lumbarLateralDegrees, b.lumbarLateralDegrees)
        && eq(a.lumbarRotationDegrees, b.lumbarRotationDegrees) && a.lumbarMoved == b.lumbarMoved && a.faults == b.faults
}
