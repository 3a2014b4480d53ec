# Scenarios of the hardware-in-the-loop run, sourced by /init. Each `scenario_NAME` returns 0 for PASS;
# `run_all` times them and prints `HIL-RESULT NAME PASS|FAIL SECONDS reason` on the console.
# Sensors the host can plug (see hil/sensors): lumbar (FTDI, serial LUMBAR-L1), ankle (FTDI, ANKLE-R1),
# babbler (FTDI, BABBLE-X1: random bytes, never a frame). The CDC-ACM sensor is made here with g_serial.
HIL_SCENARIOS="usb_bus"

# --- plumbing -------------------------------------------------------------------------------------------

log() { echo "$*" >> "$LOG"; }
fail() { log "FAIL: $*"; return 1; }

# Asks the host to do something ("plug lumbar", "unplug ankle"); succeeds when it answers "ok".
host() {
    echo "$*" >&3
    reply=
    IFS= read -r -t 60 reply <&3
    log "host $*: ${reply:-no answer}"
    case "$reply" in ok*) return 0 ;; esac
    return 1
}

# Retries a command every 0.2 s for up to SECONDS.
wait_for() {
    tries=$(($1 * 5)); shift
    while ! "$@" >/dev/null 2>&1; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || return 1
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

cleanup() {
    [ -f /tmp/scenario.pids ] && for pid in $(cat /tmp/scenario.pids); do kill "$pid" 2>/dev/null; done
    sleep 1
    [ -f /tmp/scenario.pids ] && for pid in $(cat /tmp/scenario.pids); do kill -9 "$pid" 2>/dev/null; done
    rm -f /tmp/scenario.pids
    unplug_acm
    host unplug all >/dev/null
    wait_for 20 gone LUMBAR-L1; wait_for 20 gone ANKLE-R1; wait_for 20 gone BABBLE-X1
}

run_all() {  # [comma-separated scenario names]
    passed=0 failed=0
    for name in $HIL_SCENARIOS; do
        if [ -n "$1" ]; then case ",$1," in *",$name,"*) ;; *) continue ;; esac; fi
        LOG=/tmp/$name.log; : > "$LOG"
        echo "HIL-START $name"
        start=$(uptime_s)
        if (cd /tmp && "scenario_$name"); then status=PASS; passed=$((passed + 1))
        else status=FAIL; failed=$((failed + 1)); fi
        end=$(uptime_s)
        seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
        reason=$(grep '^FAIL: ' "$LOG" | head -1 | cut -c7-)
        echo "HIL-RESULT $name $status ${seconds}s${reason:+ $reason}"
        [ "$status" = PASS ] || sed 's/^/  | /' "$LOG" | tail -60
        cleanup
    done
    echo "HIL-DONE passed=$passed failed=$failed"
    [ "$failed" = 0 ]
}

# --- scenarios -----------------------------------------------------------------------------------------

# The emulated bus itself (a check of the harness, not of Lumbar): both FTDI sensors appear with
# their serial numbers and tty nodes, and go away when the host unplugs them.
scenario_usb_bus() {
    host plug lumbar || fail "host could not plug lumbar" || return 1
    host plug ankle || fail "host could not plug ankle" || return 1
    wait_for 30 has_tty LUMBAR-L1 || fail "no tty for LUMBAR-L1" || return 1
    wait_for 30 has_tty ANKLE-R1 || fail "no tty for ANKLE-R1" || return 1
    log "LUMBAR-L1 -> $(tty_of_serial LUMBAR-L1), ANKLE-R1 -> $(tty_of_serial ANKLE-R1)"
    plug_acm ACM-T1 || fail "g_serial did not load" || return 1
    wait_for 30 has_tty ACM-T1 || fail "no tty for ACM-T1" || return 1
    log "ACM-T1 -> $(tty_of_serial ACM-T1)"
    host unplug ankle || return 1
    wait_for 30 gone ANKLE-R1 || fail "ANKLE-R1 still present after unplug" || return 1
}
