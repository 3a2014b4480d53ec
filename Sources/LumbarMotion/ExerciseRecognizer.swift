import LumbarCore

/// Recognises the exercise from one rep's leg motion, whatever the sensors' mounting.
///
/// A still posture alone cannot tell quadruped from standing when the straps may hold the sensors in any
/// orientation, but the leg's path can (DOMAIN.md): the bent-knee back kick turns the shank 60–100°;
/// the straight-leg kick and the bird dog lift the ankle 40–70 cm while the shank ends nearly as
/// horizontal as it started; the prone raise lifts the ankle by about leg length × sin θ (≈ 1.5 cm per
/// degree), the standing kickback by leg length × (1 − cos θ) (under 0.5 cm per degree).
enum ExerciseRecognizer {
    /// - Parameters:
    ///   - peakRotationDegrees: largest rotation of the ankle from its rest posture, degrees.
    ///   - peakRiseCentimetres: largest rise of the ankle, cm.
    ///   - rotationAtPeakRiseDegrees: rotation when the ankle was highest, degrees.
    ///   - holdDuration: time near the top, s.
    ///   - concentricDuration: lifting time, s.
    static func recognise(
        peakRotationDegrees: Float, peakRiseCentimetres: Float, rotationAtPeakRiseDegrees: Float,
        holdDuration: Double, concentricDuration: Double
    ) -> Exercise {
        if peakRotationDegrees >= 50 && rotationAtPeakRiseDegrees >= 0.6 * peakRotationDegrees { return .backKick }
        if peakRiseCentimetres >= 25 && rotationAtPeakRiseDegrees < 0.6 * max(peakRotationDegrees, 1) {
            return holdDuration >= 1.0 || concentricDuration >= 1.6 ? .birdDog : .straightLegKick
        }
        if peakRotationDegrees >= 50 { return .backKick }
        let ratio = peakRiseCentimetres / max(peakRotationDegrees, 1)
        return ratio >= 0.9 ? .proneLegRaise : .standingKickback
    }
}
