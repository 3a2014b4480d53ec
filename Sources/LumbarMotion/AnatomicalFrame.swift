import LumbarCore

/// The body's axes in the lumbar sensor's earth frame at a rep's start, to split a lumbar rotation into
/// anatomical components in the posture of the exercise.
///
/// Where the axes come from, in order of preference (`MotionAnalyzer.frame(reference:)`):
/// 1. `Settings.lumbarMediolateralAxis`, when the strap fixes the lumbar sensor's axes;
/// 2. the standing calibration (`UprightCalibration`): the lumbar sensor's cranial axis c from the upright
///    still period before the person got into position, its "up" u in the exercise posture; in the sensor's
///    own frame (no heading involved) left = u × c normalised, dorsal = c × left; rotated to earth with the
///    rep's reference orientation. Exact up to how upright the pelvis stood (a 10° pelvic tilt standing turns
///    the lateral/rotation split by 10°; the sign of each component does not change);
/// 3. fallback without an upright period (a recording that starts in the posture): the medio-lateral axis from
///    breathing (`BreathingAxisEstimator`, sensor frame, unsigned) with its sign borrowed from the hip axis
///    the ankle's reps teach (ankle earth frame), else that hip axis alone; with earth vertical as the dorsal
///    axis (quadruped, prone) or the cranial one (standing).
///
/// Components of a rotation vector `r` (degrees, earth frame, from the rep-start orientation), with the
/// simulator's conventions (`LumbarSim.LumbarDeviation`): extension = r·left (anterior pelvic tilt: the
/// cranial axis tips ventrally, a positive rotation about the left axis); lateral flexion (positive right) =
/// −r·dorsal; axial rotation (positive when the right side moves dorsally) = −r·cranial.
///
/// How the fallback degrades: the total deviation, the alert and the vertical component never depend on the
/// medio-lateral axis. Without a magnetometer the lumbar and ankle filters' headings are independent: the
/// ankle's axis alone splits the horizontal part at a random angle; the breathing axis fixes the split, but
/// its sign taken from the ankle is right only when the two headings differ by less than 90°, so extension and
/// flexion (and the sign of the other horizontal component) come out swapped about half the time. The scorer
/// prints the direction accuracy with and without the upright period.
public struct AnatomicalFrame: Sendable, Hashable {
    /// Unit vector toward the body's left, earth frame.
    public var left: Vector3
    /// Unit vector toward the back (dorsal), earth frame.
    public var dorsal: Vector3
    /// Unit vector toward the head (cranial), earth frame.
    public var cranial: Vector3
    /// False when the sign of `left` (and with it of `cranial`) is a guess: extension cannot be told from
    /// flexion, nor the side of an axial rotation (see `LumbarComponents.direction(signKnown:leg:)`).
    public var signKnown: Bool
    /// Which anatomical axis is earth's vertical in a fallback frame: the only component measured there without
    /// a heading (`LumbarComponents.direction(signKnown:vertical:)`).
    public var vertical: VerticalAxis
    /// False when, in a fallback frame, which anatomical axis is vertical is itself a guess: the exercise (and
    /// with it the posture) is not recognised by a clear majority of the reps, or the posture is the standing
    /// kickback's, where the trunk leans 8–45° onto the support and earth's vertical mixes axial rotation with
    /// lateral flexion. Then no component is named (`direction(of:)`: `sagittal`).
    public var postureKnown: Bool
    /// What gave the axes: said with the direction and counted by the benchmark (`DirectionEvidence`).
    public var source: Source

    /// Where a frame's axes came from.
    public enum Source: Sendable, Hashable {
        /// `Settings.lumbarMediolateralAxis`: the strap fixes the sensor's axes.
        case strap
        /// The standing calibration, by the route that recognised the upright posture.
        case upright(DirectionEvidence)
        /// No upright moment: the breathing axis or the ankle's hip axis (sign borrowed, `signKnown` false).
        case fallback
    }

    /// The anatomical axis along earth's vertical: `dorsal` lying or on all fours, `cranial` standing.
    public enum VerticalAxis: Sendable, Hashable {
        case dorsal, cranial
    }

    /// A frame from three orthonormal earth-frame axes.
    public init(
        left: Vector3, dorsal: Vector3, cranial: Vector3, signKnown: Bool = true, vertical: VerticalAxis = .dorsal,
        postureKnown: Bool = true, source: Source = .strap
    ) {
        self.left = left
        self.dorsal = dorsal
        self.cranial = cranial
        self.signKnown = signKnown
        self.vertical = vertical
        self.postureKnown = postureKnown
        self.source = source
    }

    /// The fallback frame: a medio-lateral axis (toward the left, projected on the horizontal) and the
    /// posture: lying or on all fours the back faces up, standing the head does.
    /// `signKnown`: whether the medio-lateral axis' sign is known (a strap that fixes it) or borrowed.
    /// `postureKnown`: whether `posture` is known (see `postureKnown`).
    public init(mediolateral: Vector3, posture: Posture, signKnown: Bool, postureKnown: Bool = true) {
        let horizontal = Vector3(mediolateral.x, mediolateral.y, 0)
        let left = horizontal.normalized ?? .unitY
        let up = Vector3.unitZ
        let source: Source = signKnown ? .strap : .fallback
        if posture != .standing {  // quadruped, prone: the spine lies horizontal
            self.init(
                left: left, dorsal: up, cranial: left.cross(up), signKnown: signKnown, vertical: .dorsal,
                postureKnown: postureKnown, source: source)
        } else {
            self.init(
                left: left, dorsal: up.cross(left), cranial: up, signKnown: signKnown, vertical: .cranial,
                postureKnown: postureKnown, source: source)
        }
    }

    /// The direction of the rotation `components` (split in this frame) as said to the person, and the evidence
    /// that named it.
    public func direction(of components: LumbarComponents) -> (LumbarDirection, DirectionEvidence) {
        switch source {
        case .strap: return (components.direction(signKnown: signKnown, vertical: vertical), .strap)
        case .upright(let evidence): return (components.dominantDirection, evidence)
        case .fallback:
            guard postureKnown else { return (.sagittal, .notSettled) }
            let d = components.direction(signKnown: false, vertical: vertical)
            return (d, d == .sagittal ? .notSettled : .verticalComponent)
        }
    }

    /// The lumbar faults of a rep whose back moved past the alert threshold, named the way `direction(of:)`
    /// names its direction: only what this frame measures.
    ///
    /// - `peak`: the components at the largest deviation, degrees; `extensionRange`: the most flexed and the
    ///   most extended the back was during the rep, degrees (a back that rose and fell names both);
    ///   `componentLimit`: the smallest component named beside the dominant one, degrees.
    /// - Measured axes (strap, standing calibration): every component past the limit is named, or the largest
    ///   when none is.
    /// - Fallback (no upright moment): which horizontal axis is extension and which axial rotation (lateral
    ///   flexion standing), and either's sign, are guesses, so the horizontal part is one fault,
    ///   `lumbar_sagittal`, never a named split: on TUNE 0-199 the split named `lumbar_rotation` on 127 arched,
    ///   rounded or rising-and-falling backs and 39 bent sideways, and `lumbar_lateral` on 81 backs that did not
    ///   bend sideways (248 faults not acted -> 5). The vertical component
    ///   is named beside it only past the limit after taking off what a posture `verticalDominance`-wise off
    ///   the assumed one leaks into it (a third of the horizontal part). An unknown posture names no component.
    public func lumbarFaults(
        peak: LumbarComponents, extensionRange: (flexion: Float, extension: Float), componentLimit: Float
    ) -> [RepFault] {
        var faults: [RepFault] = []
        guard source == .fallback else {
            if extensionRange.extension >= componentLimit { faults.append(.lumbarExtension) }
            if extensionRange.flexion <= -componentLimit { faults.append(.lumbarFlexion) }
            if abs(peak.rotation) >= componentLimit { faults.append(.lumbarRotation) }
            if abs(peak.lateral) >= componentLimit { faults.append(.lumbarLateral) }
            if faults.isEmpty { faults.append(RepFault(peak.dominantDirection)) }
            return faults
        }
        guard postureKnown else { return [.lumbarSagittal] }
        let split = peak.verticalSplit(vertical)
        if split.horizontal >= componentLimit { faults.append(.lumbarSagittal) }
        if abs(split.vertical) - split.horizontal / LumbarComponents.verticalDominance >= componentLimit {
            faults.append(vertical == .dorsal ? .lumbarLateral : .lumbarRotation)
        }
        if faults.isEmpty { faults.append(RepFault(peak.direction(signKnown: false, vertical: vertical))) }
        return faults
    }

    /// The anatomical components of the rotation vector `r` (any unit; the result is in the same unit).
    public func components(of r: Vector3) -> LumbarComponents {
        LumbarComponents(extension: r.dot(left), lateral: -r.dot(dorsal), rotation: -r.dot(cranial))
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

    /// The direction of the largest component as said to the person.
    ///
    /// With `signKnown` false (no upright moment) the frame's horizontal axes come from a breathing axis and an
    /// ankle filter's independent heading: which horizontal component is extension and which axial rotation (or
    /// lateral flexion standing), and either's sign, are guesses (the scorer saw them wrong a quarter of the
    /// time). Only the component about earth's `vertical` is measured without a heading: lying or on all fours
    /// the lateral flexion, standing the axial rotation. It is said when it is at least `verticalDominance`
    /// times the horizontal part; anything else is `sagittal` (in the plane the frame cannot split, sign open).
    public func direction(signKnown: Bool, vertical: AnatomicalFrame.VerticalAxis) -> LumbarDirection {
        let d = dominantDirection
        guard !signKnown else { return d }
        let split = verticalSplit(vertical)
        guard abs(split.vertical) >= Self.verticalDominance * split.horizontal else { return .sagittal }
        switch vertical {
        case .dorsal: return lateral >= 0 ? .lateralRight : .lateralLeft
        case .cranial: return rotation >= 0 ? .rotationRight : .rotationLeft
        }
    }

    /// The component about earth's `vertical` (signed) and the size of the two horizontal ones together.
    func verticalSplit(_ vertical: AnatomicalFrame.VerticalAxis) -> (vertical: Float, horizontal: Float) {
        switch vertical {
        case .dorsal: (lateral, (extension_ * extension_ + rotation * rotation).squareRoot())
        case .cranial: (rotation, (extension_ * extension_ + lateral * lateral).squareRoot())
        }
    }

    /// How much the vertical component must exceed the horizontal part to be named without a heading: a
    /// posture a few degrees off the assumed one (a pelvis tilted 10–35° standing or leaning, a back not level
    /// on all fours) leaks that much of a horizontal deviation into it. 3 (was 2): a third of the horizontal
    /// part leaks into the vertical one at 18° off the assumed posture, not 27°.
    public static let verticalDominance: Float = 3

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

/// The evidence that named the direction of a rep's `lumbar_moved` (the bench counts how often each applies).
public enum DirectionEvidence: String, Sendable, Hashable, CaseIterable {
    /// The strap fixes the lumbar sensor's axes (`Settings.lumbarMediolateralAxis`).
    case strap
    /// Standing still upright at the start, then getting down into position (lumbar ≥ 45°, ankles ≥ 30°).
    case standingThenGettingDown = "standing_then_getting_down"
    /// Standing still upright between sets, then getting down again.
    case standingBetweenSets = "standing_between_sets"
    /// Standing still upright at the start, then leaning 8–45° onto the support (standing kickback).
    case leaningOntoSupport = "leaning_onto_support"
    /// A still posture before reps done in a posture never held still long enough (lumbar alone).
    case uprightBeforeUncalibratedReps = "upright_before_uncalibrated_reps"
    /// No upright moment: the component about earth's vertical (lateral flexion lying or on all fours),
    /// three times the rest, in a posture recognised by a clear majority of the reps.
    case verticalComponent = "vertical_component"
    /// No upright moment and nothing settled the sign: said `sagittal`.
    case notSettled = "not_settled"

    init(_ route: UprightCalibration.Route) {
        switch route {
        case .gotDownFromStart: self = .standingThenGettingDown
        case .gotDownBetweenSets: self = .standingBetweenSets
        case .leaned: self = .leaningOntoSupport
        case .beforeUncalibratedReps: self = .uprightBeforeUncalibratedReps
        }
    }
}

extension RepFault {
    /// The lumbar fault that names a back moved in `direction` (`sagittal`: `lumbar_sagittal`, the axis or sign
    /// a fallback frame cannot tell).
    init(_ direction: LumbarDirection) {
        switch direction {
        case .extension_: self = .lumbarExtension
        case .flexion: self = .lumbarFlexion
        case .lateralLeft, .lateralRight: self = .lumbarLateral
        case .rotationLeft, .rotationRight: self = .lumbarRotation
        case .sagittal: self = .lumbarSagittal
        }
    }
}
