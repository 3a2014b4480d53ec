#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LumbarProtocol

/// Asks one port for its device info (for `lumbar devices`): opens it, sends `requestDeviceInfo`,
/// waits for the answer, closes it. Streaming is not started.
public enum DeviceProbe {
    /// What a probe found.
    public enum Outcome: Sendable {
        /// The device answered.
        case answered(DeviceInfo)
        /// No device info within the timeout; says what arrived instead.
        case silent(String)
        /// The port could not be opened or used.
        case failed(DeviceError)
    }

    /// Probes `path`.
    ///
    /// - Parameters:
    ///   - timeout: how long to wait for the answer, s.
    public static func deviceInfo(path: String, settings: SerialPort.Settings = .default, timeout: Double = 1.0) -> Outcome {
        let port: SerialPort
        do { port = try SerialPort(path: path, settings: settings) } catch { return .failed(error) }
        defer { port.close() }
        var commander = SensorCommander()
        do { try commander.send([.requestDeviceInfo], to: port, leadingDelimiter: true) } catch { return .failed(error) }
        var waiter = DeviceInfoWaiter()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = HostClock.now() + timeout
        var resent = false
        while true {
            let now = HostClock.now()
            if now >= deadline { return .silent(waiter.diagnosis) }
            if !resent, now >= deadline - timeout / 2 {
                // A device busy streaming may have lost the first request in its receive buffer: ask again.
                resent = true
                try? commander.send([.requestDeviceInfo], to: port)
            }
            var entry = pollfd(fd: port.fileDescriptor, events: Int16(POLLIN), revents: 0)
            _ = system_poll(&entry, 1, Int32(max(1, (min(deadline, now + timeout / 2) - now) * 1000)))
            do {
                switch try port.read(into: &buffer) {
                case .bytes(let count):
                    if let info = waiter.feed(Array(buffer[..<count])) { return .answered(info) }
                case .wouldBlock: continue
                case .hangUp: return .failed(DeviceError.vanished(path))
                }
            } catch {
                return .failed(error)
            }
        }
    }
}
