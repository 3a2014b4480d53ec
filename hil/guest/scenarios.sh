# Scenarios of the hardware-in-the-loop run, sourced by /init. Each `scenario_NAME` returns 0 for PASS;
# `run_all` times them and prints `HIL-RESULT NAME PASS|FAIL SECONDS reason` on the console.
# Sensors the host can plug (see hil/sensors): lumbar (FTDI, serial LUMBAR-L1), ankle (FTDI, ANKLE-R1),
# babbler (FTDI, BABBLE-X1: random bytes, never a frame), uart (the ankle's FTDI with its UART side wired
# to this guest's ttyS2). The CDC-ACM sensor is made here with g_serial.
HIL_SCENARIOS="usb_bus devices live unplug_replug hotplug acm_and_ftdi garbage permission families"
# What the emulated sensors report (hil/sensors passes the same to `lumbar simulate`).
HIL_FIRMWARE=${HIL_FIRMWARE:-1.0.0}
HIL_SIM_OPTIONS=${HIL_SIM_OPTIONS:-}

# --- plumbing -------------------------------------------------------------------------------------------
# Every wait here is bounded by wall-clock time (the guest's /proc/uptime, monotonic), never by a count of
# tries: under software emulation on a loaded host one try can take seconds, so N tries is no bound at all.
# Each wait names itself as the scenario's current step (`step`): when it gives up, the scenario's
# result line says which step of which scenario was waiting and for how long, and the run's watchdog
# (`run_all`) says the same when a whole scenario overruns HIL_SCENARIO_SECONDS.

# Upper bound of one scenario, seconds (each takes 10-60 s when it passes; see hil/README.md).
HIL_SCENARIO_SECONDS=${HIL_SCENARIO_SECONDS:-120}

log() { echo "$*" >> "$LOG"; }
fail() { log "FAIL: $*"; return 1; }
# What a passing scenario measured: the last note goes on its HIL-RESULT line.
note() { log "NOTE: $*"; }

# NOW = seconds since boot, in tenths (an integer: busybox sh has integer arithmetic only). No fork.
clock() {
    read -r up _ < /proc/uptime
    frac=${up#*.}
    NOW=$(( ${up%.*} * 10 + ${frac%?} ))
}
# Tenths of a second as "12.3".
tenths() { echo "$(($1 / 10)).$(($1 % 10))"; }

# Names what the running scenario is waiting for now: in its log, on the console (the host's
# watchdog shows the last one if the guest itself stops), and in /tmp/step (for run_all's watchdog:
# the scenario runs in a subshell).
step() {
    clock
    echo "$NOW $*" > /tmp/step
    echo "HIL-STEP $SCENARIO: $*"
    log "step: $*"
}
# Records that the current step gave up (the first give-up goes on the scenario's FAIL line).
gave_up() {  # SINCE-TENTHS WHAT
    clock
    log "GAVE-UP: waited $(tenths $((NOW - $1))) s for: $2"
}

# Asks the host to do something ("plug lumbar", "unplug ankle"); succeeds when it answers "ok".
# Requests are numbered and the answer must carry the same number: an answer that comes after its
# request gave up (or after its scenario was stopped) is skipped instead of answering the next one.
host() {
    seq=$(( $(cat /tmp/host.seq 2>/dev/null || echo 0) + 1 ))
    echo "$seq" > /tmp/host.seq
    step "host $*"
    since=$NOW limit=$((NOW + 600))
    echo "#$seq $*" >&3
    reply=
    while :; do
        line=
        IFS= read -r -t 5 line <&3
        case "$line" in
            "#$seq "*) reply=${line#"#$seq "}; break ;;
            ?*) log "host: skipped a late answer: $line" ;;
        esac
        clock
        [ "$NOW" -lt "$limit" ] || { gave_up "$since" "host $*"; break; }
    done
    log "host $*: ${reply:-no answer}"
    case "$reply" in ok*) return 0 ;; esac
    return 1
}

# Retries a command every 0.2 s until it succeeds, for up to SECONDS of wall-clock time.
wait_for() {  # SECONDS COMMAND...
    seconds=$1; shift
    step "wait_for $seconds s: $*"
    since=$NOW limit=$((NOW + seconds * 10))
    while ! "$@" >/dev/null 2>&1; do
        clock
        [ "$NOW" -lt "$limit" ] || { gave_up "$since" "$*"; return 1; }
        usleep 200000
    done
}

# The tty node (ttyUSB0, ttyACM0) of the USB device whose serial-number string is SERIAL.
tty_of_serial() {
    for dev in /sys/bus/usb/devices/*; do
        [ "$(cat "$dev/serial" 2>/dev/null)" = "$1" ] || continue
        for tty in "$dev"/*/tty[A-Z]* "$dev"/*/tty/tty[A-Z]*; do
            [ -e "$tty" ] && { basename "$tty"; return 0; }
        done
    done
    return 1
}
has_tty() { tty_of_serial "$1" >/dev/null && [ -c "/dev/$(tty_of_serial "$1")" ]; }
gone() { ! tty_of_serial "$1" >/dev/null; }

# Starts a background command for the running scenario; run_all stops it afterwards.
background() {
    "$@" &
    echo $! >> /tmp/scenario.pids
}

# Waits up to SECONDS for a line matching the extended regex in FILE.
wait_line() { wait_for "$1" grep -Eq "$3" "$2"; }
count_lines() { grep -Ec "$2" "$1" 2>/dev/null || true; }

# The CDC-ACM sensor: g_serial on dummy_hcd, with a chosen vendor/product id and serial number.
# Default: Lumbar's own firmware (pid.codes 1209:4c42, product Lumbar-IMU).
plug_acm() {  # SERIAL [PRODUCT MANUFACTURER VID PID]
    modprobe_args="use_acm=1 n_ports=1 idVendor=${4:-${HIL_ACM_VID:-0x1209}} idProduct=${5:-${HIL_ACM_PID:-0x4c42}} iSerialNumber=$1 iProduct=${2:-Lumbar-IMU}${3:+ iManufacturer=$3}"
    insmod "$(grep '/g_serial.ko' /etc/hil/modules)" $modprobe_args
}
unplug_acm() { rmmod g_serial 2>/dev/null; true; }

# PID and every process below it (children first listed last), from /proc.
descendants() {  # PID
    for stat in /proc/[0-9]*/stat; do
        read -r pid _ _ ppid _ < "$stat" 2>/dev/null || continue
        [ "$ppid" = "$1" ] && descendants "$pid"
    done
    echo "$1"
}
kill_tree() {  # SIGNAL PID
    for pid in $(descendants "$2"); do kill "-$1" "$pid" 2>/dev/null; done
}

cleanup() {
    SCENARIO="$SCENARIO cleanup"
    [ -f /tmp/scenario.pids ] && for pid in $(cat /tmp/scenario.pids); do kill "$pid" 2>/dev/null; done
    sleep 1
    [ -f /tmp/scenario.pids ] && for pid in $(cat /tmp/scenario.pids); do kill -9 "$pid" 2>/dev/null; done
    rm -f /tmp/scenario.pids
    unplug_acm
    host unplug all >/dev/null
    wait_for 20 gone LUMBAR-L1; wait_for 20 gone ANKLE-R1; wait_for 20 gone BABBLE-X1
}

# Runs scenario NAME in a subshell, stopped (with every process it started) once it has run for
# HIL_SCENARIO_SECONDS; returns its status (124 when stopped).
run_bounded() {  # NAME
    : > /tmp/step
    (cd /tmp && "scenario_$1") &
    pid=$!
    clock
    limit=$((NOW + HIL_SCENARIO_SECONDS * 10))
    while kill -0 "$pid" 2>/dev/null; do
        clock
        if [ "$NOW" -ge "$limit" ]; then
            read -r since what < /tmp/step
            log "FAIL: stopped after ${HIL_SCENARIO_SECONDS} s (the scenario's limit), waiting $(tenths $((NOW - since))) s for: $what"
            guest_load
            kill_tree KILL "$pid"
            wait "$pid" 2>/dev/null
            return 124
        fi
        usleep 200000
    done
    wait "$pid"
}

run_all() {  # [comma-separated scenario names]
    passed=0 failed=0
    for name in $HIL_SCENARIOS; do
        if [ -n "$1" ]; then case ",$1," in *",$name,"*) ;; *) continue ;; esac; fi
        LOG=/tmp/$name.log; : > "$LOG"
        SCENARIO=$name
        echo "HIL-START $name"
        clock; start=$NOW
        if run_bounded "$name"; then status=PASS; passed=$((passed + 1))
        else status=FAIL; failed=$((failed + 1)); fi
        clock
        seconds=$(tenths $((NOW - start)))
        if [ "$status" = PASS ]; then reason=$(grep '^NOTE: ' "$LOG" | tail -1 | cut -c7-)
        else
            reason=$(grep '^FAIL: ' "$LOG" | head -1 | cut -c7-)
            waited=$(grep '^GAVE-UP: ' "$LOG" | head -1 | cut -c10-)
            [ -z "$waited" ] || case "$reason" in *"$waited"*) ;; *) reason="$reason ($waited)" ;; esac
        fi
        echo "HIL-RESULT $name $status ${seconds}s${reason:+ $reason}"
        [ "$status" = PASS ] || sed 's/^/  | /' "$LOG" | tail -60
        cleanup
    done
    echo "HIL-DONE passed=$passed failed=$failed"
    [ "$failed" = 0 ]
}

# --- scenarios -----------------------------------------------------------------------------------------

# The emulated bus itself (a check of the harness, not of Lumbar): both FTDI sensors appear with
# their serial numbers and tty nodes, udevd announces them (what libusb's hotplug listens to), the
# CDC-ACM gadget appears, and a sensor goes away when the host unplugs it.
scenario_usb_bus() {
    pidof systemd-udevd >/dev/null || { cat /tmp/udevd.log >> "$LOG"; fail "systemd-udevd is not running"; return 1; }
    background udevadm monitor --udev --subsystem-match=usb > /tmp/udev-monitor.out 2>&1
    host plug lumbar || fail "host could not plug lumbar" || return 1
    host plug ankle || fail "host could not plug ankle" || return 1
    wait_for 30 has_tty LUMBAR-L1 || fail "no tty for LUMBAR-L1" || return 1
    wait_for 30 has_tty ANKLE-R1 || fail "no tty for ANKLE-R1" || return 1
    note "LUMBAR-L1 -> $(tty_of_serial LUMBAR-L1), ANKLE-R1 -> $(tty_of_serial ANKLE-R1)"
    wait_for 10 grep -q 'add .*(usb)' /tmp/udev-monitor.out || { cat /tmp/udev-monitor.out >> "$LOG"; fail "udevd announced no USB add event"; return 1; }
    plug_acm ACM-T1 || fail "g_serial did not load" || return 1
    wait_for 30 has_tty ACM-T1 || fail "no tty for ACM-T1" || return 1
    note "LUMBAR-L1 -> $(tty_of_serial LUMBAR-L1), ANKLE-R1 -> $(tty_of_serial ANKLE-R1), ACM-T1 -> $(tty_of_serial ACM-T1)"
    echo "LUMBAR-L1 -> $(tty_of_serial LUMBAR-L1), ANKLE-R1 -> $(tty_of_serial ANKLE-R1), ACM-T1 -> $(tty_of_serial ACM-T1)" > /tmp/usb_bus.note
    host unplug ankle || return 1
    wait_for 30 gone ANKLE-R1 || fail "ANKLE-R1 still present after unplug" || return 1
    host_takes_what_the_guest_writes
}

# A device's host end must take whatever the guest writes to it: QEMU's usb-serial writes the guest's
# bytes with qemu_chr_fe_write_all(), holding QEMU's big lock until its socket takes them, so an end that
# never reads stops the whole guest once ~210 kB of socket buffer are full (the `garbage` hang of issue
# 13, hil/README.md). The babbler is the device that never answers: its tty is held open here in the
# kernel's default mode for a fresh device (echo on, as every program's tty is between its open() and
# its tcsetattr()), so the kernel echoes every byte of babble back to it, 5 s at ~10 kB/s; with a host
# end that did not read, the guest stopped within seconds (the HIL-ALIVE heartbeat ceased).
host_takes_what_the_guest_writes() {
    host plug babbler && wait_for 30 has_tty BABBLE-X1 || fail "babbler did not appear" || return 1
    node=/dev/$(tty_of_serial BABBLE-X1)
    modes=$(stty -F "$node" -a 2>&1 | grep -o -E '(^| )-?(icanon|echo)( |$)' | tr -d '\n')
    background sh -c "exec cat $node > /tmp/babble.in"
    sleep 5
    kill "$(tail -1 /tmp/scenario.pids)"
    received=$(wc -c < /tmp/babble.in)
    [ "$received" -gt 0 ] || fail "nothing received from the babbler on $node" || return 1
    note "$(cat /tmp/usb_bus.note 2>/dev/null); the babbler's $node held open in its default mode ($modes) 5 s: $received bytes in, echoed to the host, guest running"
}

# --- scenarios of the product: the real `lumbar` against the guest's kernel USB stack --------------------

EVENTS=/tmp/events.jsonl

# Starts `lumbar live` with no --device (discovery by USB id through libusb), events to $EVENTS.
start_live() {
    : > "$EVENTS"
    background lumbar live --events "$EVENTS" "$@" > /tmp/live.out 2>&1
    LIVE=$(tail -1 /tmp/scenario.pids)
    log "started: lumbar live --events $EVENTS $*"
}
live_running() { kill -0 "$LIVE" 2>/dev/null; }
# True once FILE has a line matching REGEX, or once the daemon has exited (nothing more will come).
running_until_line() { grep -Eq "$2" "$1" || ! live_running; }
events() { count_lines "$EVENTS" "\"type\":\"$1\"${2:+.*$2}"; }
# Waits up to SECONDS (wall clock) until there are at least N events of TYPE (optionally also
# matching REGEX); gives up at once when the daemon has exited.
wait_events() {  # SECONDS N TYPE [REGEX]
    step "wait_events $1 s: $2 $3${4:+ matching $4}"
    since=$NOW limit=$((NOW + $1 * 10))
    while [ "$(events "$3" "${4:-}")" -lt "$2" ]; do
        live_running || { log "lumbar live has exited"; gave_up "$since" "$2 $3 events (lumbar live exited)"; return 1; }
        clock
        [ "$NOW" -lt "$limit" ] || { gave_up "$since" "$2 $3 events${4:+ matching $4} (got $(events "$3" "${4:-}"))"; return 1; }
        usleep 200000
    done
}
# How busy the guest is, for a log that explains a slow wait: load, and the CPU seconds the daemon used.
guest_load() {
    log "--- guest load: $(cat /proc/loadavg), up $(cut -d' ' -f1 /proc/uptime) s"
    if [ -n "${LIVE:-}" ] && [ -r "/proc/$LIVE/stat" ]; then
        # Fields 14 and 15 of /proc/PID/stat: user and system time, in clock ticks (100 per second).
        log "--- lumbar live CPU: $(awk '{ printf "%.1f s user, %.1f s system", $14 / 100, $15 / 100 }' "/proc/$LIVE/stat")"
    fi
    top -b -n 1 2>/dev/null | head -12 >> "$LOG"
}
# CPU seconds `lumbar live` has used so far (user + system), for the notes.
daemon_cpu() { awk '{ printf "%.1f s", ($14 + $15) / 100 }' "/proc/$LIVE/stat" 2>/dev/null; }
# What the daemon saw of the host (`--log-level debug`): USB scans, stretches in which every port or every
# sensor port gave no byte, polls that came back late. Times: the guest's uptime, s.
host_observations() { grep -E 'USB scan:|No byte from|poll returned' /tmp/live.out 2>/dev/null; }
live_failed() {  # what went wrong, with the daemon's output for the log
    guest_load
    if [ -n "$(host_observations)" ]; then log "--- what the daemon saw of the host:"; host_observations | tail -40 >> "$LOG"; fi
    host_observations | sed "s/^/HIL-OBSERVED $SCENARIO: /"
    log "--- lumbar live output:"; grep -v -E 'USB scan:|No byte from|poll returned|DEBUG' /tmp/live.out | tail -20 >> "$LOG"
    log "--- events:"; tail -20 "$EVENTS" >> "$LOG"
    fail "$*"
}

# Plugs the lumbar and ankle sensors, playing one simulated session (SIMULATE-OPTIONS for it).
plug_both() {
    host plug lumbar,ankle $HIL_SIM_OPTIONS "$@" || fail "the host could not plug the sensors" || return 1
    wait_for 30 has_tty LUMBAR-L1 && wait_for 30 has_tty ANKLE-R1 || fail "the sensors' tty nodes did not appear"
}

# `lumbar devices` lists both sensors: USB ids, serial number, tty node, and from their device-info
# packets the placement and the firmware version.
scenario_devices() {
    plug_both || return 1
    lumbar devices --timeout 5 > /tmp/devices.out 2>&1 || { cat /tmp/devices.out >> "$LOG"; fail "lumbar devices exited with $?"; return 1; }
    cat /tmp/devices.out >> "$LOG"
    for sensor in "LUMBAR-L1 lumbar" "ANKLE-R1 right_ankle"; do
        set -- $sensor
        line=$(grep "$1" /tmp/devices.out) || fail "$1 not listed" || return 1
        node=/dev/$(tty_of_serial "$1")
        for want in 0403:6001 "$node" "$2" "$HIL_FIRMWARE"; do
            case "$line" in *"$want"*) ;; *) fail "$1: '$want' missing from: $line"; return 1 ;; esac
        done
    done
    note "both listed with 0403:6001, serial, tty node, placement and firmware $HIL_FIRMWARE"
}

# `lumbar live` with no --device finds both sensors, calibrates and reports reps and lumbar alerts.
scenario_live() {
    plug_both || return 1
    start_live
    wait_events 60 2 sensor_connected || live_failed "not both sensors connected" || return 1
    wait_events 60 1 calibrated || live_failed "never calibrated" || return 1
    wait_events 120 3 rep_completed || live_failed "fewer than 3 reps completed" || return 1
    wait_events 60 1 lumbar_moved || live_failed "no lumbar alert" || return 1
    note "$(events rep_completed) reps, $(events lumbar_moved) lumbar alerts; daemon CPU $(daemon_cpu), load $(cut -d' ' -f1 /proc/loadavg)"
    live_running || live_failed "the daemon exited"
}

# Unplug the ankle mid-set (the host closes its socket): sensor_lost, the daemon keeps running; plug it
# back: recognised by its serial number, sensor_connected, reps go on. Nothing from before is lost: the
# events reported before the unplug stay as they were, and after a graceful stop (SIGINT) the recording
# replays with at least the reps reported before the unplug.
scenario_unplug_replug() {
    # Two sessions, one per sensor, so that the host can close the ankle's socket alone.
    host plug lumbar $HIL_SIM_OPTIONS && host plug ankle $HIL_SIM_OPTIONS || fail "the host could not plug the sensors" || return 1
    wait_for 30 has_tty LUMBAR-L1 && wait_for 30 has_tty ANKLE-R1 || fail "the sensors' tty nodes did not appear" || return 1
    start_live --record /tmp/session.rec --overwrite
    wait_events 60 2 sensor_connected || live_failed "not both sensors connected" || return 1
    wait_events 120 1 rep_completed || live_failed "no rep before the unplug" || return 1
    before=$(events rep_completed)
    cp "$EVENTS" /tmp/before-unplug.jsonl
    host unplug ankle || return 1
    wait_events 30 1 sensor_lost ANKLE-R1 || live_failed "no sensor_lost for ANKLE-R1" || return 1
    sleep 3
    live_running || live_failed "the daemon exited after the unplug" || return 1
    [ "$(events sensor_lost LUMBAR-L1)" = 0 ] || live_failed "the lumbar sensor was lost too" || return 1
    host plug ankle $HIL_SIM_OPTIONS || return 1
    wait_events 60 2 sensor_connected ANKLE-R1 || live_failed "ANKLE-R1 not recognised again" || return 1
    wait_events 120 $((before + 1)) rep_completed || live_failed "no rep after the replug" || return 1
    head -c "$(wc -c < /tmp/before-unplug.jsonl)" "$EVENTS" | cmp -s - /tmp/before-unplug.jsonl \
        || live_failed "events reported before the unplug changed" || return 1
    after=$(events rep_completed)
    kill -INT "$LIVE"
    wait_for 30 sh -c "! kill -0 $LIVE" || live_failed "lumbar live did not stop on SIGINT" || return 1
    lumbar replay /tmp/session.rec --quiet --events /tmp/replay.jsonl > /tmp/replay.out 2>&1 \
        || { cat /tmp/replay.out >> "$LOG"; fail "lumbar replay of the recording failed"; return 1; }
    replayed=$(count_lines /tmp/replay.jsonl '"type":"rep_completed"')
    [ "$replayed" -ge "$before" ] || fail "the recording replays $replayed reps, $before were reported before the unplug" || return 1
    note "$before reps before the unplug, $after after the replug, $replayed in the replayed recording"
}

# A sensor plugged in after the daemon started is picked up through hotplug.
scenario_hotplug() {
    host plug lumbar && wait_for 30 has_tty LUMBAR-L1 || fail "lumbar sensor did not appear" || return 1
    start_live
    wait_events 60 1 sensor_connected LUMBAR-L1 || live_failed "LUMBAR-L1 not connected" || return 1
    sleep 2
    grep -q ANKLE-R1 "$EVENTS" && { live_failed "ANKLE-R1 reported before it was plugged in"; return 1; }
    plugged=$(uptime_s)
    host plug ankle || return 1
    wait_events 60 1 sensor_connected ANKLE-R1 || live_failed "ANKLE-R1 plugged later was not picked up" || return 1
    note "ANKLE-R1 connected $(awk -v a="$plugged" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }') s after the plug" \
        "($(grep -o 'hotplug\|polling' /tmp/live.out | head -1 || echo '?'))"
    live_running || live_failed "the daemon exited"
}

# A CDC-ACM sensor (g_serial on dummy_hcd: /dev/ttyACM0) and an FTDI one (/dev/ttyUSB0) at once.
# The CDC-ACM sensor's firmware is played inside the guest on the gadget's end, /dev/ttyGS0.
scenario_acm_and_ftdi() {
    host plug lumbar && wait_for 30 has_tty LUMBAR-L1 || fail "FTDI sensor did not appear" || return 1
    plug_acm ACM-R1 && wait_for 30 has_tty ACM-R1 || fail "CDC-ACM sensor did not appear" || return 1
    [ "$(tty_of_serial ACM-R1)" = ttyACM0 ] && [ "$(tty_of_serial LUMBAR-L1)" = ttyUSB0 ] \
        || fail "expected ttyACM0 and ttyUSB0, got $(tty_of_serial ACM-R1) and $(tty_of_serial LUMBAR-L1)" || return 1
    background lumbar simulate --connect /dev/ttyGS0 --placement right_ankle --serial ACM-R1 $HIL_SIM_OPTIONS \
        > /tmp/acm-sim.out 2>&1
    lumbar devices --timeout 5 > /tmp/devices.out 2>&1; cat /tmp/devices.out >> "$LOG"
    grep ACM-R1 /tmp/devices.out | grep -q /dev/ttyACM0 || fail "lumbar devices does not list ACM-R1 on /dev/ttyACM0" || return 1
    grep LUMBAR-L1 /tmp/devices.out | grep -q /dev/ttyUSB0 || fail "lumbar devices does not list LUMBAR-L1 on /dev/ttyUSB0" || return 1
    start_live
    wait_events 60 1 sensor_connected ACM-R1 || live_failed "ACM-R1 not connected" || return 1
    wait_events 60 1 sensor_connected LUMBAR-L1 || live_failed "LUMBAR-L1 not connected" || return 1
    wait_events 120 1 rep_completed || live_failed "no rep from the CDC-ACM ankle" || return 1
    note "ACM-R1 on /dev/ttyACM0 and LUMBAR-L1 on /dev/ttyUSB0 both streaming, $(events rep_completed) reps"
    live_running || live_failed "the daemon exited"
}

# Garbage between the ankle's frames, and a babbling device (random bytes, never a frame) on a third
# port, do not disturb the clean lumbar port nor the session: both sensors stay connected, the ankle's reps
# and the lumbar's alerts keep coming, and the babbler never counts as a sensor.
scenario_garbage() {
    host plug babbler && wait_for 30 has_tty BABBLE-X1 || fail "babbler did not appear" || return 1
    host plug lumbar $HIL_SIM_OPTIONS && host plug ankle $HIL_SIM_OPTIONS --garbage \
        || fail "the host could not plug the sensors" || return 1
    wait_for 30 has_tty LUMBAR-L1 && wait_for 30 has_tty ANKLE-R1 || fail "the sensors' tty nodes did not appear" || return 1
    start_live --log-level debug
    wait_events 60 2 sensor_connected || live_failed "not both sensors connected" || return 1
    wait_events 120 3 rep_completed || live_failed "fewer than 3 reps with garbage and a babbler" || return 1
    wait_events 60 1 lumbar_moved || live_failed "no lumbar alert with garbage and a babbler" || return 1
    # Lost before the session ended (an x-IMU3 sends no heartbeat: once the emulator stops, it times out).
    [ "$(awk '/"type":"sensor_lost"/ { exit } /"type":"rep_completed"/ { n++ } END { print n + 0 }' "$EVENTS")" = "$(events rep_completed)" ] \
        || live_failed "a sensor was lost during the session" || return 1
    [ "$(events sensor_connected BABBLE-X1)" = 0 ] || live_failed "the babbler was taken for a sensor" || return 1
    host_observations >> "$LOG"
    host_observations | sed 's/^/HIL-OBSERVED garbage: /'
    note "$(events rep_completed) reps, $(events lumbar_moved) lumbar alerts, no sensor lost;" \
        "daemon CPU $(daemon_cpu), load $(cut -d' ' -f1 /proc/loadavg);" \
        "$(host_observations | grep -c 'USB scan:') scans (longest $(host_observations | sed -n 's/.*USB scan: [0-9]* ports in \([0-9.]*\) s.*/\1/p' | sort -n | tail -1) s)," \
        "silences of every port $(host_observations | grep -c 'from every port for'), of every sensor port $(host_observations | grep -c 'from every sensor port for')," \
        "late polls $(host_observations | grep -c 'poll returned')"
    live_running || live_failed "the daemon exited"
}

# Permission denied on the tty node: `lumbar devices` and `lumbar live` (discovery, no --device), run
# as `patient` (uid 1000, not in dialout), each say so in one line naming the node and the `dialout` group.
as_patient() { su -s /bin/sh patient -c "$*"; }
# Every line that mentions dialout is the whole hint: permission denied, the node, the group.
dialout_hint() {  # FILE NODE
    cat "$1" >> "$LOG"
    hints=$(grep -c dialout "$1")
    [ "$hints" -ge 1 ] || fail "no dialout hint in: $(head -3 "$1" | tr '\n' ' ')" || return 1
    [ "$(grep dialout "$1" | grep -i 'permission denied' | grep -c "$2")" = "$hints" ] \
        || fail "a dialout hint does not say 'permission denied' for $2 on the same line"
}
scenario_permission() {
    host plug lumbar $HIL_SIM_OPTIONS && wait_for 30 has_tty LUMBAR-L1 || fail "lumbar sensor did not appear" || return 1
    node=/dev/$(tty_of_serial LUMBAR-L1)
    chown root:dialout "$node" && chmod 0660 "$node"
    as_patient "id; lumbar devices --timeout 5" > /tmp/perm-devices.out 2>&1
    dialout_hint /tmp/perm-devices.out "$node" || return 1
    background su -s /bin/sh patient -c "exec lumbar live" > /tmp/perm-live.out 2>&1
    LIVE=$(tail -1 /tmp/scenario.pids)
    wait_for 30 running_until_line /tmp/perm-live.out dialout
    sleep 3
    dialout_hint /tmp/perm-live.out "$node" || return 1
    live_running || live_failed "the daemon exited after the permission error" || return 1
    note "one-line hint from devices and live ($hints in live's first seconds: it retries)"
}


# Sensors people can buy (#15), found without being told their families: an x-IMU3 on the back and a
# WitMotion on the ankle, played by the simulator's vendor-doc emulations (`lumbar simulate --family`) in
# one simulated session, so that their motions belong together:
# - the x-IMU3 is a CDC-ACM device (g_serial on dummy_hcd: /dev/ttyACM0 here, the emulator on the gadget's
#   end /dev/ttyGS0) with product string x-IMU3. Its USB ids are the Linux gadget's CDC-ACM ids 0525:a4a7
#   (in Lumbar's default table): x-io's own vendor/product ids are not in the x-IMU3 API's sources (its
#   port scanner pings every serial port instead), so the x-IMU3 is told apart by its bytes or its answer
#   to the ping, as it must be;
# - the WitMotion's UART is this guest's ttyS2 (a 16550), wired by the host to the UART side of an
#   emulated FTDI FT232 USB-UART bridge (QEMU's usb-serial; QEMU has no CH340 or CP210x model):
#   /dev/ttyUSB0 here carries the WitMotion's 0x55 packets as a CH340 would.
# `lumbar live` with no --device discovers both ports by USB id, tells the families apart from their
# bytes (or the x-IMU3 by its answer to the ping), places them by USB serial number from the config file,
# asks each 100 Hz (the x-IMU3 samples at 400, the WitMotion streams at 200 from power-on) and says
# what the device confirmed (the x-IMU3 echoes the setting, the WitMotion's registers are read back),
# aligns both on one session clock (the x-IMU3 by its µs timestamps, the WitMotion by receive times and
# its rate) and counts the reps; the lumbar fault scripted in the third kick is alerted in that kick and
# in no other, which it can only be when the back's samples and the ankle's are aligned in time.
FAMILIES_SEED=${FAMILIES_SEED:-12}
# The WitMotion's output rate at power-on, before the daemon asks 100 Hz: a user's sensor comes at whatever
# rate it was last saved at, and the change is part of what is tested (packets at the old rate before the
# command takes effect, all timed by receive times).
FAMILIES_WIT_RATE=${FAMILIES_WIT_RATE:-200}
# The script's 4 kicks in the daemon's events, judged in one awk pass: each rep candidate (counted, or
# rejected with its reason) that lasted 1.5 s or more, in order (a shorter one is the person getting into
# position). By the daemon's numbering the faulted kick is "rep 3" only when no kick before it was
# rejected, so kicks are told by their order and alerts by their time: every lumbar_moved inside a kick's
# window must be in kick 3, kick 3 must have one and, counted, its lumbar extension must be 6° or more
# (12° scripted); a counted clean kick must not say lumbar_moved. At least 2 of the 4 kicks counted.
# Prints "OK|FAIL reason | kicks 4, counted 3, ... | 1: counted clean ext 1.2, 0 alerts | ...".
KICKS_AWK='
function field(name) {
    if (!match($0, "\"" name "\":\"?-?[0-9a-z_.]+")) return ""
    return substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 3)
}
/"type":"(rep_completed|rep_rejected)"/ {
    s = field("start_s") + 0; e = field("end_s") + 0
    if (e - s < 1.5) next
    n++; ks[n] = s; ke[n] = e
    if ($0 ~ /"type":"rep_completed"/) { fate[n] = "counted"; counted++; ext[n] = field("lumbar_extension_deg") + 0; moved[n] = ($0 ~ /"lumbar_moved":true/) }
    else { fate[n] = field("reason"); gsub(/"/, "", fate[n]) }
}
/"type":"lumbar_moved"/ { m++; mt[m] = field("t") + 0 }
END {
    outside = 0
    for (j = 1; j <= m; j++) {
        hit = 0
        for (i = 1; i <= n; i++) if (mt[j] >= ks[i] && mt[j] <= ke[i]) { alerts[i]++; hit = 1 }
        if (!hit) outside++
    }
    summary = "kicks " n ", counted " counted + 0 ", lumbar_moved outside kicks " outside
    for (i = 1; i <= n; i++)
        summary = summary " | " i ": " fate[i] (fate[i] == "counted" ? (moved[i] ? " alerted" : " clean") " ext " ext[i] : "") ", " alerts[i] + 0 " alerts"
    why = ""
    if (n != 4) why = "found " n + 0 " kicks, the script has 4"
    else if (counted < 2) why = "only " counted + 0 " of the 4 kicks counted"
    else if (alerts[3] == 0) why = "no lumbar_moved in the faulted kick 3"
    else if (fate[3] == "counted" && !(moved[3] && ext[3] >= 6)) why = "kick 3 counted without its 12 deg lumbar extension (" ext[3] " deg)"
    else for (i = 1; i <= n; i++) if (i != 3 && (alerts[i] > 0 || moved[i])) why = "lumbar_moved in the clean kick " i
    print (why == "" ? "OK" : "FAIL " why) " | " summary
}'
# True once the daemon said LINE (an extended regular expression) twice: before and after a replug.
confirmed_twice() { [ "$(count_lines /tmp/live.out "$1")" -ge 2 ]; }
session_over() { grep -Eq '"type":"rep_completed".*"rep":4[,}]' "$EVENTS" || grep -q '^session finished' /tmp/families-sim.out; }
scenario_families() {
    host plug uart && wait_for 30 has_tty ANKLE-R1 || fail "the USB-UART bridge (FTDI ANKLE-R1) did not appear" || return 1
    plug_acm XIMU3-L1 x-IMU3 x-io 0x0525 0xa4a7 && wait_for 30 has_tty XIMU3-L1 \
        || fail "the x-IMU3-like CDC-ACM device did not appear" || return 1
    wit=/dev/$(tty_of_serial ANKLE-R1) ximu=/dev/$(tty_of_serial XIMU3-L1)
    printf '[placement]\nANKLE-R1 = right_ankle\nXIMU3-L1 = lumbar\n' > /tmp/families.conf
    # The daemon first, then the sensors are switched on: these families stream from power-on, so the
    # simulated session (standing still to calibrate, getting down, the kicks) starts with the emulator,
    # and a daemon that came up later (seconds, in an emulated guest on a loaded host) missed its start.
    start_live --config /tmp/families.conf --rate lumbar=100 --rate ankle=100
    wait_line 60 /tmp/live.out "Found .* on $ximu" && wait_line 30 /tmp/live.out "Found .* on $wit" \
        || live_failed "lumbar live did not find both USB ports" || return 1
    background lumbar simulate --connect lumbar=/dev/ttyGS0 --connect right_ankle=/dev/ttyS2 \
        --family lumbar=ximu3 --family ankle=witmotion --rate lumbar=400 --rate ankle="$FAMILIES_WIT_RATE" \
        --sets 1 --reps 4 --seed "$FAMILIES_SEED" --fault 3:extension:12 > /tmp/families-sim.out 2>&1
    wait_line 30 /tmp/families-sim.out '^ready' || { cat /tmp/families-sim.out >> "$LOG"; fail "lumbar simulate did not start"; return 1; }
    wait_events 60 2 sensor_connected || live_failed "not both sensors connected" || return 1
    grep -q "on $ximu: x-IMU3" /tmp/live.out || live_failed "$ximu not recognised as an x-IMU3" || return 1
    grep -q "on $wit: WitMotion" /tmp/live.out || live_failed "$wit not recognised as a WitMotion" || return 1
    [ "$(events sensor_connected '"placement":"lumbar"')" -ge 1 ] && [ "$(events sensor_connected '"placement":"right_ankle"')" -ge 1 ] \
        || live_failed "not placed by the config: $(grep sensor_connected "$EVENTS" | tr '\n' ' ')" || return 1
    wait_for 30 grep -q "'$ximu' (x-IMU3) configured: 100 Hz" /tmp/live.out || live_failed "the x-IMU3 did not confirm 100 Hz" || return 1
    wait_for 30 grep -q "'$wit' (WitMotion) configured: 100 Hz" /tmp/live.out || live_failed "the WitMotion did not confirm 100 Hz" || return 1
    # The WitMotion's USB-UART bridge pulled out and plugged back while the person gets into position (the
    # kicks begin 7-8 s into the session): lost as unplugged, the bridge enumerated again, the WitMotion told
    # apart again by its bytes under the same id (the bridge's USB serial number) and placement, and told
    # 100 Hz again (its rate is kept: confirmed at once). Time from the replug to sensor_connected in the note.
    host unplug uart >/dev/null && wait_for 20 gone ANKLE-R1 || fail "the USB-UART bridge did not go away" || return 1
    wait_events 20 1 sensor_lost '"placement":"right_ankle".*"reason":"unplugged"' \
        || live_failed "the WitMotion was not lost as unplugged with its bridge" || return 1
    clock; replugged=$NOW
    host plug uart >/dev/null && wait_for 30 has_tty ANKLE-R1 || fail "the USB-UART bridge did not come back" || return 1
    wit=/dev/$(tty_of_serial ANKLE-R1)
    wait_events 30 2 sensor_connected '"sensor":"ANKLE-R1","placement":"right_ankle"' \
        || live_failed "the WitMotion was not recognised again after its bridge was replugged" || return 1
    clock; rejoined=$(tenths $((NOW - replugged)))
    wait_for 30 confirmed_twice "'$wit' \(WitMotion\) configured: 100 Hz" || live_failed "the replugged WitMotion did not confirm 100 Hz" || return 1
    wait_events 60 1 calibrated || live_failed "never calibrated" || return 1
    # Until the session's last rep is counted, or the session is over (a rep may be rejected: then it ends).
    wait_for 150 session_over || live_failed "neither rep 4 counted nor the simulated session over" || return 1
    verdict=$(awk "$KICKS_AWK" "$EVENTS")
    log "kicks: $verdict"
    case "$verdict" in OK*) ;; *) live_failed "${verdict%% | *}" || return 1 ;; esac
    # Lost before the session ended, besides the unplug (an x-IMU3 sends no heartbeat: once the emulator stops,
    # it times out).
    [ "$(awk '/"type":"sensor_lost"/ && !unplug && /"reason":"unplugged"/ { unplug = 1; next }
              /"type":"sensor_lost"/ { exit } /"type":"rep_completed"/ { n++ } END { print n + 0 }' "$EVENTS")" = "$(events rep_completed)" ] \
        || live_failed "a sensor was lost during the session" || return 1
    # The x-IMU3 goes by the serial number it reports (its ping answer), however it was found (its bytes, or
    # the ping): not by the USB serial number of its port (XIMU3-L1) nor by the port.
    ximu_id=$(sed -n 's/.*"sensor":"\([^"]*\)","placement":"lumbar".*/\1/p' "$EVENTS" | head -1)
    case "$ximu_id" in XIMU3-L1 | /dev/* | "") live_failed "the x-IMU3 went by '$ximu_id', not the serial number it reports" || return 1 ;; esac
    note "x-IMU3 $ximu_id on $ximu (CDC-ACM 0525:a4a7) and WitMotion on $wit (FTDI 0403:6001), found unnamed," \
        "placed by the config, 100 Hz confirmed by both; bridge replugged: back in ${rejoined} s; ${verdict#OK | }; daemon CPU $(daemon_cpu)"
    live_running || live_failed "the daemon exited"
}
