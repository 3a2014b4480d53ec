#!/usr/bin/env python3
"""x-io's own decoder as the referee of Lumbar's x-IMU3 decoder (issue 15).

The x-IMU3 emulator (LumbarSim, written from the x-IMU3 user manual) writes a simulated session in
ASCII and in binary mode, as a bare stream and as the device's data logger file (`.ximu3`: the ping
response, time and settings preamble, then the stream); x-io's `ximu3` package (PyPI) reads each file
through a FileConnection (what its FileConverter turns .ximu3 files into CSV folders with), Lumbar's
decoder (streams) and its `.ximu3` file reader (`lumbar replay`/`export`) through SensorFamilyTool; every
inertial sample must agree: timestamps exactly, values exactly in binary mode and to the nearest float in
ASCII mode (both parse the same four-decimal text).
Exit 0 = agree, 1 = disagree, 0 with SKIP when the package cannot be installed.
"""
import subprocess
import sys
import tempfile
import time
import os

TOOL = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/SensorFamilyTool"

try:
    import ximu3
except ImportError:
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "ximu3"], capture_output=True, text=True)
    try:
        import ximu3  # noqa: F811
    except ImportError:
        print("SKIP: x-IMU3 referee: the ximu3 package cannot be installed here:", (r.stderr or r.stdout).strip().splitlines()[-1:])
        sys.exit(0)


def xio_samples(path):
    """Inertial messages as x-io's decoder sees them."""
    got = []
    errors = []
    connection = ximu3.Connection(ximu3.FileConnectionConfig(path))
    connection.add_inertial_callback(
        lambda m: got.append((m.timestamp, m.gyroscope_x, m.gyroscope_y, m.gyroscope_z,
                              m.accelerometer_x, m.accelerometer_y, m.accelerometer_z)))
    connection.add_receive_error_callback(lambda e: errors.append(e))
    connection.open()
    # The file connection reads on its own thread; wait until the count stops growing.
    last, still = -1, 0
    deadline = time.time() + 60
    while still < 5 and time.time() < deadline:
        time.sleep(0.1)
        still = still + 1 if len(got) == last else 0
        last = len(got)
    connection.close()
    return got, errors


def lumbar_samples(path, command):
    out = subprocess.run([TOOL, command, "ximu3", path], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        fields = line.split(",")
        rows.append((int(fields[0]),) + tuple(float(f) for f in fields[1:]))
    return rows


def f32(value):
    import struct
    return struct.unpack("<f", struct.pack("<f", value))[0]


failed = False
with tempfile.TemporaryDirectory() as directory:
    for mode, emulate, read in [(m, e, r) for m in ("binary", "ascii")
                                for e, r in (("emulate", "decode"), ("emulate-file", "read"))]:
        path = os.path.join(directory, f"session-{mode}-{emulate}.ximu3")
        subprocess.run([TOOL, emulate, "ximu3", mode, path], check=True)
        reference, errors = xio_samples(path)
        ours = lumbar_samples(path, read)
        mode = f"{mode}, {'data logger file' if read == 'read' else 'stream'}"
        worst = 0.0
        mismatches = 0
        if len(reference) != len(ours):
            print(f"FAIL {mode}: x-io decoded {len(reference)} samples, Lumbar {len(ours)}")
            failed = True
            continue
        for a, b in zip(reference, ours):
            if a[0] != b[0]:
                mismatches += 1
                continue
            for x, y in zip(a[1:], b[1:]):
                # Both sides as float32 (Lumbar prints the shortest text that round-trips to its float).
                x, y = f32(x), f32(y)
                difference = abs(x - y)
                worst = max(worst, difference)
                ulp = abs(x) * 2.0 ** -23 if x != 0 else 1e-45
                if (mode.startswith("binary") and difference != 0) or difference > ulp:
                    mismatches += 1
        status = "ok" if mismatches == 0 and not errors else "FAIL"
        failed |= status != "ok"
        print(f"x-IMU3 referee, {mode:24}: {len(reference)} samples, x-io receive errors {len(errors)}, "
              f"mismatching samples {mismatches}, largest difference {worst:g}: {status}")
sys.exit(1 if failed else 0)
