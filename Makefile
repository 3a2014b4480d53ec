# Lumbar developer commands. Each target installs what it needs on a fresh Debian machine with Swift.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps test demo build release bench fuzz recordings bench-replay hil

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

# The quick start: the main job on the bundled demo data: replays a recorded set (lumbar extension
# creeping in with fatigue) through the live pipeline, printing events as they happen (4x real time).
DEMO_RECORDING ?= recordings/fatigue-back-kick.lrec
DEMO_SPEED ?= 4
demo: release
	$(SWIFT) run -c release lumbar replay $(DEMO_RECORDING) --speed $(DEMO_SPEED)

# Regenerates the demo recordings (LumbarSim through the real protocol and recorder) and their expected
# events and per-rep files, which the tests compare replays with. See recordings/README.md.
DEMO_SCENARIOS := clean-back-kick fatigue-back-kick bird-dog-rotation unplugged-ankle
recordings: build
	@mkdir -p recordings/expected
	@for s in $(DEMO_SCENARIOS); do \
	  .build/debug/lumbar record --simulate $$s --output recordings/$$s.lrec --quiet && \
	  .build/debug/lumbar export recordings/$$s.lrec --events recordings/expected/$$s.events.jsonl \
	    --reps recordings/expected/$$s.reps.csv && echo "recordings/$$s.lrec" || exit 1; \
	done

# Benchmarks (release build), each printing a table.
bench: bench-replay

# Replay throughput, whole pipeline (decode, align, fuse, analyse, exports), release build: prints a table.
bench-replay: release
	Benchmarks/replay/run

# Hardware-in-the-loop: the real executable against a real kernel USB stack in a QEMU guest (emulated FTDI
# and CDC-ACM sensors). Installs QEMU and a Debian kernel when missing. `make hil SCENARIOS=devices,live`.
hil: deps
	hil/run $(SCENARIOS)
