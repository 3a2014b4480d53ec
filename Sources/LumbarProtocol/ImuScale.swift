import LumbarCore

/// The factors that turn raw samples of one device into `ImuSample`s (device time, g, deg/s).
///
/// Worked out once from a `DeviceInfo` so that converting a sample is six multiplications and one
/// division, with no allocation.
public struct ImuScale: Sendable, Hashable {
    /// g per accelerometer count.
    public var accelerometerSensitivity: Float
    /// deg/s per gyroscope count.
    public var gyroscopeSensitivity: Float
    /// Device clock frequency, Hz (ticks per second).
    public var tickFrequency: UInt32

    public init(accelerometerSensitivity: Float, gyroscopeSensitivity: Float, tickFrequency: UInt32) {
        self.accelerometerSensitivity = accelerometerSensitivity
        self.gyroscopeSensitivity = gyroscopeSensitivity
        self.tickFrequency = tickFrequency
    }

    /// Device ticks in seconds (a zero tick frequency, rejected by the decoder, gives infinities, not a trap).
    @inlinable
    public func seconds(ticks: UInt64) -> Double { Double(ticks) / Double(tickFrequency) }

    /// One raw sample in physical units, stamped `time` seconds.
    @inlinable
    public func sample(_ raw: RawImuSample, time: Double) -> ImuSample {
        ImuSample(
            time: time,
            accelerometer: Vector3(
                Float(raw.accelerometer.x) * accelerometerSensitivity,
                Float(raw.accelerometer.y) * accelerometerSensitivity,
                Float(raw.accelerometer.z) * accelerometerSensitivity
            ),
            gyroscope: Vector3(
                Float(raw.gyroscope.x) * gyroscopeSensitivity,
                Float(raw.gyroscope.y) * gyroscopeSensitivity,
                Float(raw.gyroscope.z) * gyroscopeSensitivity
            )
        )
    }
}

extension SampleBatch {
    /// Device tick of sample `index` (wrapping, never trapping, on absurd wire values).
    @inlinable
    public func ticks(ofSampleAt index: Int) -> UInt64 {
        timestamp &+ UInt64(truncatingIfNeeded: index) &* UInt64(samplePeriod)
    }

    /// Calls `body` with each sample in physical units, time in device seconds. Allocates nothing.
    ///
    /// ```swift
    /// batch.forEachSample(scale: info.scale) { sample in filter.update(with: sample) }
    /// ```
    @inlinable
    public func forEachSample(scale: ImuScale, _ body: (ImuSample) throws -> Void) rethrows {
        for index in samples.indices {
            try body(scale.sample(samples[index], time: scale.seconds(ticks: ticks(ofSampleAt: index))))
        }
    }

    /// Appends this batch's samples in physical units to a caller-owned buffer (keep it and
    /// `removeAll(keepingCapacity: true)` between batches: no allocation in steady state).
    @inlinable
    public func appendSamples(scale: ImuScale, to buffer: inout [ImuSample]) {
        forEachSample(scale: scale) { buffer.append($0) }
    }
}
