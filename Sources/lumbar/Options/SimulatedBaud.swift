import LumbarCore
import LumbarProtocol
import LumbarSim

/// `simulate --baud [PLACEMENT=]BAUD[:power-cycle]`: a WitMotion played behind a UART at BAUD bit/s (a factory
/// WT901C: 9600): it sends no more than the line carries, honours the BAUD command, and is garbage to a host
/// at another speed. `:power-cycle`: a model that takes a new baud only after a power cycle. No PLACEMENT:
/// every WitMotion.
struct SimulatedBaud: ArgumentValue {
    var placements: [SensorPlacement]
    var uart: WitMotionDeviceEmulation.UART

    static func parse(_ text: String) throws(ArgumentValueError) -> SimulatedBaud {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false)
        let placements = parts.count == 2 ? PlacementValue.placements(parts[0]) : [.lumbar, .leftAnkle, .rightAnkle]
        let value = parts[parts.count - 1].split(separator: ":", omittingEmptySubsequences: false)
        let known = WitMotionBaud.speeds.map { String($0.bitsPerSecond) }.joined(separator: ", ")
        guard parts.count <= 2, let placements, (1...2).contains(value.count), let speed = Int(value[0]),
            WitMotionBaud.code(bitsPerSecond: speed) != nil,
            let applies = value.count == 2 ? WitMotionDeviceEmulation.UART.Applies(rawValue: String(value[1])) : .atOnce
        else {
            throw ArgumentValueError("expected [PLACEMENT=]BAUD[:power-cycle] with BAUD one of \(known), e.g. ankle=9600")
        }
        return SimulatedBaud(placements: placements, uart: .init(bitsPerSecond: speed, applies: applies))
    }
}
