import LumbarCore

/// The body's axes in the lumbar sensor's earth frame, to split a lumbar rotation into anatomical
/// components in the posture of the exercise.
///
/// - Vertical: earth Z (gravity, from the fusion).
/// - Medio-lateral (`mediolateral`, pointing to the body's left): the hip's flexion–extension axis,
///   which is the direction of the ankle's rotation vector while the leg extends (the right-hand
///   rotation vector of hip extension points left for either leg), projected on the horizontal plane.
/// - The third axis, `mediolateral × up`, is horizontal and points to the head in quadruped and prone
///   (the spine's long axis) and forward (anterior) standing.
///
/// Components of a rotation vector `r` (degrees, earth frame, from the rep-start orientation):
/// extension = r·ML (lumbar extension is an anterior pelvic tilt, the same sense as hip extension);
/// quadruped/prone: lateral flexion (positive right) = −r·up, axial rotation (positive right) = −r·head;
/// standing: lateral flexion = r·forward, axial rotation = −r·up.
///
/// How it degrades: the vertical is always sound. The medio-lateral axis comes from the ankle sensor's
/// filter while the deviation is measured in the lumbar sensor's; without a magnetometer the two filters'
/// headings are independent, so unless `Settings.lumbarMediolateralAxis` fixes the lumbar strap's axis,
/// the horizontal split (extension/flexion versus the horizontal component — rotation in quadruped/prone,
/// lateral flexion standing) assumes a common heading and is off by the heading difference of the two
/// filters. The total deviation, the alert and the vertical component never depend on it.
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
