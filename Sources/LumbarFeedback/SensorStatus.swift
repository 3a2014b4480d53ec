import LumbarCore

/// One sensor's link as the dashboard shows it: is it there, is it keeping up, is its battery fine.
public struct SensorStatus: Sendable, Hashable {
    /// The sensor's name as in the events (`sensor_connected.sensor`), e.g. its serial number.
    public var sensor: String
    public var placement: SensorPlacement
    /// True while samples arrive.
    public var connected: Bool
    /// Why the sensor was lost (`sensor_lost.reason`: `unplugged`, `timeout`, …); nil while connected.
    public var lostReason: String?
    /// Samples received per second over the last second or so, Hz.
    public var rateHz: Float
    /// Share of samples lost on the way (sequence gaps, from dropped or damaged frames) over the last
    /// second or so, percent 0...100.
    public var packetLossPercent: Float
    /// Battery charge, percent 0...100; nil until the sensor reports it (status packet, about once a second).
    public var batteryPercent: Float?
    /// Battery voltage, millivolts; nil when unknown.
    public var batteryMillivolts: Int?
    /// IMU die temperature, degrees Celsius; nil when unknown.
    public var temperatureCelsius: Float?
    /// Faults the sensor reports in its latest status, as words (`DeviceFault`), in bit order; empty when none.
    public var deviceFaults: [DeviceFault]
    /// Samples the sensor produced but could not send since power-up (its FIFO or transmit buffer
    /// overflowed), as its latest status says; nil until a status arrives.
    public var deviceDroppedSamples: UInt32?

    public init(
        sensor: String, placement: SensorPlacement, connected: Bool, rateHz: Float, packetLossPercent: Float,
        batteryPercent: Float?, batteryMillivolts: Int? = nil, temperatureCelsius: Float? = nil,
        deviceFaults: [DeviceFault] = [], deviceDroppedSamples: UInt32? = nil, lostReason: String? = nil
    ) {
        self.sensor = sensor
        self.placement = placement
        self.connected = connected
        self.rateHz = rateHz
        self.packetLossPercent = packetLossPercent
        self.batteryPercent = batteryPercent
        self.batteryMillivolts = batteryMillivolts
        self.temperatureCelsius = temperatureCelsius
        self.deviceFaults = deviceFaults
        self.deviceDroppedSamples = deviceDroppedSamples
        self.lostReason = lostReason
    }
}
