import LumbarCore

/// Turns a `SessionScript` into a posed body timeline, sensor attachments and the skeleton of the
/// truth (nuisances, still periods). Every random choice here comes from the script's seed (stream 0).
struct SessionPlan: Sendable {
    var model: BodyModel
    var trajectories: [SensorTrajectory]
    var nuisances: [NuisanceTruth]
    var stillPeriods: [SimulatedInterval]
    /// The prelude's upright still period, if the session has one.
    var uprightPeriod: SimulatedInterval?

    // swiftlint:disable:next function_body_length
    init(_ script: SessionScript) {
        var rng = SimRandom(seed: SimRandom.derivedSeed(script.seed, stream: 0))
        let kin = ExerciseKinematics.of(script.exercise)
        let posture = kin.posture
        let stance = Stance.exercise(posture)
        let body = script.body
        let v = max(0, script.variability)
        let degrees = Double.pi / 180

        var phases: [Phase] = []
        var reps: [RepPlan] = []
        var taps: [FootTap] = []
        var shifts: [WeightShift] = []
        var shuffles: [LegShuffle] = []
        var nuisances: [NuisanceTruth] = []
        var stills: [SimulatedInterval] = []
        var t = 0.0
        func add(_ kind: Phase.Kind, _ duration: Double) {
            phases.append(Phase(start: t, end: t + duration, kind: kind))
            t += duration
        }

        // Sensors: initial straps.
        let n = script.sensors.count
        // Mountings come from one stream per sensor, so adding a sensor changes no other sensor's strap.
        var mounts = script.sensors.indices.map { i -> DQuat in
            var r = SimRandom(seed: SimRandom.derivedSeed(script.seed, stream: 3000 + UInt64(i)))
            return script.sensors[i].mounting.map { DQuat($0).normalized } ?? r.rotation()
        }
        var sites = script.sensors.map { BodyModel.Site($0.site) }
        var attachStart = [Double](repeating: 0, count: n)
        var attachments = [[SensorAttachment]](repeating: [], count: n)
        func handle(_ i: Int, to site: BodyModel.Site, mounting: DQuat, duration: Double, rng: inout SimRandom) {
            attachments[i].append(SensorAttachment(start: attachStart[i], end: t, kind: .mounted(sites[i], mounts[i])))
            let axis = DVec3(rng.gaussian(), rng.gaussian(), rng.gaussian())
            let unit = axis * (1 / max(axis.length, 1e-9))
            attachments[i].append(SensorAttachment(
                start: t, end: t + duration,
                kind: .handled(from: sites[i], fromMounting: mounts[i], to: site, toMounting: mounting,
                               lift: rng.uniform(0.15...0.35), wobbleAxis: unit,
                               wobbleAngle: rng.uniform(1.0...2.2))))
            sites[i] = site
            mounts[i] = mounting
            attachStart[i] = t + duration
        }
        let ankleSensors = script.sensors.indices.filter { script.sensors[$0].site.isAnkle }
        let movable = ankleSensors.count == 1 ? ankleSensors[0] : nil

        // Sensor pick-ups go into the gaps between sets (or after the last set when there is only one).
        let gaps = max(1, script.sets.count - 1)
        var pickUpsPerGap = [Int](repeating: 0, count: gaps)
        for k in 0..<max(0, script.nuisances.sensorPickUps) { pickUpsPerGap[k % gaps] += 1 }

        /// Handles the sensors scheduled for one gap: a move of the single ankle sensor to `leg`, then pick-ups.
        func handlings(gap: Int, nextLeg: Leg?, rng: inout SimRandom) {
            var jobs: [(Int, BodyModel.Site, DQuat, NuisanceTruth.Kind)] = []
            // Where each sensor is once the earlier jobs are done (a pick-up after the move straps the moved
            // sensor back on its new ankle, not the old one).
            var plannedSites = sites
            var plannedMounts = mounts
            if let m = movable, let leg = nextLeg, sites[m] != .ankle(leg) {
                let mounting = rng.rotation()
                jobs.append((m, .ankle(leg), mounting, .sensorMoved))
                plannedSites[m] = .ankle(leg)
                plannedMounts[m] = mounting
            }
            if n > 0 {
                for _ in 0..<pickUpsPerGap[gap] {
                    let i = rng.int(0...(n - 1))
                    let axis = DVec3(rng.gaussian(), rng.gaussian(), rng.gaussian())
                    let tilt = DQuat(unitAxis: axis * (1 / max(axis.length, 1e-9)), angle: rng.uniform(5...20) * degrees)
                    plannedMounts[i] = (plannedMounts[i] * tilt).normalized
                    jobs.append((i, plannedSites[i], plannedMounts[i], .sensorPickedUp))
                }
            }
            guard !jobs.isEmpty else { return }
            let start = t
            for (i, site, mounting, kind) in jobs {
                let duration = rng.uniform(3.5...4.5)
                nuisances.append(NuisanceTruth(kind: kind, start: t, end: t + duration, leg: nil, sensorIndex: i))
                handle(i, to: site, mounting: mounting, duration: duration, rng: &rng)
                t += duration
            }
            let end = t
            t = start
            add(.hold(stance), end - start + 0.5)
        }

        func walk(rng: inout SimRandom) {
            let start = t
            add(.transition(stance, .upright), posture == .prone ? 3.0 : posture == .standing ? 1.0 : 2.5)
            add(.hold(.upright), 1.0)
            add(.walk(WalkPlan(radius: rng.uniform(1.2...1.8), strideHz: rng.uniform(0.85...1.0))), rng.uniform(10...14))
            add(.hold(.upright), 1.0)
            add(.transition(.upright, stance), posture == .prone ? 3.0 : posture == .standing ? 1.0 : 2.5)
            nuisances.append(NuisanceTruth(kind: .walk, start: start, end: t, leg: nil, sensorIndex: nil))
        }

        // Standing still after strapping the sensors on, getting into position, then the start posture.
        var upright: SimulatedInterval?
        if let prelude = script.prelude {
            add(.hold(.upright), max(0.5, prelude.uprightSeconds))
            upright = SimulatedInterval(start: 0, end: t)
            let usual = posture == .prone ? 3.5 : posture == .standing ? 1.2 : 2.5
            add(.transition(.upright, stance), max(0.5, prelude.transitionSeconds ?? usual))
        }
        let startStill = t
        add(.hold(stance), max(0.5, script.startStillSeconds))
        stills.append(SimulatedInterval(start: startStill, end: t))

        for (si, set) in script.sets.enumerated() {
            let firstLeg = set.reps.first.map { $0.leg == .left ? Leg.left : Leg.right }
            if si > 0 {
                let blockStart = t
                add(.hold(stance), 1.0)
                handlings(gap: si - 1, nextLeg: firstLeg, rng: &rng)
                if script.nuisances.walkBetweenSets { walk(rng: &rng) }
                let still = max(3.5, set.restBeforeSeconds - (t - blockStart))
                let stillStart = t
                add(.hold(stance), still)
                stills.append(SimulatedInterval(start: stillStart, end: t))
            }
            // Which rests (after rep j, not the last) get a foot tap or a weight shift.
            var restSlots = Array(0..<max(0, set.reps.count - 1))
            for i in stride(from: restSlots.count - 1, to: 0, by: -1) { restSlots.swapAt(i, rng.int(0...i)) }
            let tapSlots = Set(restSlots.prefix(script.nuisances.footTapsPerSet))
            let shiftSlots = Set(restSlots.dropFirst(tapSlots.count).prefix(script.nuisances.weightShiftsPerSet))
            let shuffleSlots = Set(
                restSlots.dropFirst(tapSlots.count + shiftSlots.count).prefix(script.nuisances.repositionsPerSet))

            for (ri, rs) in set.reps.enumerated() {
                let leg: Leg = rs.leg == .left ? .left : .right
                var tempo = rs.tempo ?? kin.tempo
                if rs.tempo == nil {
                    tempo.concentric *= 1 + 0.1 * v * rng.uniform(-1...1)
                    tempo.hold = max(0, tempo.hold * (1 + 0.1 * v * rng.uniform(-1...1)))
                    tempo.eccentric *= 1 + 0.1 * v * rng.uniform(-1...1)
                    tempo.restAfter *= 1 + 0.1 * v * rng.uniform(-1...1)
                }
                let mid = (kin.hipROMDegrees.lowerBound + kin.hipROMDegrees.upperBound) / 2
                let half = (kin.hipROMDegrees.upperBound - kin.hipROMDegrees.lowerBound) / 2
                let romDegrees = rs.hipROMDegrees ?? (mid + half * min(1, v) * rng.uniform(-1...1))
                let sideSign: Double = leg == .right ? 1 : -1
                var faultVector = DVec3.zero
                if let f = rs.fault {
                    let m = f.degrees * degrees
                    switch f.kind {
                    case .extension_, .risingAndFalling: faultVector = DVec3(0, m, 0)
                    case .flexion: faultVector = DVec3(0, -m, 0)
                    case .rotation: faultVector = DVec3(-sideSign * m, 0, 0)
                    case .lateral: faultVector = DVec3(0, 0, -sideSign * m)
                    }
                }
                var cleanVector = DVec3.zero
                if rs.fault == nil {
                    let c = rng.uniform(script.lumbarNaturalMotion.cleanRepMotionDegrees) * degrees
                    let dir = DVec3(rng.uniform(-0.3...0.3), 1, rng.uniform(-0.3...0.3))
                    cleanVector = dir * (c / dir.length)
                }
                let start = t
                var plan = RepPlan(
                    number: reps.count + 1, set: si + 1, leg: leg, exercise: script.exercise, posture: posture,
                    start: start, concentricEnd: start + tempo.concentric,
                    holdEnd: start + tempo.concentric + tempo.hold,
                    end: start + tempo.concentric + tempo.hold + tempo.eccentric,
                    hipStart: kin.hipStartDegrees * degrees, hipROM: romDegrees * degrees,
                    kneeStart: kin.kneeStartDegrees * degrees,
                    kneeTop: (rs.kneePath?.topDegrees ?? kin.kneeTopDegrees) * degrees,
                    kneeLag: rs.kneePath?.lag ?? kin.kneeLag, fault: rs.fault, faultVector: faultVector,
                    cleanVector: cleanVector)
                var rest = max(0.3, tempo.restAfter)
                if rs.returnFraction != 0 {
                    // The residual fades during the rest (lengthened when shorter than the settling), never
                    // quicker than 0.5 s.
                    plan.returnFraction = rs.returnFraction
                    plan.settleSeconds = max(0.5, rs.settleSeconds)
                    rest = max(0.2, rest - plan.settleSeconds)
                }
                plan.performedFast = rs.performedFast
                reps.append(plan)
                add(.rep(reps.count - 1), plan.phaseEnd - plan.start)

                if tapSlots.contains(ri) {
                    rest += 1.0
                    let tap = FootTap(
                        leg: leg, start: t + (rest - 0.45) / 2, liftDuration: rng.uniform(0.25...0.4),
                        liftRadians: rng.uniform(6...14) * degrees, impactDuration: 0.12,
                        impactMetres: rng.uniform(0.0002...0.0005), impactHz: rng.uniform(30...45))
                    taps.append(tap)
                    nuisances.append(NuisanceTruth(kind: .footTap, start: tap.start, end: tap.end, leg: leg, sensorIndex: nil))
                } else if shiftSlots.contains(ri) {
                    let d = rng.uniform(2.0...3.0)
                    rest += d + 0.6
                    let s = WeightShift(
                        start: t + 0.3 + (rest - d - 0.6) / 2, end: t + 0.3 + (rest - d - 0.6) / 2 + d,
                        lateralMetres: rng.uniform(0.02...0.04) * (rng.chance(0.5) ? 1 : -1),
                        rollRadians: rng.uniform(1.5...3.5) * degrees * (rng.chance(0.5) ? 1 : -1),
                        shankYawRadians: rng.uniform(2...5) * degrees)
                    shifts.append(s)
                    nuisances.append(NuisanceTruth(kind: .weightShift, start: s.start, end: s.end, leg: nil, sensorIndex: nil))
                } else if shuffleSlots.contains(ri) {
                    let d = rng.uniform(0.8...2.0)
                    rest += d + 0.6
                    let start = t + 0.3 + (rest - d - 0.6) / 2
                    let s = LegShuffle(
                        leg: leg, start: start, end: start + d, hipRadians: -rng.uniform(5...15) * degrees,
                        abductionRadians: rng.uniform(3...10) * degrees, kneeRadians: rng.uniform(-5...10) * degrees)
                    shuffles.append(s)
                    nuisances.append(NuisanceTruth(kind: .reposition, start: s.start, end: s.end, leg: leg, sensorIndex: nil))
                }
                add(.hold(stance), rest)
            }
        }
        if script.sets.count <= 1 && script.nuisances.sensorPickUps > 0 {
            add(.hold(stance), 1.0)
            handlings(gap: 0, nextLeg: nil, rng: &rng)
            add(.hold(stance), 3.0)
        }
        add(.hold(stance), max(0.5, script.endStillSeconds))
        let duration = t

        // Floor vibration bursts, anywhere.
        var vibrations: [VibrationBurst] = []
        for _ in 0..<max(0, script.nuisances.vibrationBursts) {
            let length = rng.uniform(1...3)
            let start = rng.uniform(0...max(0, duration - length))
            let hz = rng.uniform(20...35)
            let accel = rng.uniform(0.1...0.4) * Double(Units.standardGravity)
            let dir = DVec3(rng.uniform(-0.3...0.3), rng.uniform(-0.3...0.3), 1)
            let amplitude = accel / ((2 * .pi * hz) * (2 * .pi * hz))
            vibrations.append(VibrationBurst(
                start: start, end: start + length, hz: hz, displacement: dir * (amplitude / dir.length)))
            nuisances.append(NuisanceTruth(kind: .vibration, start: start, end: start + length, leg: nil, sensorIndex: nil))
        }

        // Breathing and sway.
        let nm = script.lumbarNaturalMotion
        var natural = NaturalMotion.still
        natural.breathingHz = rng.uniform(nm.breathsPerMinute) / 60
        natural.breathingPhase = rng.uniform(0...(2 * .pi))
        natural.breathingAmplitude = nm.breathingAmplitudeDegrees * degrees
        if nm.swayAmplitudeDegrees > 0 {
            for _ in 0..<3 {
                var w = [rng.uniform(0.2...1), rng.uniform(0.2...1), rng.uniform(0.2...1)]
                let total = w.reduce(0, +)
                w = w.map { $0 / total }
                for wi in w {
                    natural.sway.append(
                        (nm.swayAmplitudeDegrees * degrees * wi, rng.uniform(0.03...0.25), rng.uniform(0...(2 * .pi))))
                }
            }
        }

        let model = BodyModel(
            body: body, phases: phases, reps: reps, footTaps: taps, weightShifts: shifts, vibrations: vibrations,
            natural: natural, duration: duration, legShuffles: shuffles)
        for i in 0..<n {
            attachments[i].append(SensorAttachment(start: attachStart[i], end: duration + 1, kind: .mounted(sites[i], mounts[i])))
        }
        self.model = model
        trajectories = attachments.map { SensorTrajectory(model: model, attachments: $0) }
        self.nuisances = nuisances.sorted { $0.start < $1.start }
        stillPeriods = stills
        uprightPeriod = upright
    }
}
