import LumbarCore
import Testing

struct QuaternionTests {
    @Test func rotatingXByNinetyDegreesAboutZGivesY() {
        let q = Quaternion(axis: .unitZ, angle: .pi / 2)
        #expect(q.rotate(.unitX).isApproximatelyEqual(to: .unitY, absoluteTolerance: 1e-6))
    }

    @Test func productAppliesRightOperandFirst() {
        let aboutZ = Quaternion(axis: .unitZ, angle: .pi / 2)
        let aboutX = Quaternion(axis: .unitX, angle: .pi / 2)
        // Y rotated about X goes to Z; Z rotated about Z stays Z.
        let v = (aboutZ * aboutX).rotate(.unitY)
        #expect(v.isApproximatelyEqual(to: .unitZ, absoluteTolerance: 1e-6))
    }

    @Test func fromToRotatesFirstDirectionOntoSecond() {
        let pairs: [(Vector3, Vector3)] = [
            (.unitX, .unitY), (Vector3(1, 2, 3), Vector3(-3, 0.5, 1)), (.unitZ, -.unitZ), (.unitZ, .unitZ),
        ]
        for (a, b) in pairs {
            let q = Quaternion(from: a, to: b)
            #expect(q.rotate(a.normalized!).isApproximatelyEqual(to: b.normalized!, absoluteTolerance: 1e-5))
        }
    }

    @Test func rotationVectorRoundTrips() {
        let v = Vector3(0.3, -0.2, 0.9)
        let back = Quaternion(rotationVector: v).rotationVector
        #expect(back.isApproximatelyEqual(to: v, absoluteTolerance: 1e-5))
        #expect(abs(Quaternion(rotationVector: v).angle - v.length) < 1e-5)
    }

    @Test func zeroVectorsNeverProduceNaN() {
        #expect(Quaternion(axis: .zero, angle: 1) == .identity)
        #expect(Quaternion(from: .zero, to: .unitZ) == .identity)
        #expect(Quaternion(w: 0, x: 0, y: 0, z: 0).normalized == .identity)
        #expect(Vector3.zero.normalized == nil)
    }
}
