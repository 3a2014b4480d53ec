// LumbarIO: the edge to the hardware: serial ports via termios, USB discovery and hotplug via libusb,
// pseudo-terminal sensor emulation. The only target that touches device file descriptors.
import CLibUSB
