#!/usr/bin/env python3
"""Runs the golden-vector firmware on emulated MCUs and prints the codec's size/speed table.

  run_vectors.py BUILD_DIR

- AVR (ATmega2560, QEMU arduino-mega-2560-v3): every golden vector, byte by byte and in chunks.
- AVR cycles: the same ELF in simavr, which counts every instruction's real AVR cycles; the firmware reads
  them from timer1 (prescaler 1 = CPU clock). QEMU 7.2's AVR target aborts under -icount ("Bad icount
  read" on the first timer read), so it cannot count cycles there.
- Cortex-M0+ (built with -mcpu=cortex-m0plus): QEMU 7.2 has no M0+ core; the M0+ runs the M0's instruction
  set (ARMv6-M). When gcc emits the same flash image as for the M0 (it does: -Os, no M0+-only code), the M0
  run covers it; otherwise the image runs on the microbit's M0 (not M0+-only parts: VTOR, MPU, timing).
- Cortex-M0 (nRF51822, QEMU microbit, -icount shift=0): every golden vector; SysTick (16 MHz core clock)
  read by the firmware. Under icount shift=0 each instruction advances virtual time by exactly 1 ns, so
  ticks x 62.5 = instructions executed (an M0 takes 1 cycle for most, 2 for loads/stores, 3 for taken
  branches: real cycles are higher by roughly a third).
Exit status: 0 all passed, 1 a vector failed or a run did not finish, 77 an emulator cannot start here.
Every run is bounded (RUN_SECONDS each).
"""
import os
import re
import shutil
import subprocess
import sys

from emulator import stop

RUN_SECONDS = 120
SENTINEL = re.compile(rb"GOLDEN VECTORS: (PASS|FAIL)[^\r\n]*\r?\n")
BENCH = re.compile(rb"BENCH samples=(\d+) wire_bytes=(\d+) reps=(\d+) encode_ticks=(\d+) decode_ticks=(\d+) "
                   rb"timer_hz=(\d+) decoded_ok=(\d+)")


def run(name, argv):
    """Runs argv until the sentinel line; returns (status, output) with status PASS, FAIL, NOSTART, TIMEOUT."""
    if shutil.which(argv[0]) is None:
        print("%s: SKIP: %s is not installed" % (name, argv[0]))
        return "NOSTART", b""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = bytearray()
    try:
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        import time
        deadline = time.monotonic() + RUN_SECONDS
        while time.monotonic() < deadline:
            if not sel.select(timeout=1):
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            out += chunk
            if SENTINEL.search(out):
                break
    finally:
        stop(proc)
    m = SENTINEL.search(out)
    text = out.decode("utf-8", "replace")
    if m:
        return m.group(1).decode(), bytes(out)
    if proc.returncode not in (None, 0) and b"lumbar golden vectors" not in out:
        print("%s: the emulator did not start (exit %s): %s" % (name, proc.returncode, text.strip()[-300:]))
        return "NOSTART", bytes(out)
    print("%s: no result line within %d s; output so far:\n%s" % (name, RUN_SECONDS, text[-2000:]))
    return "TIMEOUT", bytes(out)


def show(name, out, with_bench):
    for line in out.decode("utf-8", "replace").splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip(". \r")
        if line.startswith("vector ") and line.endswith("pass") or line.startswith("BENCH") and not with_bench:
            continue
        if line.strip():
            print("  %s | %s" % (name, line.strip()))


def bench_rows(out, per_tick, unit):
    rows = []
    for m in BENCH.finditer(out):
        samples, wire, reps, enc, dec, hz, ok = (int(x) for x in m.groups())
        rows.append((samples, wire, enc * per_tick(hz) / reps, dec * per_tick(hz) / reps, unit, ok))
    return rows


def same_flash(elf_a, elf_b):
    """Whether two Arm ELF files put the same bytes in flash (arm-none-eabi-objcopy -O binary)."""
    images = []
    for elf in (elf_a, elf_b):
        out = subprocess.run(["arm-none-eabi-objcopy", "-O", "binary", elf, "/dev/stdout"], capture_output=True)
        if out.returncode != 0:
            return False
        images.append(out.stdout)
    return images[0] == images[1]


def main():
    build = sys.argv[1]
    avr_elf = os.path.join(build, "gv-avr-mega2560.elf")
    m0_elf = os.path.join(build, "gv-m0-microbit.elf")
    m0plus_elf = os.path.join(build, "gv-m0plus-microbit.elf")
    results, table = {}, []
    runs = [
        ("AVR ATmega2560 (QEMU)", ["qemu-system-avr", "-M", "arduino-mega-2560-v3", "-bios", avr_elf, "-display",
                                   "none", "-serial", "stdio", "-monitor", "none"], None),
        ("AVR ATmega2560 (simavr)", ["simavr", "-m", "atmega2560", "-f", "16000000", avr_elf],
         (lambda hz: 1.0, "cycles")),
        ("Cortex-M0 nRF51 (QEMU icount)", ["qemu-system-arm", "-M", "microbit", "-kernel", m0_elf, "-display", "none",
                                           "-serial", "stdio", "-monitor", "none", "-icount", "shift=0",
                                           "-semihosting-config", "enable=on,target=native"],
         (lambda hz: 1e9 / hz, "instructions")),
    ]
    if same_flash(m0_elf, m0plus_elf):
        print("== Cortex-M0+ (-mcpu=cortex-m0plus): flash image byte-identical to the Cortex-M0 one, so the M0 run "
              "below covers it (QEMU 7.2 has no M0+ core)")
    else:
        runs.append(("Cortex-M0+ image on the nRF51's M0 (QEMU icount)",
                     ["qemu-system-arm", "-M", "microbit", "-kernel", m0plus_elf, "-display", "none", "-serial",
                      "stdio", "-monitor", "none", "-icount", "shift=0", "-semihosting-config",
                      "enable=on,target=native"], (lambda hz: 1e9 / hz, "instructions")))
    for name, argv, bench in runs:
        status, out = run(name, argv)
        results[name] = status
        print("== %s: %s" % (name, status))
        show(name, out, bench is not None)
        if bench and status == "PASS":
            table += [(name,) + row for row in bench_rows(out, *bench)]
    if table:
        print("\nCodec speed per sample batch (lp_encode into the wire buffer; lp_decoder_push of every byte):")
        print("| target | samples | wire bytes | encode | decode | unit |")
        print("|---|---:|---:|---:|---:|---|")
        for name, samples, wire, enc, dec, unit, ok in table:
            print("| %s | %d | %d | %.0f | %.0f | %s%s |" % (name, samples, wire, enc, dec, unit,
                                                          "" if ok else " (decode FAILED)"))
    statuses = set(results.values())
    if statuses & {"FAIL", "TIMEOUT"}:
        print("firmware vectors: FAILED (%s)" % ", ".join("%s %s" % kv for kv in results.items()))
        return 1
    if results["AVR ATmega2560 (QEMU)"] == "NOSTART" and results["Cortex-M0 nRF51 (QEMU icount)"] == "NOSTART":
        print("firmware vectors: SKIPPED: no emulator can start on this machine")
        return 77
    if "NOSTART" in statuses:
        print("firmware vectors: passed where the emulator started; SKIPPED: %s" %
              ", ".join(k for k, v in results.items() if v == "NOSTART"))
        return 0
    print("firmware vectors: PASS on every target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
