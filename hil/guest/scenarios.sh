# Scenarios of the hardware-in-the-loop run, sourced by /init. Each `scenario_NAME` returns 0 for PASS;
# `run_all` times them and prints `HIL-RESULT NAME PASS|FAIL SECONDS reason` on the console.
# Sensors the host can plug (see hil/sensors): lumbar (FTDI, serial LUMBAR-L1), ankle (FTDI, ANKLE-R1),
# babbler (FTDI, BABBLE-X1: random bytes, never a frame). The CDC-ACM sensor is made here with g_serial.
HIL_SCENARIOS="usb_bus devices live unplug_replug hotplug acm_and_ftdi garbage permission"
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
plug_acm() {  # SERIAL
    modprobe_args="use_acm=1 n_ports=1 idVendor=${HIL_ACM_VID:-0x1209} idProduct=${HIL_ACM_PID:-0x4c42} iSerialNumber=$1 iProduct=Lumbar-IMU"
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
    [ "$(events sensor_lost)" = 0 ] || live_failed "a sensor was lost" || return 1
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

