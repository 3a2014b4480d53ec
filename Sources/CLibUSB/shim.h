// The libusb-1.0 API, for LumbarIO (pkg-config libusb-1.0 adds the include path).
#include <libusb.h>
