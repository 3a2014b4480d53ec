import LumbarCore

/// One sensor's link as the dashboard shows it: is it there, is it keeping up, is its battery fine.
public struct SensorStatus: Sendable, Hashable {
    /// The sensor's name as in the events (`sensor_connected.sensor`), e.g. its serial number.
    public var sensor: String
    public var placement: SensorPlacement
    /// True while samples arrive.
    public var connected: Bool
    /// Samples received per second over the last second or so, Hz.
    public var rateHz: Float
    /// Share of packets lost (sequence gaps and bad frames) over the recent window, percent 0...100.
    public var packetLossPercent: Float
    /// Battery charge, percent 0...100; nil when the sensor does not report it.
    public var batteryPercent: Float?

    public init(
        sensor: String, placement: SensorPlacement, connected: Bool, rateHz: Float, packetLossPercent: Float,
        batteryPercent: Float?
    ) {
        self.sensor = sensor
        self.placement = placement
        self.connected = connected
        self.rateHz = rateHz
        self.packetLossPercent = packetLossPercent
        self.batteryPercent = batteryPercent
    }
}
