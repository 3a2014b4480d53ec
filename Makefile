# Lumbar developer commands. Each target installs what it needs on a fresh Debian machine with Swift.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: firmware-deps firmware firmware-vectors firmware-sim firmware-live firmware-test
.PHONY: referee-ximu3
.PHONY: bench-store
.PHONY: deps test consumer-check demo build release bench fuzz browser-deps browser-test dashboard-demo hil bench-protocol protocol-c bench-sim bench-fusion recordings bench-replay bench-motion bench-live bench-sound

# System packages the build needs: libusb-1.0 headers (CLibUSB), libqrencode (CQREncode: the dashboard
# URL's QR code), ALSA and espeak-ng headers with espeak-ng's voice data (CAlsa, CEspeakNG: `--sound`)
# SQLite's headers (GRDB: the session database), pkg-config, and Debian's PostgreSQL server, which the
# session database's tests and `make bench-store` start in a throwaway folder on a free port (Tests/ThrowawayPostgres).
# openssl and curl: the dashboard's TLS tests make a certificate and speak HTTPS with them.
deps:
	@{ pkg-config --exists libusb-1.0 libqrencode alsa espeak-ng sqlite3 2>/dev/null && \
	  [ -d /usr/lib/$$(gcc -print-multiarch 2>/dev/null)/espeak-ng-data ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && \
	  [ -x /usr/bin/openssl ] && [ -x /usr/bin/curl ]; } || \
	  { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libusb-1.0-0-dev libqrencode-dev pkg-config libasound2-dev libespeak-ng-dev espeak-ng-data libsqlite3-dev postgresql \
	    openssl curl; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The test command of the README and of CI.
test: deps
	$(SWIFT) test --skip 'LumbarE2ETests|LumbarFeedbackTests'
	@# The dashboard suites' servers (Hummingbird) run their handlers as Swift tasks: beside the CPU-heavy
	@# suites above, which hold the cooperative pool's threads (one per core), a loaded 2-core box left them
	@# unanswered past the test clients' 10 s receive timeout (`recv failed: errno 11`, 9 tests in one run at
	@# load 12, all passing alone). They run on their own, in a few seconds.
	$(SWIFT) test --skip-build --filter LumbarFeedbackTests
	@# The end-to-end suite plays real-time sessions through the real executable on pseudo-terminals:
	@# run it alone, so that the CPU-heavy suites above do not starve its debug-built daemons.
	$(SWIFT) test --skip-build --filter LumbarE2ETests

# Another package can use the library products: a throwaway package that depends on LumbarCore and
# LumbarProtocol (Lumbar by version, as a release would be: SwiftPM refuses `unsafeFlags` there) builds and
# runs. Bounded (CONSUMER_CHECK_SECONDS, default 600 s for the build).
consumer-check: deps
	packaging/consumer-check

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
	  .build/debug/lumbar record --simulate $$s --output recordings/$$s.lrec --overwrite --quiet && \
	  .build/debug/lumbar export recordings/$$s.lrec --events recordings/expected/$$s.events.jsonl \
	    --reps recordings/expected/$$s.reps.csv && echo "recordings/$$s.lrec" || exit 1; \
	done

# Replay throughput, whole pipeline (decode, align, fuse, analyse, exports), release build: prints a table.
bench-replay: release
	Benchmarks/replay/run

# Hardware-in-the-loop: the real executable against a real kernel USB stack in a QEMU guest (emulated FTDI
# and CDC-ACM sensors). Installs QEMU and a Debian kernel when missing. `make hil SCENARIOS=devices,live`.
hil: deps
	hil/run $(SCENARIOS)

# Wire protocol: decode throughput table (release build, one thread). Target: >= 20 million samples/s.
bench-protocol: deps
	$(SWIFT) build -c release --product ProtocolBenchmarks
	.build/release/ProtocolBenchmarks

# x-io's own x-IMU3 decoder (the `ximu3` package on PyPI, installed by the script; SKIP if it cannot be)
# as the referee of Lumbar's: both decode the emulator's ASCII and binary streams and read them as the
# device's `.ximu3` data logger files (Lumbar's replay/export reader), every sample compared.
referee-ximu3: deps
	$(SWIFT) build --product SensorFamilyTool
	timeout 600 python3 Tools/referee/ximu3_referee.py .build/debug/SensorFamilyTool

# All benchmarks (release builds, each prints a table).
bench: bench-protocol bench-sim bench-fusion bench-replay bench-motion bench-live bench-sound bench-store

# The firmware's C codec on its own, as a firmware build would compile it: C99, every warning an error.
protocol-c:
	$${CC:-cc} -std=c99 -Wall -Wextra -pedantic -Werror -O2 -Ifirmware-protocol/c/include \
	  -c firmware-protocol/c/lumbar_protocol.c -o /dev/null
	@echo "firmware-protocol/c: C99 codec compiles cleanly with -Wall -Wextra -pedantic"

# The golden vectors are exactly what their independent generator writes (needs python3).
.PHONY: protocol-vectors
protocol-vectors:
	python3 firmware-protocol/vectors/generate.py | diff -q - firmware-protocol/vectors/vectors.json
	@echo "firmware-protocol/vectors: vectors.json matches generate.py"

# Bounded libFuzzer runs (ASan), one after the other: both frame decoders (Swift and C), seeded from the
# golden vectors, then the recording reader (damage, resynchronisation, every byte accounted for), seeded
# with small recordings. Own scratch path: the instrumented build must not replace the normal release
# build. Crashes go to fuzz-artifacts/. FUZZ_SECONDS bounds the whole run (CI: 60), split in thirds
# (then the sensor-family decoders: x-IMU3, WitMotion, text lines, seeded with their emulators' output).
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -c release --scratch-path .build-fuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld -Xcc -fsanitize=fuzzer-no-link,address
fuzz: deps
	$(SWIFT) build $(FUZZ_FLAGS) --product ProtocolFuzzer
	$(SWIFT) build $(FUZZ_FLAGS) --product RecordingFuzzer
	$(SWIFT) build $(FUZZ_FLAGS) --product SensorFamilyFuzzer
	rm -rf .build-fuzz/corpus .build-fuzz/recording-corpus .build-fuzz/family-corpus && mkdir -p fuzz-artifacts
	.build-fuzz/release/ProtocolFuzzer --write-seeds firmware-protocol/vectors/vectors.json .build-fuzz/corpus
	SWIFT_BACKTRACE=enable=no .build-fuzz/release/ProtocolFuzzer -seed=1 -max_total_time=$$(( $(FUZZ_SECONDS) / 3 )) \
	  -print_final_stats=1 -artifact_prefix=fuzz-artifacts/ .build-fuzz/corpus
	.build-fuzz/release/RecordingFuzzer --write-seeds .build-fuzz/recording-corpus
	SWIFT_BACKTRACE=enable=no .build-fuzz/release/RecordingFuzzer -seed=1 -max_total_time=$$(( $(FUZZ_SECONDS) / 3 )) \
	  -print_final_stats=1 -artifact_prefix=fuzz-artifacts/ .build-fuzz/recording-corpus
	.build-fuzz/release/SensorFamilyFuzzer --write-seeds .build-fuzz/family-corpus
	SWIFT_BACKTRACE=enable=no .build-fuzz/release/SensorFamilyFuzzer -seed=1 \
	  -max_total_time=$$(( $(FUZZ_SECONDS) - 2 * ($(FUZZ_SECONDS) / 3) )) \
	  -print_final_stats=1 -artifact_prefix=fuzz-artifacts/ .build-fuzz/family-corpus

# Simulator speed (release build): a 20-minute 3-sensor 400 Hz session, batch and streamed, with a table.
bench-sim: deps
	$(SWIFT) build -c release --product SimBenchmark
	.build/release/SimBenchmark

# The dashboard in a real headless Chromium (Selenium, Debian's chromium + chromium-driver, explicit paths):
# rep count, lumbar alert, sensors, reconnect after a daemon restart, screenshot (.build/dashboard.png) and
# the lumbar_moved latency (p50/p99); then `lumbar replay recordings/fatigue-back-kick.lrec --speed 2 --http`
# drives the same page through the real pipeline, the unplugged-ankle replay must show the ankle lost and
# back, and `lumbar live` on `lumbar simulate --pty` sensors (garbage on the line, an unplug) must show
# battery, packet loss and the unplug; `lumbar live` over HTTPS with the session database shows "last time" and
# takes the person from the picker. Installs the browser and Selenium when missing.
browser-deps:
	@[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || { $(SUDO) apt-get update -qq && \
	  $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
	@python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium

browser-test: deps browser-deps
	$(SWIFT) build --product DashboardDemo
	$(SWIFT) build --product lumbar
	python3 Tests/Browser/dashboard_test.py --demo .build/debug/DashboardDemo --lumbar .build/debug/lumbar \
	  --replay recordings/fatigue-back-kick.lrec:2 --unplugged recordings/unplugged-ankle.lrec:2 --ankle-only --live --token --clinic \
	  --screenshot .build/dashboard.png

# The dashboard without sensors: a scripted session on http://127.0.0.1:8080/.
dashboard-demo: deps
	$(SWIFT) run DashboardDemo --http 127.0.0.1:8080

# Orientation filter (release build): ns and allocations per update, then BROAD inclination RMSE of
# `lumbar fuse` next to VQF and x-io Fusion (pip packages vqf, imufusion) on the six shared trials.
# BROAD data: $$LUMBAR_BROAD_DIR or ../shared/datasets/broad.
bench-fusion: deps
	$(SWIFT) build -c release --product lumbar-fusion-bench
	$(SWIFT) build -c release --product lumbar
	.build/release/lumbar-fusion-bench speed
	@python3 -c "import numpy, vqf, imufusion" 2>/dev/null || python3 -m pip install -q numpy vqf==2.1.2 imufusion==1.3.3
	python3 Benchmarks/fusion/broad.py --lumbar .build/release/lumbar

# lumbar live on pseudo-terminals: latency (p50/p90/p99/max) from the frame that completes a lumbar
# crossing to the lumbar_moved line, and the daemon's CPU share and RSS while three 400 Hz sensors stream,
# once per mode in BENCH_LIVE_MODES (normal = default scheduling, realtime = `live --realtime`), with the
# load average. Takes BENCH_LIVE_SECONDS (default 600) per mode: not part of CI. Short run: BENCH_LIVE_SECONDS=60.
BENCH_LIVE_SECONDS ?= 600
BENCH_LIVE_MODES ?= normal,realtime
bench-live: deps
	$(SWIFT) build -c release --product lumbar
	$(SWIFT) build -c release --product lumbar-live-bench
	.build/release/lumbar-live-bench --executable .build/release/lumbar --seconds $(BENCH_LIVE_SECONDS) --modes $(BENCH_LIVE_MODES)

# The session database's cost (release build): per stored rep (hand-off on the session's thread, writer
# time per rep one at a time and as a backlog, bytes per rep) on SQLite and on a throwaway PostgreSQL server,
# then lumbar_moved latency of `lumbar live` with --no-store, SQLite and PostgreSQL, BENCH_STORE_SECONDS each.
BENCH_STORE_SECONDS ?= 120
bench-store: deps
	$(SWIFT) build -c release --product lumbar
	$(SWIFT) build -c release --product lumbar-live-bench
	$(SWIFT) build -c release --product lumbar-store-bench
	.build/release/lumbar-store-bench --live-seconds $(BENCH_STORE_SECONDS)

# Motion analysis scored on three sources side by side (release build): real people (UCI subject 1 at
# ../shared/datasets/real/uci-pt), the randomised simulator split into TUNE seeds 0-59 and REPORT seeds
# 1000-1059, and the classic suite (every exercise x MOTION_SEEDS seeds, even seeds with every nuisance).
# Rows: rep P/R, exact count per set, leg, lumbar_moved P/R/F1, direction, alert latency, too_fast,
# alerts outside reps and on clean reps, non-reps, rep_rejected by reason.
# Tune split only (and the real data): make bench-motion ARGS=--tune; misses of TUNE: ARGS="--tune --misses".
MOTION_SEEDS ?= 6
ARGS ?=
bench-motion: deps
	$(SWIFT) build -c release --product MotionBench
	.build/release/MotionBench --seeds $(MOTION_SEEDS) $(ARGS)

# The reference codec on real microcontrollers (issue 16, firmware-protocol/examples/): Debian's AVR and
# Arm bare-metal toolchains, QEMU's AVR and Arm machines and simavr (cycle-accurate AVR), when missing.
firmware-deps:
	@command -v avr-gcc >/dev/null && [ -f /usr/lib/avr/include/avr/io.h ] && command -v arm-none-eabi-gcc >/dev/null && \
	  [ -d /usr/lib/arm-none-eabi/newlib ] && command -v qemu-system-avr >/dev/null && \
	  command -v qemu-system-arm >/dev/null && command -v simavr >/dev/null && command -v python3 >/dev/null && \
	  [ -f /usr/include/simavr/sim_avr.h ] || { \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc-avr avr-libc \
	    binutils-avr gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-misc qemu-system-arm simavr libsimavr-dev \
	    python3; }

# Builds every firmware image and prints their flash and RAM use (avr-size / arm-none-eabi-size).
firmware: firmware-deps
	$(MAKE) -C firmware-protocol/examples all sizes

# The golden vectors on an 8-bit AVR and a Cortex-M0 in emulators, with the codec's cycles per batch.
firmware-vectors: firmware-deps
	$(MAKE) -C firmware-protocol/examples vectors
	@# 77: no emulator can start on this machine; run_vectors.py has said so (SKIPPED) and why.
	firmware-protocol/examples/run_vectors.py .build-firmware || [ $$? = 77 ]

# The sensor firmware (motion-generator build) in QEMU's arduino-uno, end to end: its frames checked by an
# independent decoder, then `lumbar live` on two instances (lumbar, ankle) must report both sensors, the
# reps and the arching rep's lumbar_moved. 77 = qemu-system-avr cannot start here (said as SKIPPED).
firmware-live: firmware-deps build
	$(MAKE) -C firmware-protocol/examples sensors
	firmware-protocol/examples/e2e_live.py .build-firmware --lumbar .build/debug/lumbar || [ $$? = 77 ]

# The MPU-6050 build with the peripherals QEMU lacks, in simavr (cycle-accurate ATmega328P): an emulated
# MPU-6050 on I2C, a battery on A0, the identity in EEPROM (and blank EEPROM: the build's placement); every
# frame decoded by the reference decoder, every sample and its timestamp checked against the emulated chip.
# Each run is 3.5 s of simulated time, bounded in real time.
firmware-sim: firmware-deps
	$(MAKE) -C firmware-protocol/examples sim
	timeout -k 5 120 .build-firmware/uno-sim .build-firmware/sensor-mpu6050-lumbar.elf
	timeout -k 5 120 .build-firmware/uno-sim .build-firmware/sensor-mpu6050-lumbar.elf --blank-eeprom

firmware-test: firmware-vectors firmware-sim firmware-live
# Sound (`--sound`, release build): per lumbar_moved of a replayed session (fatigue-back-kick, 5x at 4x real
# time), ms from the event's emission to ALSA taking the cue's first frame, p50/p99/max, next to the
# dashboard's emission -> SSE writer; states the ALSA period and buffer. SOUND_DEVICE: an ALSA PCM
# ('null' where there is no sound card, e.g. CI; 'default' or 'plughw:1,0' on a machine with a speaker).
SOUND_DEVICE ?= null
bench-sound: deps
	$(SWIFT) build -c release --product SoundBench
	.build/release/SoundBench recordings/fatigue-back-kick.lrec --speed 4 --repeat 5 --device $(SOUND_DEVICE)
