# Lumbar developer commands. Each target installs what it needs on a fresh Debian machine with Swift.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps test demo build release bench fuzz hil

# System packages the build needs: libusb-1.0 headers and pkg-config (for the CLibUSB module).
deps:
	@pkg-config --exists libusb-1.0 2>/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libusb-1.0-0-dev pkg-config; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The test command of the README and of CI.
test: deps
	$(SWIFT) test

# The quick start: the main job on the bundled demo data.
demo: release
	$(SWIFT) run -c release lumbar --help

# Hardware-in-the-loop: the real executable against a real kernel USB stack in a QEMU guest (emulated FTDI
# and CDC-ACM sensors). Installs QEMU and a Debian kernel when missing. `make hil SCENARIOS=devices,live`.
hil: deps
	hil/run $(SCENARIOS)
