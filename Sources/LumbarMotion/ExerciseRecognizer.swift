import LumbarCore

/// Recognises the exercise from one rep's leg motion, whatever the sensors' mounting.
///
/// A still posture alone cannot tell quadruped from standing when the straps may hold the sensors in any
/// orientation, but the leg's path can (DOMAIN.md): the bent-knee back kick turns the shank 60–100°;
/// the straight-leg kick and the bird dog lift the ankle 40–70 cm while the shank's tilt peaks mid-way
/// (the bird dog slower, about 4–5 s a rep, or with the legs alternating); the prone raise and the
/// standing kickback both swing a straight leg 10–35°, but lying the ankle sets off straight up and
/// standing it sets off horizontally (the tangent of the swing at its lowest point).
enum ExerciseRecognizer {
    /// - Parameters:
    ///   - peakRotationDegrees: largest rotation of the ankle from its rest posture, degrees.
    ///   - peakRiseCentimetres: largest rise of the ankle, cm.
    ///   - rotationAtTopDegrees: rotation where the leg stopped at the top, degrees.
    ///   - tiltSwungTwice: the shank's tilt rose and fell twice (straight-leg kick, bird dog).
    ///   - duration: the rep's duration, s.
    ///   - departureVerticalFraction: vertical share of the ankle's acceleration as it left rest (0…1).
    ///   - legsAlternate: this rep's leg differs from the previous rep's within the set.
    static func recognise(
        peakRotationDegrees: Float, peakRiseCentimetres: Float, rotationAtTopDegrees: Float, tiltSwungTwice: Bool,
        duration: Double, departureVerticalFraction: Float, legsAlternate: Bool
    ) -> Exercise {
        let tiltPeaksMidway = tiltSwungTwice || rotationAtTopDegrees < 0.6 * max(peakRotationDegrees, 1)
        if peakRotationDegrees >= 50 && !tiltPeaksMidway { return .backKick }
        if peakRiseCentimetres >= 25 && tiltPeaksMidway {
            return duration >= 3.8 || legsAlternate ? .birdDog : .straightLegKick
        }
        if peakRotationDegrees >= 50 { return .backKick }
        return departureVerticalFraction >= 0.5 ? .proneLegRaise : .standingKickback
    }
}
