/// Sample times for a sensor that sends no clock of its own (WitMotion), from host receive times and
/// the configured output rate.
///
/// USB-serial bridges deliver bytes in bursts (CH340/CP210x latency timers, Bluetooth SPP batching), so a
/// sample's receive time is its true time plus a latency that varies from read to read. The model:
/// sample n is at `epoch + n × period`, where `epoch` is the earliest the arrivals allow: whenever a
/// sample arrives *before* its modelled time, the epoch moves back towards it (the least-delayed arrival
/// is the best estimate of the latency floor), by at most half a period per sample so that times always
/// increase (a burst of buffered bytes at start-up converges within a few samples per half period of
/// excess). Arrival jitter therefore never enters the sample times: they stay evenly spaced. A sample arriving more than `latencyAllowance` after its modelled time means
/// packets were lost (or the sensor paused): the whole periods missing are skipped and counted, so the
/// times after a gap line up with the host clock again. A device crystal slower than the configured
/// rate shows up the same way, as an occasional skipped period once the drift exceeds the allowance
/// (bounded error: at most `latencyAllowance`).
public struct ReceiveClock: Sendable, Hashable {
    /// Configured output period, seconds.
    public let period: Double
    /// Largest receive delay beyond the model that is still treated as latency, seconds.
    public let latencyAllowance: Double
    /// Host time of sample 0 under the model, seconds; nil before the first sample.
    public private(set) var epoch: Double?
    /// Index of the next sample under the model.
    public private(set) var nextIndex: UInt64 = 0
    /// Sample periods skipped because arrivals were later than the latency allowance.
    public private(set) var skippedPeriods: UInt64 = 0

    /// - Parameters:
    ///   - rate: configured output rate, Hz (WitMotion default 10 Hz; Lumbar wants ≥ 50 Hz).
    ///   - latencyAllowance: seconds; default 50 ms covers the CH340/CP210x latency timers and SPP.
    public init(rate: Double, latencyAllowance: Double = 0.05) {
        period = 1 / max(rate, 1e-3)
        self.latencyAllowance = max(latencyAllowance, period)
    }

    /// The time of the next sample, which arrived at host time `receivedAt` (seconds).
    public mutating func time(receivedAt: Double) -> Double {
        guard var epoch else {
            self.epoch = receivedAt
            nextIndex = 1
            return receivedAt
        }
        var modelled = epoch + Double(nextIndex) * period
        if receivedAt < modelled {
            let step = min(modelled - receivedAt, period / 2)
            epoch -= step
            modelled -= step
        } else if receivedAt - modelled > latencyAllowance {
            // Whole periods only (the rest is latency); the epsilon absorbs floating-point division error.
            let missing = UInt64(((receivedAt - modelled) / period + 1e-6).rounded(.down))
            nextIndex &+= missing
            skippedPeriods &+= missing
            modelled = epoch + Double(nextIndex) * period
        }
        self.epoch = epoch
        nextIndex &+= 1
        return modelled
    }
}
