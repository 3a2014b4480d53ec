import LumbarCore

/// A live session: the pipeline plus, optionally, the recorder, fed together so that the recording
/// holds exactly what the pipeline saw (same bytes, same receive times) and its replay gives the same
/// events. `lumbar live` and `lumbar record` drive this; replay drives the bare `SessionPipeline`.
///
/// ```swift
/// let session = LiveSession(pipeline: SessionPipeline(), recorder: try Recorder(path: p, header: h))
/// let i = session.connect(descriptor, at: HostClock.now, into: &output)
/// session.receive(chunk, from: i, at: receiveTimeNs, into: &output)   // each read
/// session.advance(to: HostClock.now, into: &output)                   // periodically (silence timeout)
/// try session.finish(into: &output)
/// ```
public final class LiveSession {
    public let pipeline: SessionPipeline
    public let recorder: Recorder?

    public init(pipeline: SessionPipeline, recorder: Recorder? = nil) {
        self.pipeline = pipeline
        self.recorder = recorder
    }

    /// A sensor (re)connected. - Returns: its index.
    @discardableResult
    public func connect<Output: SessionOutput>(
        _ sensor: SensorDescriptor, at receiveTime: Int64, into out: inout Output
    ) -> Int {
        let wasActive = activeSensors()
        let index = pipeline.connect(sensor, at: receiveTime, into: &out)
        recordTimeouts(wasActive, at: receiveTime, except: index)
        recorder?.sensorConnected(index: index, sensor, at: receiveTime)
        return index
    }

    /// Bytes read from sensor `index` at host monotonic time `receiveTime` (ns).
    public func receive<Output: SessionOutput>(
        _ bytes: UnsafeRawBufferPointer, from index: Int, at receiveTime: Int64, into out: inout Output
    ) {
        let wasActive = activeSensors()
        recorder?.append(sensor: index, receiveTime: receiveTime, bytes: bytes)
        pipeline.receive(bytes, from: index, at: receiveTime, into: &out)
        recordTimeouts(wasActive, at: receiveTime, except: index)
    }

    /// Bytes held in an array.
    public func receive<Output: SessionOutput>(
        _ bytes: [UInt8], from index: Int, at receiveTime: Int64, into out: inout Output
    ) {
        bytes.withUnsafeBytes { receive($0, from: index, at: receiveTime, into: &out) }
    }

    /// Sensor `index` stopped delivering: its transport went away (`unplugged`, `read_error`) or it
    /// sends no samples (`stalled`).
    public func lose<Output: SessionOutput>(sensor index: Int, reason: SensorLossReason, at receiveTime: Int64, into out: inout Output) {
        let wasActive = activeSensors()
        pipeline.lose(sensor: index, reason: reason, at: receiveTime, into: &out)
        recordTimeouts(wasActive, at: receiveTime, except: index)
        if wasActive.indices.contains(index) && wasActive[index] {
            recorder?.sensorLost(index: index, reason: reason, at: receiveTime)
        }
    }

    /// Lets time pass (call a few times per second): sensors silent past the timeout are reported lost.
    public func advance<Output: SessionOutput>(to receiveTime: Int64, into out: inout Output) {
        let wasActive = activeSensors()
        pipeline.advance(to: receiveTime, into: &out)
        recordTimeouts(wasActive, at: receiveTime, except: -1)
    }

    /// The host stood still until `receiveTime` (`SessionPipeline.hostResumed`): no sensor's silence.
    public func hostResumed(at receiveTime: Int64) {
        pipeline.hostResumed(at: receiveTime)
    }

    /// Ends the session: flushes the pipeline and closes the recording.
    ///
    /// - Throws: the recording's write error, if writing failed at any point.
    @discardableResult
    public func finish<Output: SessionOutput>(into out: inout Output) throws(RecordingError) -> Recorder.Statistics? {
        pipeline.finish(into: &out)
        return try recorder?.close()
    }

    private func activeSensors() -> [Bool] {
        guard recorder != nil else { return [] }
        return pipeline.sensors.indices.map { pipeline.isActive(sensor: $0) }
    }

    /// A silence timeout the pipeline detected is written as a loss at the moment it was detected;
    /// replay re-detects it at that moment from the same receive times, with the same event.
    private func recordTimeouts(_ wasActive: [Bool], at receiveTime: Int64, except: Int) {
        guard let recorder else { return }
        for (i, was) in wasActive.enumerated() where was && i != except && !pipeline.isActive(sensor: i) {
            recorder.sensorLost(index: i, reason: .timeout, at: receiveTime)
        }
    }
}
