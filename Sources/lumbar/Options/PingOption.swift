import ArgumentParser

/// `--no-ping`, for every command that opens sensor ports (`live`, `record`, `devices`): declared once so
/// each takes it with the same meaning and help.
struct PingOption: ParsableArguments {
    @Flag(
        name: .customLong("no-ping"),
        help: "Send no x-IMU3 ping ({\"ping\":null}): not to ports still unknown after the first ask (it finds an x-IMU3 that is not streaming), nor to an x-IMU3 for its serial number (it then goes by its USB serial number or port).")
    var noPing = false

    /// Whether the device session may ping (`DeviceSessionConfiguration.pingsUnidentifiedPorts`).
    var pings: Bool { !noPing }
}
