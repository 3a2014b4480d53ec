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
            let recs = records(events)
            func found(_ rep: Int) throws -> RepRecord {
                let truth = try #require(session.truth.reps.first { $0.rep == rep })
                return try #require(
                    recs.first { ($0.startTime + $0.endTime) / 2 > truth.startTime && ($0.startTime + $0.endTime) / 2 < truth.endTime },
                    "seed \(seed) rep \(rep) counted")
            }
            let before = try found(firstOfSet - 1)
            let after = try found(firstOfSet)
            #expect(before.leg != after.leg, "seed \(seed): the sensor moved to the other leg")
            #expect(after.set == before.set + 1,
                "seed \(seed): rep \(firstOfSet - 1) in set \(before.set), rep \(firstOfSet) in set \(after.set)")
        }
    }
}
