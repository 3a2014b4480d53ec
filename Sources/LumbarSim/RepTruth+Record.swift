import LumbarCore

extension RepTruth {
    /// This rep as the `RepRecord` a perfect analysis would report (the per-rep CSV row and `rep_completed`
    /// payload), for scoring and for describing recordings.
    ///
    /// - Parameters:
    ///   - thresholdDegrees: lumbar alert threshold, degrees: `lumbarMoved` when the total deviation reaches it;
    ///     a lumbar fault for each component (extension, flexion, rotation, lateral) whose peak reaches it.
    ///   - tooFastBelowSeconds: `too_fast` when the concentric phase is shorter, s (nil: never).
    ///   - timeOrigin: true session time that becomes 0 (e.g. `SimulatedSession.firstSampleTrueTime`), s.
    public func record(thresholdDegrees: Double = 5, tooFastBelowSeconds: Double? = nil, timeOrigin: Double = 0)
        -> RepRecord
    {
        let extensionPeak = deviation.map(\.extensionDegrees).max() ?? 0
        let flexionPeak = deviation.map(\.extensionDegrees).min() ?? 0
        var faults: [RepFault] = []
        for f in RepFault.allCases {
            let present: Bool
            switch f {
            case .lumbarExtension: present = extensionPeak >= thresholdDegrees
            case .lumbarFlexion: present = -flexionPeak >= thresholdDegrees
            case .lumbarRotation: present = abs(lumbarPeakRotationDegrees) >= thresholdDegrees
            case .lumbarLateral: present = abs(lumbarPeakLateralDegrees) >= thresholdDegrees
            case .tooFast: present = tooFastBelowSeconds.map { concentricDuration < $0 } ?? false
            case .legTooHigh: present = false
            case .lumbarSagittal: present = false  // the truth always knows extension from flexion
            case .lumbarUnknown: present = false  // the truth always measured the back
            }
            if present { faults.append(f) }
        }
        return RepRecord(
            rep: rep, set: set, leg: leg, startTime: startTime - timeOrigin, peakTime: peakTime - timeOrigin,
            endTime: endTime - timeOrigin, concentricDuration: concentricDuration, holdDuration: holdDuration,
            eccentricDuration: eccentricDuration, legROMDegrees: Float(legROMDegrees),
            peakLegAngularVelocityDps: Float(peakLegAngularVelocityDps),
            lumbarMaxDeviationDegrees: Float(lumbarPeakDeviationDegrees),
            lumbarExtensionDegrees: Float(lumbarPeakExtensionDegrees), lumbarLateralDegrees: Float(lumbarPeakLateralDegrees),
            lumbarRotationDegrees: Float(lumbarPeakRotationDegrees),
            lumbarMoved: lumbarPeakDeviationDegrees >= thresholdDegrees, faults: faults)
    }
}

extension SimulatedSession {
    /// True session time of the earliest delivered sample of any sensor, s (the origin of "seconds since the
    /// session's first sample" in the file formats); 0 when no sensor delivered anything.
    public var firstSampleTrueTime: Double {
        sensors.compactMap(\.trueTimes.first).min() ?? 0
    }
}
