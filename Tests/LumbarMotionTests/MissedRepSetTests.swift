import LumbarCore
import LumbarMotion
import LumbarSim
import Testing

/// A rep that could not be counted inside a set of slow reps with holds (issue 12: "a set is what the person
/// did"): the leg was exercising, so the pauses around it and the rep itself are no rest between sets.
struct MissedRepSetTests {
    /// Seven back kicks lifted 1.5 s, held 6 s, lowered 1.5 s, 3 s apart, then two more after a 20 s rest. In
    /// rep 4's hold the ankle strap slips 15° about the shank, so that rep lands inclined differently than it
    /// started (`sensor_resettled`: not counted).
    @Test func aRepNotCountedInsideASetOfHeldRepsIsNoSetBreakButTheRestAfterTheSetIs() throws {
        var s = KinematicSession()
        var starts: [Double] = [4]
        for i in 1..<9 { starts.append(starts.last! + 9 + (i == 7 ? 20 : 3)) }
        s.reps = starts.map { KinematicSession.Rep(start: $0, concentric: 1.5, hold: 6, eccentric: 1.5) }
        s.duration = starts.last! + 12
        s.ankleSlips = [(start: starts[3] + 4, duration: 0.5, degrees: 15)]
        let events = analyze(s).events
        let reasons = events.compactMap { e -> RepRejection? in if case .repRejected(_, let r) = e { r.reason } else { nil } }
        try #require(reasons == [.sensorResettled], "\(events.map(\.jsonLine))")
        let recs = records(events)
        let report = recs.map { "\($0.rep) set \($0.set) \($0.startTime)-\($0.endTime)" }.joined(separator: ", ")
        // 15 s from rep 3's end to rep 5's start, rep 4 (not counted) in between: rep 5 is still in set 1.
        #expect(recs.map(\.set) == [1, 1, 1, 1, 1, 1, 2, 2], "\(report)")
    }

    /// TUNE seeds 21, 46 and 107 (one ankle sensor, moved to the other leg in the 15-20 s rests between sets, as
    /// DOMAIN.md says people do): the sensor's moving began a leg movement that came to rest elsewhere
    /// (`not_returned`, `sensor_resettled`). Taken for exercise, it cut the rest into two pauses too short for a set
    /// break, and the next set was numbered as the one before (and judged against its prescribed tempo). The
    /// sensor strapped on anew (its rest gravity turned past `remountAngleDegrees`) says it was no exercise.
    @Test func aSingleAnkleSensorMovedToTheOtherLegInTheRestStartsTheNextSet() throws {
        for (seed, firstOfSet) in [(UInt64(21), 7), (46, 19), (107, 15)] {
            let (_, session, events, _) = AlertLatencyTests.heardEvents(seed: seed)
            try Self.expectNextSetOnTheOtherLeg(from: firstOfSet, of: session, in: events, seed: seed)
        }
    }

    /// TUNE seeds 36 and 111 (one ankle sensor, moved to the other leg in the rest between sets): the sensor's moving
    /// began a candidate that ran on while it lay still on the other leg (its inclination 123° and 143° from the old
    /// rest), until the next set's first rep came back to that posture or the candidate's time ran out
    /// (`not_returned`, 8.9 s and 24 s): that rep was never counted. Handled and lying still in a posture turned past
    /// `remountAngleDegrees`, the sensor was strapped on anew: its candidate ends there (`sensor_resettled`) and the
    /// posture is the rest the next set's first rep is counted from, in the next set, on the other leg.
    @Test func aSingleAnkleSensorStrappedOnTheOtherLegRestsThereAndTheNextSetsFirstRepCounts() throws {
        for (seed, firstOfSet) in [(UInt64(36), 18), (111, 8)] {
            let (_, session, events, _) = AlertLatencyTests.heardEvents(seed: seed)
            let truth = try #require(session.truth.reps.first { $0.rep == firstOfSet })
            let moved = try #require(
                session.truth.nuisances.last { $0.kind == .sensorMoved && $0.end < truth.startTime },
                "seed \(seed): the sensor was moved before rep \(firstOfSet)")
            let resettled = rejections(events).filter { $0.reason == .sensorResettled && $0.startTime < moved.end }
            #expect(resettled.contains { $0.endTime < truth.startTime },
                "seed \(seed): the move's candidate ended before rep \(firstOfSet): \(rejections(events).map(\.reason))")
            try Self.expectNextSetOnTheOtherLeg(from: firstOfSet, of: session, in: events, seed: seed)
        }
    }

    /// TUNE seed 107 (one ankle sensor, turned 180° on the leg, moved to the right leg in the rest after set 1): the
    /// sensor was turned 160° on its way and put down 90° from the old rest, a path only 1.4 times that peak (a sensor
    /// handled usually turns 1.5 times or more). The candidate ran on while it lay there 8.6 s, to its 24 s limit
    /// (`not_returned`), into rep 7's 9 s hold, and the rest was taken at that rep's top: every rep of set 2 was then
    /// counted from one rep's lowering to the next one's top (reps 7, 8, 10, 11 and 12 missed, 3 extras). A sensor
    /// lying still well short of the tilt it was turned to (`putDownShortFraction`) is not held at a rep's top: it was
    /// strapped on anew (`sensor_resettled`), and set 2 is counted rep by rep on the right leg.
    @Test func aSingleAnkleSensorPutDownShortOfWhereItWasTurnedToIsStrappedOnAnew() throws {
        let (_, session, events, _) = AlertLatencyTests.heardEvents(seed: 107)
        let firstOfSet = 7
        let truth = try #require(session.truth.reps.first { $0.rep == firstOfSet })
        let resettled = rejections(events).filter { $0.reason == .sensorResettled }
        #expect(resettled.contains { $0.endTime > truth.startTime - 10 && $0.endTime < truth.startTime },
            "the move's candidate ended before rep \(firstOfSet): \(rejections(events).map(\.reason))")
        try Self.expectNextSetOnTheOtherLeg(from: firstOfSet, of: session, in: events, seed: 107)
        for (truth, rep, label) in try repsCountedOnce(seed: 107, [7, 8, 9, 10, 11, 12]) {
            #expect(rep.leg == truth.leg, "\(label) counted on the \(rep.leg) leg")
        }
    }

    /// True rep `firstOfSet` of `session` and the one before it are both counted, on the two legs (the single ankle
    /// sensor moved between them), and the first in the set after the other's.
    private static func expectNextSetOnTheOtherLeg(
        from firstOfSet: Int, of session: SimulatedSession, in events: [LumbarEvent], seed: UInt64
    ) throws {
        let before = try counted(firstOfSet - 1, of: session, in: events, seed: seed)
        let after = try counted(firstOfSet, of: session, in: events, seed: seed)
        #expect(before.leg != after.leg, "seed \(seed): the sensor moved to the other leg")
        #expect(after.set == before.set + 1,
            "seed \(seed): rep \(firstOfSet - 1) in set \(before.set), rep \(firstOfSet) in set \(after.set)")
    }

    /// The counted rep whose midpoint lies in true rep `rep` of `session`.
    private static func counted(_ rep: Int, of session: SimulatedSession, in events: [LumbarEvent], seed: UInt64) throws
        -> RepRecord
    {
        let truth = try #require(session.truth.reps.first { $0.rep == rep })
        return try #require(
            records(events).first {
                ($0.startTime + $0.endTime) / 2 > truth.startTime && ($0.startTime + $0.endTime) / 2 < truth.endTime
            },
            "seed \(seed) rep \(rep) counted")
    }
}
