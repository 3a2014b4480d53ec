import ArgumentParser
import LumbarCore
import LumbarDevice
import LumbarIO
import LumbarProtocol

/// `lumbar devices`: the sensors attached (USB discovery, plus any `--device` paths), each asked for
/// its device info.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "Lists the attached sensors: port, USB ids, serial number, placement, firmware, rate and ranges.",
        discussion: """
            Finds USB serial adapters whose vendor:product id is in the config's [usb] ids (default: \
            \(USBDeviceID.defaultSensorIDs.map(\.description).joined(separator: ", "))), maps each to its \
            tty node through sysfs, and asks each port for its device-info packet (placement, firmware \
            version, sample rate, ranges). Placements overridden in the config file are marked '(config)'. \
            Sensors of other families (x-IMU3, WitMotion, text lines) are told apart by the first bytes \
            they send unasked (FAMILY column); a --device PATH:FAMILY port is sent no Lumbar request. An \
            x-IMU3 is pinged for its serial number (DEVICE ID: its id in live and record) unless --no-ping.
            """
    )

    @Option(name: .customLong("device"), help: "A port to list and ask besides the USB ones, \(DeviceSpec.syntax) (repeatable).")
    var devices: [String] = []

    @OptionGroup(title: "Sensor discovery")
    var discovery: DiscoveryOptions

    @Flag(help: "Do not ask the devices for their device info.")
    var noQuery = false

    @Option(help: "How long to wait for each device's answer, in seconds.")
    var timeout: Double = 1.0

    func validate() throws {
        guard timeout > 0, timeout <= 60 else { throw ValidationError("'\(timeout)' is not a timeout between 0 and 60 seconds.") }
    }

    func run() throws {
        let configuration = try discovery.configuration()
        var rows: [[String]] = []
        var notes: [String] = []
        var usbDevices: [USBSerialDevice] = []
        do {
            let usb = try USBContext()
            usbDevices = usb.serialDevices(matching: configuration.usbIDs, sysfs: discovery.sysfsTree)
        } catch {
            notes.append(error.description)
        }
        var entries: [(path: String?, usb: USBSerialDevice?)] = usbDevices.map { ($0.port, $0) }
        let specs = try devices.map(DeviceSpec.init)
        entries += specs.map { ($0.path, nil) }
        if entries.isEmpty {
            print("No sensors found: no USB device matches \(configuration.usbIDs.map(\.description).joined(separator: ", ")). Use --device PATH for other ports.")
            for note in notes { print(note) }
            return
        }
        let probed = noQuery ? [:] : try probe(entries.compactMap(\.path), specs: specs, configuration: configuration, notes: &notes)
        for entry in entries {
            var row = [
                entry.path ?? "(no tty yet)", entry.usb.map { $0.id.description } ?? "-",
                entry.usb?.serialNumber ?? "-", entry.usb?.product ?? "-",
            ]
            guard let path = entry.path, let identity = probed[path] else {
                rows.append(row + [noQuery ? "-" : "?", "-", "-", "-", "-", "-", "-"])
                continue
            }
            guard let info = identity.deviceInfo else {
                // A sensor of another family: no device info, placement from the config or --device only.
                let placement = identity.placement == .unassigned ? "unassigned" : "\(identity.placement.rawValue) (config)"
                if entry.usb?.serialNumber == nil, let serial = identity.serialNumber { row[2] = serial }
                // DEVICE ID: the serial number an x-IMU3 reported, its session id in `live` and `record`.
                rows.append(row + [identity.family.displayName, placement, "-", "-", "-", "-", identity.serialNumber ?? "-"])
                continue
            }
            let placement = DeviceSessionConfiguration(placements: configuration.placements).placement(
                serialNumber: entry.usb?.serialNumber, deviceID: info.deviceIDString, reported: info.placement)
            row += [
                identity.family.displayName,
                placement == info.placement ? placement.rawValue : "\(placement.rawValue) (config)",
                info.firmwareVersion.description, FixedDecimal.format(info.sampleRate, decimals: 0) + " Hz",
                "±\(info.accelerometerFullScale) g", "±\(info.gyroscopeFullScale) dps", info.deviceIDString,
            ]
            rows.append(row)
        }
        print(TextTable.format(
            header: ["PORT", "USB ID", "SERIAL", "PRODUCT", "FAMILY", "PLACEMENT", "FIRMWARE", "RATE", "ACCEL", "GYRO", "DEVICE ID"],
            rows: rows))
        for note in notes { print(note) }
    }

    /// Asks every port for its device info at once (the device session in probe mode: open, ask,
    /// ask again at half the timeout, close; nothing is started) and returns who answered, by path.
    private func probe(
        _ paths: [String], specs: [DeviceSpec], configuration: SensorConfiguration, notes: inout [String]
    ) throws -> [String: SensorIdentity] {
        guard !paths.isEmpty else { return [:] }
        var probe = DeviceSessionConfiguration(
            purpose: .probe, placements: configuration.placements, timing: .probe(timeout: Int64(timeout * 1e9)))
        probe.use(configuration)
        probe.use(specs)
        probe.devices = paths
        probe.pingsUnidentifiedPorts = discovery.ping.pings
        let driver: DeviceSessionDriver
        do {
            driver = try DeviceSessionDriver(probe, settings: .init(baudRate: configuration.baudRate))
        } catch {
            throw ValidationError(error.description)
        }
        var found: [String: SensorIdentity] = [:]
        var said: [String] = []
        func handle(_ action: DeviceAction, _ bytes: UnsafeRawBufferPointer) {
            guard case .notice(let notice) = action else { return }
            switch notice {
            case .identified(_, let identity): found[identity.path] = identity
            case .notIdentified(_, let path, let why):
                said.append("\(path): no device info within \(FixedDecimal.format(timeout, decimals: 1)) s (\(why)).")
            case .openFailed(_, _, let failure): said.append(failure.message)
            case .ended(_, _, let end, _): said.append(end.message)
            default: break
            }
        }
        driver.start(at: HostClock.nanoseconds(), handle)
        while driver.session.hasOpenPorts {
            driver.poll(timeoutNanoseconds: 50_000_000, handle)
            driver.tick(at: HostClock.nanoseconds(), handle)
        }
        notes += said
        return found
    }
}
