import LumbarCore
import LumbarMotion
import Testing

/// The prescribed tempo and the direction said without an upright moment.
struct TempoAndDirectionTests {
    @Test func aTempoIsParsedFromConcentricHoldEccentricSeconds() {
        #expect(Tempo(parsing: "2-1-2") == Tempo(concentric: 2, hold: 1, eccentric: 2))
        #expect(Tempo(parsing: "1.5-3-1.5") == Tempo(concentric: 1.5, hold: 3, eccentric: 1.5))
        for bad in ["", "2-1", "2-1-2-1", "a-1-2", "-1-1-1", "0-1-1", "inf-1-1", "nan-1-1"] {
            #expect(Tempo(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func tooFastIsFasterThanThePrescription() {
        let held = Tempo(concentric: 1, hold: 2, eccentric: 1)
        #expect(held.isTooFast(concentric: 0.5, hold: 3))  // a kick
        #expect(held.isTooFast(concentric: 1, hold: 0.6))  // rushed through the top
        #expect(!held.isTooFast(concentric: 0.8, hold: 1.2))
        let touch = Tempo(concentric: 1, hold: 0.5, eccentric: 1)
        #expect(!touch.isTooFast(concentric: 1, hold: 0))  // a hold under 1 s is not checked
    }

    @Test func withoutAKnownSignExtensionAndFlexionAreSagittal() {
        let extended = LumbarComponents(extension: 7, lateral: 1, rotation: 2)
        #expect(extended.direction(signKnown: true, leg: .right) == .extension_)
        #expect(extended.direction(signKnown: false, leg: .right) == .sagittal)
        let flexed = LumbarComponents(extension: -7, lateral: 1, rotation: 2)
        #expect(flexed.direction(signKnown: false, leg: .left) == .sagittal)
        let sideways = LumbarComponents(extension: 1, lateral: -6, rotation: 2)
        #expect(sideways.direction(signKnown: false, leg: .left) == .lateralLeft)
        let rolled = LumbarComponents(extension: 1, lateral: 1, rotation: -6)
        #expect(rolled.direction(signKnown: false, leg: .right) == .rotationRight)
    }
}
