/// Sample times for a sensor that sends no clock of its own (WitMotion), from host receive times and
/// the configured output rate.
///
/// USB-serial bridges deliver bytes in bursts (CH340/CP210x latency timers, Bluetooth SPP batching), so a
/// sample's receive time is its true time plus a latency that varies from read to read. The model:
/// sample n is at `epoch + n × period`, where `epoch` is the earliest the arrivals allow: whenever a
/// sample arrives *before* its modelled time, the epoch moves back towards it (the least-delayed arrival
/// is the best estimate of the latency floor), by at most half a period per sample so that times always
/// increase (a burst of buffered bytes at start-up converges within a few samples per half period of
/// excess). Arrival jitter therefore never enters the sample times: they stay evenly spaced.
///
/// Samples arriving more than `latencyAllowance` after their modelled times are either late (the host or
/// the link stalled: they come in a burst that catches up, the last of it on time again) or the periods
/// before them were lost (the sensor paused, packets dropped: every arrival after stays late by the same
/// whole periods). One late arrival cannot tell them apart, so nothing is skipped until the lateness has
/// held for `lossConfirmation` of host time: then the whole periods of the least lateness seen meanwhile
/// are skipped and counted, and the times after the gap line up with the host clock again. A burst that
/// catches up before then keeps its evenly spaced times: skipping at its first late sample, as this did
/// before, stamped a gap followed by samples half a period apart until the epoch came back, which the
/// gyroscope's integration read as the leg turning at the wrong speeds (a stall of 60-70 ms every few
/// hundred ms under load: 5 ms steps after 60 ms ones at 100 Hz, reps rejected as `sensor_resettled`).
/// The cost: after a true loss, the samples of the next `lossConfirmation` are stamped early by the loss
/// (evenly spaced, so the orientation is right; only their alignment with other sensors is off).
/// A device crystal slower than the configured rate shows up as an occasional skipped period once the
/// drift exceeds the allowance.
public struct ReceiveClock: Sendable, Hashable {
    /// Configured output period, seconds.
    public let period: Double
    /// Largest receive delay beyond the model that is still treated as latency, seconds.
    public let latencyAllowance: Double
    /// Host time of sample 0 under the model, seconds; nil before the first sample.
    public private(set) var epoch: Double?
    /// Index of the next sample under the model.
    public private(set) var nextIndex: UInt64 = 0
    /// Sample periods skipped because arrivals stayed later than the latency allowance.
    public private(set) var skippedPeriods: UInt64 = 0
    /// How long arrivals must stay later than `latencyAllowance` before the periods missed are skipped,
    /// seconds (at least two periods).
    public let lossConfirmation: Double
    /// Host time (s) of the first arrival of the current run of arrivals later than the allowance; nil: none.
    private var lateSince: Double?
    /// The least lateness beyond the model in that run, seconds.
    private var leastLateness = 0.0

    /// - Parameters:
    ///   - rate: configured output rate, Hz (WitMotion default 10 Hz; Lumbar wants ≥ 50 Hz).
    ///   - latencyAllowance: seconds; default 50 ms covers the CH340/CP210x latency timers and SPP.
    ///   - lossConfirmation: seconds; default 0.25 s: a backlog is read at once when the host or link resumes
    ///     (an FTDI or CH340 holds at most a few hundred bytes; more is lost, not late), and a UART at 115200
    ///     bit/s catches up a 100 Hz WitMotion's 3 kB/s more than three times faster than it falls behind.
    public init(rate: Double, latencyAllowance: Double = 0.05, lossConfirmation: Double = 0.25) {
        period = 1 / max(rate, 1e-3)
        self.latencyAllowance = max(latencyAllowance, period)
        self.lossConfirmation = max(lossConfirmation, 2 * period)
    }

    /// The time of the next sample, which arrived at host time `receivedAt` (seconds).
    public mutating func time(receivedAt: Double) -> Double {
        guard var epoch else {
            self.epoch = receivedAt
            nextIndex = 1
            return receivedAt
        }
        var modelled = epoch + Double(nextIndex) * period
        let lateness = receivedAt - modelled
        if lateness < 0 {
            let step = min(-lateness, period / 2)
            epoch -= step
            modelled -= step
            lateSince = nil
        } else if lateness > latencyAllowance {
            let since = lateSince ?? receivedAt
            leastLateness = lateSince == nil ? lateness : min(leastLateness, lateness)
            lateSince = since
            if receivedAt - since >= lossConfirmation {
                // Late all along: periods were lost. Whole periods only (the rest is latency); the epsilon
                // absorbs floating-point division error.
                let missing = UInt64((leastLateness / period + 1e-6).rounded(.down))
                nextIndex &+= missing
                skippedPeriods &+= missing
                modelled = epoch + Double(nextIndex) * period
                lateSince = nil
            }
        } else {
            lateSince = nil
        }
        self.epoch = epoch
        nextIndex &+= 1
        return modelled
    }
}
