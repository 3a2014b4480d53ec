import LumbarCore

/// The body's axes in the lumbar sensor's earth frame, to split a lumbar rotation into anatomical
/// components in the posture of the exercise.
///
/// - Vertical: earth Z (gravity, from the fusion).
/// - Medio-lateral (`mediolateral`, pointing to the body's left), in order of preference:
///   1. `Settings.lumbarMediolateralAxis`, when the strap fixes the lumbar sensor's axes;
///   2. breathing: while the person holds still, the principal axis of the lumbar's small angular velocity
///      is the flexion/extension axis (`BreathingAxisEstimator`, after 8 s of stillness) — its sign is
///      unobservable, so it is taken to agree with (2b) below;
///   3. (2b) the ankle's rotation axis while the leg extends (the right-hand rotation vector of hip
///      extension points left for either leg), learned from the accepted reps, projected on the horizontal.
/// - The third axis, `mediolateral × up`, is horizontal and points to the head in quadruped and prone
///   (the spine's long axis) and forward (anterior) standing.
///
/// Components of a rotation vector `r` (degrees, earth frame, from the rep-start orientation):
/// extension = r·ML (lumbar extension is an anterior pelvic tilt, the same sense as hip extension);
/// quadruped/prone: lateral flexion (positive right) = −r·up, axial rotation (positive right) = −r·head;
/// standing: lateral flexion = r·forward, axial rotation = −r·up. The posture comes from the exercise
/// (forced or recognised); before it is known, quadruped.
///
/// How it degrades: the total deviation, the alert and the vertical component never depend on the
/// medio-lateral axis. The ankle's axis lives in the ankle filter's earth frame, and without a
/// magnetometer the two filters' headings are independent: used alone (3) it splits the horizontal part
/// at a random angle. The breathing axis (2) fixes the split, but the sign taken from (3) is right only when
/// the two headings differ by less than 90°: extension and flexion (and the sign of the other horizontal
/// component) may come out swapped. Weak or absent breathing leaves (3). The scorer prints how often the
/// named fault matches the acted one ("fault kind named").
public struct AnatomicalFrame: Sendable, Hashable {
    /// Unit horizontal vector toward the body's left, earth frame.
    public var mediolateral: Vector3
    public var posture: Posture

    public init(mediolateral: Vector3, posture: Posture) {
        let horizontal = Vector3(mediolateral.x, mediolateral.y, 0)
        self.mediolateral = horizontal.normalized ?? .unitY
        self.posture = posture
    }

    /// The anatomical components of the rotation vector `r` (any unit; the result is in the same unit).
    public func components(of r: Vector3) -> LumbarComponents {
        let up = Vector3.unitZ
        let third = mediolateral.cross(up)
        let ext = r.dot(mediolateral)
        if posture != .standing {  // quadruped, prone: the spine lies horizontal
            return LumbarComponents(extension: ext, lateral: -r.dot(up), rotation: -r.dot(third))
        }
        return LumbarComponents(extension: ext, lateral: r.dot(third), rotation: -r.dot(up))
    }
}

/// A lumbar rotation split into anatomical components, degrees.
public struct LumbarComponents: Sendable, Hashable {
    /// Extension positive, flexion negative.
    public var extension_: Float
    /// Lateral flexion, positive to the right.
    public var lateral: Float
    /// Axial rotation, positive to the right.
    public var rotation: Float

    public init(extension: Float, lateral: Float, rotation: Float) {
        self.extension_ = `extension`
        self.lateral = lateral
        self.rotation = rotation
    }

    public static let zero = LumbarComponents(extension: 0, lateral: 0, rotation: 0)

    /// The direction of the largest component.
    public var dominantDirection: LumbarDirection {
        let e = abs(extension_)
        let l = abs(lateral)
        let r = abs(rotation)
        if e >= l && e >= r { return extension_ >= 0 ? .extension_ : .flexion }
        if l >= r { return lateral >= 0 ? .lateralRight : .lateralLeft }
        return rotation >= 0 ? .rotationRight : .rotationLeft
    }
}
