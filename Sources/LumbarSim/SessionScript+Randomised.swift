import LumbarCore

/// A session of the randomised mode: the script and a one-line summary of what was drawn.
public struct RandomisedSession: Sendable {
    public var script: SessionScript
    /// What the draw chose (exercise, rate, prelude, straps, tempo styles), for labelling misses.
    public var summary: String
}

extension SessionScript {
    /// The randomised mode: one seeded session whose kinematics, people, straps, clocks and links vary well
    /// beyond the presets the motion analysis was written against (docs/simulator.md, "Randomised mode").
    ///
    /// Drawn per session: exercise; an upright prelude (2–5 s standing) or none (already in position);
    /// body proportions (±15 %); 2–4 sets of 3–10 reps, 12–30 s rests between sets; per set a tempo style
    /// (prescribed: concentric 1–4 s, hold 0–10 s, eccentric 0.8–4 s; or fast: concentric 0.3–0.6 s, every
    /// rep `performedFast`), single fast reps (10 %); hip ROM per set (prone and standing 8–45°, back kick
    /// 25–95°, straight-leg kick and bird dog 60–100° with knee paths whose lag runs −0.4…0.5, the knee
    /// straightening to 0–30°); the leg coming back short by up to 15 % and settling later; clean reps
    /// (natural motion under 2.5°) and faulty ones (7–16°, any kind, 35 %); straps at the nominal place
    /// turned 8–30° off, upside down, or turned 90°/180° around the leg; 25–1000 Hz (sensors may differ),
    /// ±16 g; clocks drifting 20–100 ppm either way; lost-sample bursts (0.05–1.2 s, half inside a rep)
    /// and packet loss up to 0.5 %; non-reps (foot taps, leg repositionings, weight shifts, walks between
    /// sets, sensor pick-ups) with their truth.
    public static func randomised(seed: UInt64) -> RandomisedSession {
        var rng = SimRandom(seed: SimRandom.derivedSeed(seed, stream: 77))
        let exercises = Exercise.allCases
        let exercise = exercises[rng.int(0...(exercises.count - 1))]
        var traits: [String] = [exercise.rawValue]
        let alternate = exercise == .birdDog
        let bothAnkles = alternate || rng.chance(0.4)

        // People: proportions within ±15 %, lumbar soft tissue 6–13 cm, kickback lean 10–35°.
        var body = BodyDimensions()
        let size = rng.uniform(0.85...1.15)
        body.thighLength *= size * rng.uniform(0.95...1.05)
        body.kneeToAnkleSensor *= size * rng.uniform(0.92...1.08)
        body.hipHalfWidth = rng.uniform(0.07...0.11)
        body.hipCaudalOffset = rng.uniform(0.06...0.10)
        body.lumbarSensorDorsalOffset = rng.uniform(0.06...0.13)
        body.ankleSensorLateralOffset = rng.uniform(0.03...0.05)
        body.quadrupedPelvisHeight = body.thighLength + rng.uniform(0.03...0.08)
        body.standingPelvisHeight = (body.thighLength + body.kneeToAnkleSensor) * rng.uniform(1.08...1.15)
        body.standingLeanDegrees = rng.uniform(10...35)

        var natural = LumbarNaturalMotion.typical
        natural.breathingAmplitudeDegrees = rng.uniform(0.25...0.6)
        natural.swayAmplitudeDegrees = rng.uniform(0.1...0.3)
        natural.cleanRepMotionDegrees = 0.2...rng.uniform(0.4...0.8)

        // Sets and reps.
        let setCount = rng.int(2...4)
        var leg: Leg = rng.chance(0.5) ? .left : .right
        var sets: [SetScript] = []
        var styles: [String] = []
        for _ in 0..<setCount {
            let fastSet = rng.chance(0.2)
            let longHolds = !fastSet && rng.chance(0.4)
            styles.append(fastSet ? "fast" : longHolds ? "holds" : "slow")
            let base = fastSet
                ? RepTempo(
                    concentric: rng.uniform(0.3...0.6), hold: rng.uniform(0...0.5), eccentric: rng.uniform(0.3...1.0),
                    restAfter: rng.uniform(0.3...1.5))
                : RepTempo(
                    concentric: rng.uniform(1.0...4.0), hold: longHolds ? rng.uniform(2...10) : rng.uniform(0...1.5),
                    eccentric: rng.uniform(0.8...4.0), restAfter: rng.uniform(0.4...3.0))
            let rom = Self.randomisedHipROM(exercise, &rng)
            var path = Self.randomisedKneePath(exercise, &rng)
            // A leg excursion of at least 12° (shank rotation from the start, at its largest): a knee that
            // straightens as much as the hip extends, in phase, leaves the shank level all the way.
            let kneeStart = exercise.simulatedKneeStartDegrees
            if Self.peakShankExcursion(hipROM: rom, kneeStart: kneeStart, path: path) < 12 {
                path.topDegrees = max(path.topDegrees, kneeStart - rom + 12)
            }
            var reps: [RepScript] = []
            for i in 0..<rng.int(3...10) {
                var tempo = base
                tempo.concentric *= rng.uniform(0.9...1.1)
                tempo.hold *= rng.uniform(0.8...1.2)
                tempo.eccentric *= rng.uniform(0.9...1.1)
                tempo.restAfter *= rng.uniform(0.8...1.2)
                var fast = fastSet
                if !fastSet && rng.chance(0.1) {
                    tempo.concentric = rng.uniform(0.3...0.6)
                    tempo.eccentric = min(tempo.eccentric, rng.uniform(0.4...1.2))
                    fast = true
                }
                tempo.concentric = min(max(tempo.concentric, fast ? 0.3 : 1.0), fast ? 0.6 : 4.0)
                var fault: LumbarFaultScript?
                if rng.chance(0.35) {
                    let kinds = SimulatedLumbarFault.allCases
                    fault = LumbarFaultScript(kinds[rng.int(0...(kinds.count - 1))], degrees: rng.uniform(7...16))
                }
                var rep = RepScript(
                    leg: alternate && i % 2 == 1 ? leg.other : leg, fault: fault, tempo: tempo,
                    hipROMDegrees: rom * rng.uniform(0.9...1.1))
                // The moving leg hangs from the pelvis: a flexing pelvis lowers it by as much, so the hip
                // extends at least 10° beyond the fault (the leg still rises 8° or more).
                if let f = fault, f.kind == .flexion || f.kind == .risingAndFalling {
                    rep.hipROMDegrees = max(rep.hipROMDegrees ?? rom, f.degrees + 10)
                }
                var p = path
                p.lag = min(0.6, max(-0.6, p.lag + rng.uniform(-0.05...0.05)))
                let flexion = fault.map { $0.kind == .flexion || $0.kind == .risingAndFalling ? $0.degrees : 0 } ?? 0
                let effective = (rep.hipROMDegrees ?? rom) - flexion
                if Self.peakShankExcursion(hipROM: effective, kneeStart: kneeStart, path: p) < 10 {
                    p.topDegrees = max(p.topDegrees, kneeStart - effective + 10)
                }
                rep.kneePath = p
                if rng.chance(0.6) {
                    rep.returnFraction = rng.chance(0.8) ? rng.uniform(0.02...0.15) : -rng.uniform(0.01...0.05)
                    rep.settleSeconds = rng.uniform(0.5...3)
                }
                rep.performedFast = fast
                reps.append(rep)
            }
            var set = SetScript(reps: reps, restBeforeSeconds: rng.uniform(12...30))
            set.prescribedTempo = fastSet ? nil : base
            sets.append(set)
            if rng.chance(0.6) { leg = leg.other }
        }
        traits.append("sets " + styles.joined(separator: "/"))

        // Sensors: nominal places, turned and tilted straps, rates, clocks.
        let rates: [Double] = [25, 50, 52, 100, 104, 200, 208, 400, 416, 500, 833, 1000]
        let rate = rates[rng.int(0...(rates.count - 1))]
        let ankleRate = rng.chance(0.3) ? rates[rng.int(0...(rates.count - 1))] : rate
        traits.append(ankleRate == rate ? "\(Int(rate)) Hz" : "\(Int(rate))/\(Int(ankleRate)) Hz")
        let firstLeg = sets.first?.reps.first?.leg ?? .right
        var sites: [SensorPlacement] = [.lumbar]
        sites += bothAnkles ? [.leftAnkle, .rightAnkle] : [firstLeg == .left ? .leftAnkle : .rightAnkle]
        var sensors: [SensorScript] = []
        for (i, site) in sites.enumerated() {
            var s = SensorScript(site: site, serial: "RND-\(i)", sampleRateHz: i == 0 ? rate : ankleRate)
            let (mounting, strap) = Self.randomisedMounting(site, &rng)
            s.mounting = mounting.float
            traits.append("\(site.rawValue) \(strap)")
            s.clockOffsetSeconds = rng.uniform(0...1000)
            s.clockDriftPPM = rng.uniform(20...100) * (rng.chance(0.5) ? 1 : -1)
            s.imu.accelFullScaleG = 16
            s.packetLossProbability = rng.chance(0.3) ? rng.uniform(0...0.005) : 0
            s.batchSize = rng.int(1...16)
            sensors.append(s)
        }

        var script = SessionScript(exercise: exercise, seed: seed, sets: sets, sensors: sensors)
        script.body = body
        script.lumbarNaturalMotion = natural
        if rng.chance(0.5) {
            script.prelude = Prelude(uprightSeconds: rng.uniform(2...5))
            traits.append("prelude")
        } else {
            script.prelude = nil
            traits.append("no prelude")
        }
        script.startStillSeconds = rng.uniform(1...4)
        script.nuisances = Nuisances(
            footTapsPerSet: rng.chance(0.4) ? 1 : 0, weightShiftsPerSet: rng.chance(0.3) ? 1 : 0,
            vibrationBursts: rng.chance(0.2) ? 1 : 0, walkBetweenSets: rng.chance(0.3),
            sensorPickUps: rng.chance(0.3) ? 1 : 0, repositionsPerSet: rng.chance(0.4) ? 1 : 0)

        // Lost-sample bursts: placed once the timeline is known, half of them inside a rep.
        if rng.chance(0.5) {
            let plan = SessionPlan(script)
            let bursts = rng.int(1...3)
            for _ in 0..<bursts {
                let length = rng.uniform(0.05...1.2)
                let start: Double
                if rng.chance(0.5), !plan.model.reps.isEmpty {
                    let r = plan.model.reps[rng.int(0...(plan.model.reps.count - 1))]
                    start = rng.uniform(r.start...max(r.start, r.end - length))
                } else {
                    start = rng.uniform(0...max(0, plan.model.duration - length))
                }
                let i = rng.int(0...(script.sensors.count - 1))
                script.sensors[i].dropouts.append(SimulatedInterval(start: start, end: start + length))
            }
            traits.append("\(bursts) lost bursts")
        }
        return RandomisedSession(script: script, summary: traits.joined(separator: ", "))
    }

    /// The largest shank rotation of a concentric phase from its start, degrees (hip and knee rotate the shank
    /// about the same medio-lateral axis: hip angle + knee flexion).
    static func peakShankExcursion(hipROM: Double, kneeStart: Double, path: KneePath) -> Double {
        var peak = 0.0
        for i in 0...200 {
            let u = Double(i) / 200
            let knee = path.lag >= 0 ? minimumJerk((u - path.lag) / (1 - path.lag)) : minimumJerk(u / (1 + path.lag))
            peak = max(peak, abs(hipROM * minimumJerk(u) + (path.topDegrees - kneeStart) * knee))
        }
        return peak
    }

    /// The hip excursion of a set, degrees.
    private static func randomisedHipROM(_ exercise: Exercise, _ rng: inout SimRandom) -> Double {
        switch exercise {
        case .proneLegRaise, .standingKickback: rng.uniform(8...45)
        case .backKick: rng.uniform(25...95)
        case .straightLegKick, .birdDog: rng.uniform(60...100)
        }
    }

    /// The knee's path in a set: straight-leg kicks extend the knee in any phase relation to the hip.
    private static func randomisedKneePath(_ exercise: Exercise, _ rng: inout SimRandom) -> KneePath {
        switch exercise {
        case .proneLegRaise: KneePath(topDegrees: rng.uniform(0...15), lag: 0)
        case .standingKickback: KneePath(topDegrees: rng.uniform(0...30), lag: rng.uniform(-0.2...0.2))
        case .backKick: KneePath(topDegrees: 90 + rng.uniform(-25...25), lag: 0)
        case .straightLegKick, .birdDog: KneePath(topDegrees: rng.uniform(0...30), lag: rng.uniform(-0.4...0.5))
        }
    }

    /// A strap at its nominal place (lumbar: over the sacrum, x cranial, z out of the skin; ankle: lateral
    /// shank, x toward the knee, z out of the skin), maybe upside down (turned 180° about its own z) or
    /// turned around the leg (90° or 180° about the shank) or sideways (lumbar: 90° about its z), then tilted
    /// 8–30° about a random axis. Returns the sensor → segment rotation and a word for it.
    private static func randomisedMounting(_ site: SensorPlacement, _ rng: inout SimRandom) -> (DQuat, String) {
        var words: [String] = []
        var m: DQuat
        switch site {
        case .leftAnkle: m = .rx(-.pi / 2)
        case .rightAnkle: m = .rx(.pi / 2)
        default: m = .identity
        }
        if rng.chance(0.3) {
            m = m * .rz(.pi)
            words.append("upside down")
        }
        let around = rng.uniform()
        if site == .lumbar {
            if around < 0.2 {
                m = .rz(rng.chance(0.5) ? .pi / 2 : -.pi / 2) * m
                words.append("sideways")
            }
        } else if around < 0.25 {
            m = .rx(.pi) * m
            words.append("turned 180 on the leg")
        } else if around < 0.4 {
            m = .rx(rng.chance(0.5) ? .pi / 2 : -.pi / 2) * m
            words.append("turned 90 on the leg")
        }
        let axis = DVec3(rng.gaussian(), rng.gaussian(), rng.gaussian())
        let tilt = rng.uniform(8...30)
        m = (DQuat(unitAxis: axis * (1 / max(axis.length, 1e-9)), angle: tilt * Double.pi / 180) * m).normalized
        words.append("\(Int(tilt.rounded()))° off")
        return (m, words.joined(separator: " "))
    }
}
