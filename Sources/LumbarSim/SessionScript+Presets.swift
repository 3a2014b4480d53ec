import LumbarCore

extension SessionScript {
    /// The standard sensors: a lumbar sensor and either one ankle sensor (on `ankle`, moved between legs as
    /// sets require) or one on each ankle. 400 Hz, random mountings, typical IMU errors, independent clocks
    /// (lumbar +35 ppm, ankles −60 and +80 ppm, different offsets).
    public static func standardSensors(ankle: SensorPlacement = .rightAnkle, bothAnkles: Bool = false) -> [SensorScript] {
        var lumbar = SensorScript(site: .lumbar, serial: "SIM-LUMBAR-01")
        lumbar.clockOffsetSeconds = 12.345
        lumbar.clockDriftPPM = 35
        var sensors = [lumbar]
        let ankles: [SensorPlacement] = bothAnkles ? [.leftAnkle, .rightAnkle] : [ankle]
        for (i, site) in ankles.enumerated() {
            var s = SensorScript(site: site, serial: i == 0 ? "SIM-ANKLE-01" : "SIM-ANKLE-02")
            s.clockOffsetSeconds = i == 0 ? 7.8 : 301.25
            s.clockDriftPPM = i == 0 ? -60 : 80
            sensors.append(s)
        }
        return sensors
    }

    /// A fixed demo session: two sets of 8 reps (right leg, then left, the ankle sensor moved between them;
    /// bird dog: alternating legs with a sensor on each ankle), with clean reps and faulty ones of every kind
    /// at fixed places:
    ///
    /// | set | faults (rep in set: kind degrees) |
    /// |---|---|
    /// | 1 | 3: extension 10, 6: extension 13, 8: rising-and-falling 9 |
    /// | 2 | 2: rotation 11, 4: lateral 9, 6: extension 8, 7: extension 15 |
    public static func demo(_ exercise: Exercise, seed: UInt64 = 1) -> SessionScript {
        let alternate = exercise == .birdDog
        func set(_ firstLeg: Leg, _ faults: [Int: LumbarFaultScript]) -> SetScript {
            SetScript(reps: (1...8).map { i in
                let leg: Leg = alternate ? (i % 2 == 1 ? firstLeg : firstLeg.other) : firstLeg
                return RepScript(leg: leg, fault: faults[i])
            })
        }
        let sets = [
            set(.right, [3: .init(.extension_, degrees: 10), 6: .init(.extension_, degrees: 13),
                         8: .init(.risingAndFalling, degrees: 9)]),
            set(.left, [2: .init(.rotation, degrees: 11), 4: .init(.lateral, degrees: 9),
                        6: .init(.extension_, degrees: 8), 7: .init(.extension_, degrees: 15)]),
        ]
        return SessionScript(
            exercise: exercise, seed: seed, sets: sets, sensors: standardSensors(bothAnkles: alternate))
    }

    /// A seeded random session: `sets` sets of `repsPerSet` reps, legs alternating between sets (bird dog:
    /// between reps, with a sensor on each ankle), each rep faulty with probability `faultProbability` (kind
    /// uniform, 7–15°), with the given nuisances.
    ///
    /// - Parameter fastRepProbability: chance that a rep is kicked too fast (concentric phase 0.25–0.38 s instead
    ///   of about 1 s; see `RepTruth.concentricDuration`), drawn after the fault.
    public static func random(
        _ exercise: Exercise, seed: UInt64, sets: Int = 3, repsPerSet: Int = 8, faultProbability: Double = 0.35,
        fastRepProbability: Double = 0, nuisances: Nuisances = .none
    ) -> SessionScript {
        var rng = SimRandom(seed: SimRandom.derivedSeed(seed, stream: 99))
        let alternate = exercise == .birdDog
        var setScripts: [SetScript] = []
        var leg: Leg = rng.chance(0.5) ? .left : .right
        for _ in 0..<sets {
            var reps: [RepScript] = []
            for i in 0..<repsPerSet {
                var fault: LumbarFaultScript?
                if rng.chance(faultProbability) {
                    let kinds = SimulatedLumbarFault.allCases
                    fault = LumbarFaultScript(kinds[rng.int(0...(kinds.count - 1))], degrees: rng.uniform(7...15))
                }
                var tempo: RepTempo?
                if fastRepProbability > 0 && rng.chance(fastRepProbability) {
                    tempo = exercise.simulatedTempo
                    tempo?.concentric = rng.uniform(0.25...0.38)
                }
                var rep = RepScript(leg: alternate && i % 2 == 1 ? leg.other : leg, fault: fault, tempo: tempo)
                rep.performedFast = tempo != nil
                reps.append(rep)
            }
            var set = SetScript(reps: reps, restBeforeSeconds: rng.uniform(6...12))
            // The simulator's tempo of the exercise is the one prescribed; the fast reps are kicked against it.
            set.prescribedTempo = exercise.simulatedTempo
            setScripts.append(set)
            leg = leg.other
        }
        var script = SessionScript(
            exercise: exercise, seed: seed, sets: setScripts,
            sensors: standardSensors(ankle: setScripts.first?.reps.first?.leg == .left ? .leftAnkle : .rightAnkle,
                                     bothAnkles: alternate))
        script.nuisances = nuisances
        return script
    }
}

extension Leg {
    /// The other leg (`.unknown` stays `.unknown`).
    var other: Leg {
        switch self {
        case .left: .right
        case .right: .left
        case .unknown: .unknown
        }
    }
}
