import LumbarCore
import LumbarProtocol
import LumbarSim
import Testing

struct SensorFamilyDetectorTests {
    static let samples = Array(FamilyFixtures.samples.prefix(20))

    /// What a port opened mid-stream shows first: the tail of a message, then whole ones.
    static func openedMidStream(_ bytes: [UInt8]) -> [UInt8] { Array(bytes.dropFirst(5).prefix(600)) }

    /// Lumbar's own frames from the simulator.
    static let lumbarFrames: [UInt8] = {
        var stream = Simulator.stream(.demo(.backKick, seed: 3), sensors: [0])
        var bytes: [UInt8] = []
        while bytes.count < 2000, let packet = stream.next() { bytes += packet.frame }
        return bytes
    }()

    @Test func eachFamilyIsRecognisedFromItsFirstBytes() {
        let cases: [(SensorFamily, [UInt8])] = [
            (.xIMU3, XIMU3Emulation.stream(Self.samples, mode: .binary)),
            (.xIMU3, XIMU3Emulation.stream(Self.samples, mode: .ascii)),
            (.witMotion, WitMotionEmulation.stream(Self.samples)),
            (.textLines, TextLineEmulation.stream(Self.samples)),
            (.lumbar, Self.lumbarFrames),
        ]
        for (family, bytes) in cases {
            guard case .family(let found, _) = SensorFamilyDetector.detect(Self.openedMidStream(bytes)) else {
                Issue.record("\(family) not recognised")
                continue
            }
            #expect(found == family)
        }
    }

    @Test func noiseAndTooFewBytesStayUndecided() {
        #expect(SensorFamilyDetector.detect(FamilyFixtures.garbage(2000, seed: 9)) == .undecided)
        #expect(SensorFamilyDetector.detect(Array(WitMotionEmulation.stream(Self.samples).prefix(30))) == .undecided)
        #expect(SensorFamilyDetector.detect([]) == .undecided)
    }
}
