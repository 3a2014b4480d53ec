#!/usr/bin/env python3
"""The sensor firmware (motion-generator build) in QEMU's arduino-uno, end to end, without hardware.

  e2e_live.py BUILD_DIR [--lumbar PATH_TO_LUMBAR] [--seconds N]

1. Wire check: one lumbar instance on a pseudo-terminal; commands built by the spec's independent
   encoder (vectors/generate.py) ask for device info, status, a rate, ranges, an unknown opcode, start and
   stop; every byte that comes back is decoded by an independent decoder (COBS, CRC-32C, field layouts of
   PROTOCOL.md): no damaged frame, one acknowledgement per command with the right result, placement
   lumbar, continuous sequence numbers, batch timestamps advancing by the sample period.
2. With --lumbar: a lumbar and an ankle instance, `lumbar live --device A --device B --events -` for
   until the fourth rep is complete, at most N seconds (default 90; the script takes ~22 s): both sensors connect with their placements, reps are counted from the ankle
   and the arching rep (the third) gives lumbar_moved.
Exit 0 pass, 1 fail, 77 qemu-system-avr cannot start here. Every wait is bounded.
"""
import contextlib
import io
import json
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import socket
import sys
import tempfile
import threading
import time
import tty

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors"))
with contextlib.redirect_stdout(io.StringIO()):
    import generate as g  # noqa: E402  (the spec's independent encoder)
from emulator import stop  # noqa: E402


def fail(msg):
    print("firmware e2e: FAIL: " + msg)
    sys.exit(1)


class Relay(threading.Thread):
    """Copies bytes between QEMU's UART (a Unix-socket chardev) and a pseudo-terminal of our own.

    QEMU 7.2's `-serial pty` backend drops the guest's output and stalls its input for up to a second
    whenever a read of the pty comes back empty (it takes that for a hang-up and polls once a second for
    the reader to come back): commands and acknowledgements went missing. A socket chardev has no such
    state, and the pty we hand to `lumbar live` is an ordinary one that stays open."""

    def __init__(self, sock_path):
        super().__init__(daemon=True)
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + 20
        while True:
            try:
                self.sock.connect(sock_path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.running = True
        self.to_guest = self.from_guest = 0

    def run(self):
        sock = self.sock.fileno()
        while self.running:
            try:
                ready, _, _ = select.select([sock, self.master], [], [], 0.2)
                for fd in ready:
                    data = os.read(fd, 4096)
                    if not data:
                        self.running = False
                        break
                    target = self.master if fd == sock else sock
                    if fd == sock:
                        self.from_guest += len(data)
                    else:
                        self.to_guest += len(data)
                    view = memoryview(data)
                    while view:
                        view = view[os.write(target, view):]
            except OSError:
                self.running = False

    def close(self):
        self.running = False
        self.join(timeout=2)
        for fd in (self.master, self.slave):
            os.close(fd)
        self.sock.close()


def start_qemu(elf):
    """Starts an arduino-uno with its UART on a pseudo-terminal; returns (process, pty path, relay)."""
    sock_path = os.path.join(tempfile.mkdtemp(prefix="lumbar-avr-"), "uart.sock")
    proc = subprocess.Popen(["qemu-system-avr", "-M", "arduino-uno", "-bios", elf, "-display", "none",
                             "-monitor", "unix:%s.mon,server=on,wait=off" % sock_path,
                             "-chardev", "socket,id=uart,path=%s,server=on,wait=off" % sock_path,
                             "-serial", "chardev:uart"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not os.path.exists(sock_path):
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    if proc.poll() is not None or not os.path.exists(sock_path):
        stop(proc)
        text = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
        print("firmware e2e: SKIP: qemu-system-avr -M arduino-uno did not start: %s" % text.strip())
        sys.exit(77)
    relay = Relay(sock_path)
    relay.monitor, relay.elf = sock_path + ".mon", elf
    relay.start()
    return proc, relay.path, relay


def guest_state(relay):
    """What the emulated Uno is doing, read through QEMU's monitor without stopping it: the CPU's PC and
    SREG, the USART's status (RXC set with RXCIE on and nothing taken = a receive interrupt not delivered),
    the firmware's command queue; next to the bytes the relay passed each way. For a failure message."""
    try:
        syms = {}
        for line in subprocess.run(["avr-nm", relay.elf], capture_output=True, text=True, timeout=10).stdout.splitlines():
            parts = line.split()
            if len(parts) == 3:
                syms[parts[2]] = int(parts[0], 16)
        mon = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        mon.settimeout(3)
        mon.connect(relay.monitor)

        def ask(command):
            mon.sendall(command.encode() + b"\n")
            text = b""
            while not text.endswith(b"(qemu) "):
                text += mon.recv(65536)
            return text.decode(errors="replace")

        def peek(address, n):  # data memory is at 0x800000 in QEMU's AVR address space (never UDR0: 0xC6)
            return [int(v, 16) for v in re.findall(r"0x([0-9a-f]{2})\b", ask("xp /%dxb %#x" % (n, 0x800000 + address)).split(":", 1)[-1])][-n:]
        ask("")
        regs = ask("info registers")
        pc = re.search(r"PC:\s*([0-9a-f]+)", regs)
        sreg = re.search(r"SREG:\s*\[([^\]]*)\]", regs)
        ucsr = peek(0xC0, 3)
        queue = ["%s=%d" % (name, peek(syms[name] & 0xFFFF, 1)[0]) for name in ("queue_head", "queue_tail", "commands_lost")
                 if name in syms]
        mon.close()
        return ("guest: PC %s SREG [%s] UCSR0A/B/C %s (RXC %s, RXCIE %s), %s; relay: %d bytes to the guest, %d from it"
                % (pc.group(1) if pc else "?", sreg.group(1).strip() if sreg else "?", " ".join("%02x" % b for b in ucsr),
                   "set" if ucsr and ucsr[0] & 0x80 else "clear", "on" if len(ucsr) > 1 and ucsr[1] & 0x80 else "off",
                   " ".join(queue), relay.to_guest, relay.from_guest))
    except (OSError, KeyError, IndexError, subprocess.SubprocessError) as e:
        return "guest state not readable through QEMU's monitor (%s)" % e


def open_raw(path):
    import termios
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    attrs = termios.tcgetattr(fd)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, attrs)
    return fd


def unstuff(data):
    out, i = bytearray(), 0
    while i < len(data):
        code = data[i]
        if code == 0 or i + code > len(data):
            return None
        out += data[i + 1:i + code]
        i += code
        if code != 0xFF and i < len(data):
            out.append(0)
    return bytes(out)


def decode_frames(stream):
    """Independent decoder: every frame must be intact. Returns [(type, payload)]."""
    frames = []
    for raw in stream.split(b"\x00")[:-1]:
        if not raw:
            continue
        body = unstuff(raw)
        if body is None or len(body) < 6:
            fail("a damaged frame from the firmware: %s" % raw.hex())
        if g.crc32c(body[:-4]) != struct.unpack("<I", body[-4:])[0]:
            fail("CRC mismatch in a frame from the firmware: %s" % raw.hex())
        if body[0] != 1:
            fail("version %d" % body[0])
        frames.append((body[1], body[2:-4]))
    return frames


class Link:
    """The host side of one sensor: sends commands as PROTOCOL.md 5.5 says a host does (resend with the
    same token after 250 ms without an acknowledgement) and keeps every byte it receives."""

    def __init__(self, path, diagnose=lambda: ""):
        self.diagnose = diagnose  # says what the guest is doing when a command goes unacknowledged
        self.fd = open_raw(path)
        self.stream = bytearray()
        self.resends = 0

    def read_for(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if select.select([self.fd], [], [], 0.02)[0]:
                self.stream += os.read(self.fd, 4096)

    def complete(self):
        """The frames received so far: from the first delimiter (PROTOCOL.md 1.4: a host that connects
        mid-frame, as the relay may while QEMU already runs, discards up to it) to the last."""
        return bytes(self.stream[self.stream.find(b"\x00") + 1:self.stream.rfind(b"\x00") + 1])

    def acked(self, token):
        return any(t == 0x11 and struct.unpack("<H", p[:2])[0] == token for t, p in decode_frames(self.complete()))

    def command(self, token, opcode, argument=None, attempts=40):
        frame = g.command(token, opcode, argument)[0]
        for attempt in range(attempts):
            if attempt:
                self.resends += 1
            os.write(self.fd, frame)
            deadline = time.monotonic() + 0.25
            while time.monotonic() < deadline:
                self.read_for(0.02)
                if self.acked(token):
                    return
        fail("no acknowledgement of command %d (opcode 0x%02x) after %d attempts; %s" %
             (token, opcode, attempts, self.diagnose()))


def wire_check(build):
    proc, pty, relay = start_qemu(os.path.join(build, "sensor-motion-lumbar.elf"))
    try:
        link = Link(pty, lambda: guest_state(relay))
        os.write(link.fd, b"\x00")
        commands = [(1, 0x03, None), (2, 0x04, None), (3, 0x05, 200_000), (4, 0x06, 4), (5, 0x07, 500),
                    (6, 0x7E, None), (7, 0x05, 100_000), (8, 0x01, None)]
        for token, opcode, argument in commands:
            link.command(token, opcode, argument)
        link.read_for(3)
        link.command(9, 0x02)
        link.read_for(0.5)
        os.close(link.fd)
    finally:
        stop(proc)
        relay.close()
    frames = decode_frames(link.complete())
    acks = []
    for t, p in frames:  # a resent command is acknowledged again: count each token once
        if t == 0x11 and struct.unpack("<HBB", p[:4]) not in acks:
            acks.append(struct.unpack("<HBB", p[:4]))
    want = [(1, 3, 0), (2, 4, 0), (3, 5, 0), (4, 6, 0), (5, 7, 0), (6, 0x7E, 1), (7, 5, 0), (8, 1, 0), (9, 2, 0)]
    if acks != want:
        fail("acknowledgements %s, expected %s" % (acks, want))
    infos = [p for t, p in frames if t == 0x01]
    if not infos:
        fail("no device info")
    last = struct.unpack("<BBBBQBHHffIIB", infos[-1][:34])
    if last[5] != 1 or last[6] != 4 or last[7] != 500 or last[10] != 100_000 or last[11] != 62_500:
        fail("device info after the configuration: %s" % (last,))
    rates = [struct.unpack("<I", info[25:29])[0] for info in infos]
    if 200_000 not in rates:
        fail("the 200 Hz request was not applied: device infos say %s mHz" % rates)
    batches = [p for t, p in frames if t == 0x02]
    statuses = [p for t, p in frames if t == 0x03]
    if len(batches) < 20 or not statuses:
        fail("%d batches and %d statuses in 3 s" % (len(batches), len(statuses)))
    expected_seq = expected_ts = None
    for p in batches:
        seq, ts, period, count, _ = struct.unpack("<IQIBB", p[:18])
        if period != 625 or not 1 <= count <= 4 or len(p) != 18 + 12 * count:
            fail("batch period %d count %d length %d" % (period, count, len(p)))
        if expected_seq is not None and (seq != expected_seq or ts != expected_ts):
            fail("batch sequence %d at %d, expected %d at %d" % (seq, ts, expected_seq, expected_ts))
        expected_seq, expected_ts = seq + count, ts + count * period
    print("firmware e2e: wire check passed: %d frames (%d batches, %d statuses, %d device infos, %d acks) "
          "decoded by the independent decoder, none damaged; %d command resends (no acknowledgement within 250 ms: a busy host slows the emulator)" %
          (len(frames), len(batches), len(statuses), len(infos), len(acks), link.resends))


def live_check(build, lumbar, seconds):
    qemus = [start_qemu(os.path.join(build, "sensor-motion-%s.elf" % p)) for p in ("lumbar", "ankle")]
    try:
        argv = [lumbar, "live", "--no-status", "--no-store", "--events", "-"]
        for _, pty, _ in qemus:
            argv += ["--device", pty]
        live = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Until the script's fourth rep is complete (plus a second), at most `seconds`: no fixed sleep
        # that a slow start-up (debug build, busy machine) could outlast.
        out, deadline, done_at = bytearray(), time.monotonic() + seconds, None
        while time.monotonic() < deadline and (done_at is None or time.monotonic() < done_at):
            if select.select([live.stdout], [], [], 0.2)[0]:
                chunk = os.read(live.stdout.fileno(), 65536)
                if not chunk:
                    break
                out += chunk
                if done_at is None and re.search(rb'"type": ?"rep_completed"[^\n]*"rep": ?4[,}]', out):
                    done_at = time.monotonic() + 1.0
        live.send_signal(signal.SIGINT)
        try:
            rest, err = live.communicate(timeout=20)
            out += rest
        except subprocess.TimeoutExpired:
            live.kill()
            live.communicate()
            fail("lumbar live did not stop on SIGINT")
    finally:
        for proc, _, relay in qemus:
            stop(proc)
            relay.close()
    events = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    for e in events:
        print("  live | " + json.dumps(e)[:160])
    return events, err.decode(errors="replace")


def check_live(events, err):
    """Both sensors with their placements, the four reps of the script, lumbar_moved in the third only."""
    def of(kind):
        return [e for e in events if e.get("type") == kind]
    # A sensor the host lost (an emulator stalled by a busy machine) and found again connects twice: fine,
    # as long as both placements are there. The losses are reported.
    placements = sorted({e.get("placement") for e in of("sensor_connected")})
    if placements != ["left_ankle", "lumbar"]:
        fail("sensor_connected placements %s, expected lumbar and left_ankle\n%s" % (placements, err[-2000:]))
    if of("sensor_lost"):
        print("firmware e2e: note: the host lost and found a sensor %d time(s) (the emulators stalled)" %
              len(of("sensor_lost")))
    if not of("calibrated"):
        fail("no calibrated event\n%s" % err[-2000:])
    reps = [e for e in of("rep_completed") if e.get("rep") in (1, 2, 3, 4)]
    if [e["rep"] for e in reps] != [1, 2, 3, 4]:
        fail("reps completed %s, expected 1, 2, 3, 4\n%s" % ([e.get("rep") for e in of("rep_completed")], err[-2000:]))
    for e in reps:
        if not 60 <= e.get("leg_rom_deg", 0) <= 100:
            fail("rep %d leg ROM %s deg, the script kicks 80" % (e["rep"], e.get("leg_rom_deg")))
    moved = sorted({e.get("rep") for e in of("lumbar_moved")})
    if moved != [3]:
        fail("lumbar_moved in reps %s, expected only in the arching rep 3" % moved)
    arching = reps[2]
    if not arching.get("lumbar_moved") or arching.get("lumbar_max_deviation_deg", 0) < 6:
        fail("rep 3 should be faulted (the script arches 12 deg; more than 6 expected): %s" % json.dumps(arching))
    clean = [e for e in reps if e["rep"] != 3 and (e.get("lumbar_moved") or e.get("lumbar_max_deviation_deg", 99) > 3)]
    if clean:
        fail("clean reps with lumbar movement: %s" % json.dumps(clean))
    print("firmware e2e: lumbar live passed: sensors lumbar + left_ankle, calibrated, reps 1-4 (leg ROM %s deg), "
          "lumbar_moved in rep 3 only (max %.1f deg; clean reps <= %.1f deg)" %
          (", ".join("%.0f" % e["leg_rom_deg"] for e in reps), arching["lumbar_max_deviation_deg"],
           max(e["lumbar_max_deviation_deg"] for e in reps if e["rep"] != 3)))


def main():
    args = sys.argv[1:]
    build = args[0]
    lumbar = args[args.index("--lumbar") + 1] if "--lumbar" in args else None
    seconds = int(args[args.index("--seconds") + 1]) if "--seconds" in args else 90
    if shutil.which("qemu-system-avr") is None:
        print("firmware e2e: SKIP: qemu-system-avr is not installed")
        return 77
    wire_check(build)
    if lumbar:
        if not os.access(lumbar, os.X_OK):
            fail("%s is not an executable (make build first)" % lumbar)
        check_live(*live_check(build, lumbar, seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
