import LumbarCore
@testable import LumbarMotion
import Testing

/// Where a leg lands after a rep (near, not exactly, where it started) and what makes a set.
struct LandingAndSetTests {
    @Test func aSensorTurnedAboutTheRepsOwnAxisLandsAlongItSignedWithTheRep() {
        let start = Vector3(0.3, -0.2, 0.93).normalized!
        let axis = Vector3(0.1, 0.95, 0.2)
        // The sensor turned 12° further about the rep's axis, the way the rep went (short of the start).
        let short = Quaternion(axis: axis.normalized!, angle: 12 * .pi / 180).inverseRotate(start)
        let landing = LandingTilt(start: start, end: short, axis: axis)
        #expect(abs(landing.alongDegrees - 12) < 0.5, "\(landing)")
        #expect(landing.acrossDegrees < 0.5, "\(landing)")
        // Past the start: the other way.
        let past = Quaternion(axis: axis.normalized!, angle: -6 * .pi / 180).inverseRotate(start)
        #expect(abs(LandingTilt(start: start, end: past, axis: axis).alongDegrees + 6) < 0.5)
    }

    @Test func aSensorTurnedAboutAnotherAxisLandsAcrossTheRepsPath() {
        let start = Vector3(0, 0, 1)
        let axis = Vector3(0, 1, 0)
        // Strapped on anew: turned 12° about the sensor's x axis, which no turn about y makes.
        let end = Quaternion(axis: .unitX, angle: 12 * .pi / 180).inverseRotate(start)
        let landing = LandingTilt(start: start, end: end, axis: axis)
        #expect(abs(landing.acrossDegrees - 12) < 0.5, "\(landing)")
        #expect(abs(landing.alongDegrees) < 0.5, "\(landing)")
    }

    @Test func backKicksPutBackTwelvePercentShortAreCounted() throws {
        // 80° kicks put back 9.6° short: beyond the 8° any landing may be off, but on the kick's own path.
        var s = KinematicSession()
        s.duration = 20
        s.reps = [4, 10].map { KinematicSession.Rep(start: $0, landsShort: 0.12) }
        let events = analyze(s).events
        let rejected = events.filter { if case .repRejected = $0 { true } else { false } }
        #expect(records(events).count == 2, "\(rejected.map(\.jsonLine))")
        #expect(rejected.isEmpty, "\(rejected.map(\.jsonLine))")
    }

    /// Two back kicks, then the knee slides forward and out and back (the shank turns 12° the other way about an
    /// axis tilted 25° by the abduction) with the back still: not counted, `reposition`; the same movement with
    /// the back turning 8° with it (a faulty rep's tilted axis) is not called a reposition.
    @Test func aLegTurnedTheOtherWayAboutATiltedAxisWithTheBackStillIsARepositioning() throws {
        let tilted = Vector3(0, 0.906, 0.423)
        var s = KinematicSession()
        s.duration = 26
        s.reps = [4, 10].map { KinematicSession.Rep(start: $0, legDegrees: 40) }
        s.reps.append(KinematicSession.Rep(start: 17, concentric: 0.6, hold: 0, eccentric: 0.6, legDegrees: -12, legAxis: tilted))
        let events = analyze(s).events
        let reasons = events.compactMap { e -> RepRejection? in if case .repRejected(_, let r) = e { r.reason } else { nil } }
        #expect(records(events).count == 2, "\(events.map(\.jsonLine))")
        #expect(reasons == [.reposition], "\(events.map(\.jsonLine))")

        s.reps[2].lumbarDegrees = 8
        let faulty = analyze(s).events
        #expect(!faulty.contains { if case .repRejected(_, let r) = $0 { r.reason == .reposition } else { false } })
    }

    /// The set numbers of reps like `rep` (its start ignored) done 4 s in, one after the other with these pauses
    /// (s) between them; nil unless every rep is counted.
    private func setNumbers(of rep: KinematicSession.Rep, pauses: [Double]) -> [Int]? {
        var s = KinematicSession()
        var starts: [Double] = [4]
        for pause in pauses { starts.append(starts.last! + rep.end - rep.start + pause) }
        s.reps = starts.map { var r = rep; r.start = $0; return r }
        s.duration = starts.last! + 12
        let recs = records(analyze(s).events)
        return recs.count == starts.count ? recs.map(\.set) : nil
    }

    @Test func aLongerPauseBetweenSlowRepsWithHoldsStaysInTheSetAndARestStartsTheNext() throws {
        // Raise, hold 6 s, lower; about 3 s between reps, once 8 s (longer than `setBreakDuration`, but under
        // three times the set's mean pause), then a 25 s rest.
        let sets = setNumbers(of: KinematicSession.Rep(start: 0, hold: 6), pauses: [3, 3, 8, 3, 25])
        #expect(sets == [1, 1, 1, 1, 1, 2])
    }

    /// The first pause of a set has no rhythm to compare with: 8 s after a slow rep with a 6 s hold (the longest
    /// pause inside a TUNE set is 7.8 s, the shortest rest between sets 14 s) stays in the set, under
    /// `setRestDuration`; a 20 s rest starts the next.
    @Test func anEightSecondPauseAfterTheFirstRepWithAHoldStaysInTheSet() throws {
        let sets = setNumbers(of: KinematicSession.Rep(start: 0, hold: 6), pauses: [8, 3, 3, 20])
        #expect(sets == [1, 1, 1, 1, 2])
    }

    /// 8 s after quick kicks (2 s reps, 1.5 s apart) is a rest: longer than the reps take and than three times the
    /// set's pauses (the classic suite rests 8–34 s between sets of such reps).
    @Test func anEightSecondPauseAfterQuickRepsIsARest() throws {
        let sets = setNumbers(of: KinematicSession.Rep(start: 0, concentric: 1, hold: 0.2, eccentric: 1),
                              pauses: [1.5, 1.5, 8, 1.5])
        #expect(sets == [1, 1, 1, 2, 2])
    }

    /// After the upright moment the person leans 20° onto a support and starts at once: the first still 2 s (a new
    /// posture) comes between reps 1 and 2, and that is not a set break. Leaning back up between reps 2 and 3 (a
    /// posture left since the last rep) is one, though the pause is short.
    @Test func aPostureTakenBeforeTheFirstRepIsNoSetBreakButOneLeftBetweenRepsIs() throws {
        var s = KinematicSession()
        s.duration = 22
        s.lumbarLeans = [(start: 1.5, duration: 1, degrees: 20)]
        s.reps = [3.5, 10.2, 16.9].map { KinematicSession.Rep(start: $0) }
        let events = analyze(s).events
        let calibrations = events.filter { if case .calibrated = $0 { true } else { false } }
        #expect(calibrations.count == 2, "\(events.map(\.jsonLine))")
        #expect(records(events).map(\.set) == [1, 1, 1], "\(events.map(\.jsonLine))")

        s.lumbarLeans.append((start: 13.5, duration: 1, degrees: -20))
        s.reps[2].start = 17.5
        s.duration = 23
        let leftPosture = analyze(s).events
        #expect(records(leftPosture).map(\.set) == [1, 1, 2], "\(leftPosture.map(\.jsonLine))")
    }
}
