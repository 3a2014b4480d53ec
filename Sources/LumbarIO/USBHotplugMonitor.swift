import CLibUSB
import Synchronization
import LumbarThreads

/// Calls back when a USB device with one of the watched ids is plugged in or unplugged, through
/// libusb hotplug callbacks pumped on a dedicated thread.
///
/// Only available when `USBContext.supportsHotplug`; otherwise `init` returns nil and the caller polls.
/// The callback runs on the pump thread and must not block. A plug-in is reported as soon as the USB
/// device appears, which can be before its driver created the tty node: re-enumerate a little later too.
public final class USBHotplugMonitor: Sendable {
    /// What happened.
    public enum Change: Sendable, Hashable {
        case arrived(USBDeviceID)
        case left(USBDeviceID)
    }

    /// What the C callback needs: the ids to filter on and where to send changes.
    private final class Listener: Sendable {
        let ids: [USBDeviceID]
        let onChange: @Sendable (Change) -> Void
        init(ids: [USBDeviceID], onChange: @escaping @Sendable (Change) -> Void) {
            self.ids = ids
            self.onChange = onChange
        }
    }

    private let usb: USBContext
    private let listener: Listener
    private let callbackHandle: Int32
    private let running: RunFlag
    private let pump: Mutex<OSThread?>

    /// Registers for plug and unplug of devices with `ids`; nil when libusb cannot do hotplug here.
    public init?(usb: USBContext, ids: [USBDeviceID], onChange: @escaping @Sendable (Change) -> Void) {
        guard usb.supportsHotplug else { return nil }
        self.usb = usb
        listener = Listener(ids: ids, onChange: onChange)
        let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
        var handle: libusb_hotplug_callback_handle = 0
        let status = libusb_hotplug_register_callback(
            usb.context, events, 0, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            { _, device, event, userData in
                guard let device, let userData else { return 0 }
                let listener = Unmanaged<Listener>.fromOpaque(userData).takeUnretainedValue()
                var descriptor = libusb_device_descriptor()
                guard libusb_get_device_descriptor(device, &descriptor) == 0 else { return 0 }
                let id = USBDeviceID(vendor: descriptor.idVendor, product: descriptor.idProduct)
                guard listener.ids.contains(id) else { return 0 }
                listener.onChange(event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? .arrived(id) : .left(id))
                return 0
            },
            Unmanaged.passUnretained(listener).toOpaque(), &handle)
        guard status == 0 else { return nil }
        callbackHandle = handle
        let running = RunFlag()
        self.running = running
        pump = Mutex(nil)
        let thread = OSThread(name: "lumbar-usb") {
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            while running.isSet {
                _ = libusb_handle_events_timeout_completed(usb.context, &timeout, nil)
            }
        }
        pump.withLock { $0 = thread }
    }

    /// Stops the pump thread and deregisters the callback. Idempotent.
    public func stop() {
        guard running.clear() else { return }
        pump.withLock { $0 }?.join()
        libusb_hotplug_deregister_callback(usb.context, callbackHandle)
    }

    deinit { stop() }
}

/// A flag a loop on another thread checks to know when to stop.
final class RunFlag: Sendable {
    private let value = Atomic(true)
    /// True until `clear()`.
    var isSet: Bool { value.load(ordering: .acquiring) }
    /// Clears the flag; true when it was set (the first call).
    func clear() -> Bool { value.exchange(false, ordering: .acquiringAndReleasing) }
}
