#!/usr/bin/env python3
"""The dashboard in a real headless Chromium, driven by Selenium, the way a person would use it.

The DashboardDemo scripted session serves the page first (real pace, then restarted sped up with many
faulty reps for the latency figure); with `--replay FILE[:SPEED]` the real pipeline follows:
`lumbar replay FILE --speed SPEED --http 127.0.0.1:PORT` on the same port. The test checks what a person
on the mat relies on: the "hold still" prompt and calibration, the rep count rising, the lumbar alert
(and its alarm cue) on a faulty rep, the last rep card, the sensor status (rate, packet loss, battery from
the sensors' status packets, also in `/api/session`), a clean-rep tick, and that the page reconnects by
itself after the daemon restarts. `--unplugged FILE[:SPEED]` replays a recording where a sensor is
unplugged and comes back: its card must show it lost (with the reason) and back. `--live` runs
`lumbar live` on `lumbar simulate --pty` sensors with damaged frames and an unplug: packet loss above
zero, battery, lost and back. `--ankle-only` replays an ankle-only Sample CSV: the lower-back card must
say "no data" in red. `--token` serves on 127.0.0.2, where the per-run token is needed, and logs in through
the URL the daemon prints. `--clinic` runs `lumbar live` over HTTPS with the session database: "last time"
beside "now" and the person picker. It writes screenshots and measures the latency from the daemon publishing
`lumbar_moved` to the page receiving it (p50, p99). Closing line: `N passed, N failed`; exit status 1 on
any failure.

Needs Debian's `chromium` and `chromium-driver` (explicit paths below: Selenium downloads nothing)
and `pip install selenium`; `make browser-test` installs them when missing.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

results = []  # (name, ok, detail)


def check(name, ok, detail=""):
    results.append((name, bool(ok), detail))
    print(("PASS " if ok else "FAIL ") + name + (f"  ({detail})" if detail else ""), flush=True)
    return ok


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    """The serving process; started and stopped by this test only (by its own pid)."""

    def __init__(self, command):
        self.command = command
        self.proc = None

    def start(self, port):
        argv = [a.replace("{port}", str(port)) for a in self.command]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        deadline = time.time() + 60
        while time.time() < deadline:  # up when the port accepts connections
            if self.proc.poll() is not None:
                raise RuntimeError(f"{argv[0]} exited with {self.proc.returncode}: {self.proc.stdout.read()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{argv[0]} did not listen on port {port} within 60 s")

    def stop(self):
        if self.proc:
            terminate(self.proc)


def terminate(proc):
    """SIGTERM, then SIGKILL after 10 s: a process this test started never outlives it."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def text(driver, css):
    try:
        return driver.find_element(By.CSS_SELECTOR, css).text
    except Exception:  # not there (yet), or replaced while being read
        return ""


def wait_for(driver, what, predicate, timeout):
    # The page rebuilds lists as data arrives: an element read mid-rebuild is stale; try again, never fail on it.
    try:
        WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=(Exception,)).until(
            lambda d: predicate(d))
        return True
    except Exception:
        return False


def percentile(values, p):
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, int(round(p / 100 * (len(s) - 1)))))
    return s[k]


def replay_phase(driver, args, spec, port):
    """The real pipeline: `lumbar replay FILE --speed S --http` on the same port; the page reconnects to it."""
    path, _, speed = spec.partition(":")
    name = os.path.basename(path)
    daemon = Daemon([args.lumbar, "replay", path, "--speed", speed or "2", "--quiet", "--http", "127.0.0.1:{port}"])
    states = driver.execute_script("return window.lumbar.counts.state")
    moved_before = len(driver.execute_script("return window.lumbar.latencies"))
    try:
        daemon.start(port)
        check(f"{name}: page reconnects to the replay",
              wait_for(driver, "state", lambda d: d.execute_script("return window.lumbar.counts.state") > states
                       and text(d, "#conn") == "live", 20), text(driver, "#conn"))
        check(f"{name}: calibrated", wait_for(driver, "cal", lambda d: "calibrated ✓" in text(d, "#calibration"), 30),
              text(driver, "#calibration"))
        check(f"{name}: sensor status from the pipeline (connected, rate)",
              wait_for(driver, "sensors", lambda d: len(d.find_elements(By.CSS_SELECTOR, "#sensors li.up")) >= 2
                       and " Hz" in text(d, "#sensors"), 20), text(driver, "#sensors").replace("\n", " | "))
        sensor_cards_show_link_status(driver, name, port)
        seen = set()
        def rising(d):
            seen.add(text(d, "#rep-count"))
            return len(seen - {"0"}) >= 3
        check(f"{name}: rep count rises", wait_for(driver, "rising", rising, 60), f"seen {sorted(seen)}")
        check(f"{name}: the set's line says how much its tempo varies (the summary's tempo_cv_pct)",
              wait_for(driver, "tempo cv", lambda d: re.search(r"tempo varies \d+%", text(d, "#rep-sets")), 10),
              text(driver, "#rep-sets"))
        alerted = wait_for(driver, "alert", lambda d: d.find_element(By.ID, "alert").is_displayed(), 90)
        check(f"{name}: lumbar alert on a faulty rep", alerted, text(driver, "#alert"))
        if alerted:
            driver.save_screenshot(args.screenshot.replace(".png", f"-{name}.png"))
        check(f"{name}: the faulty rep's card names its fault",
              wait_for(driver, "fault", lambda d: len(d.find_elements(By.CSS_SELECTOR, "#last-rep .chip.fault")) > 0, 30),
              text(driver, "#last-rep").replace("\n", " | "))
        # Every lumbar_moved of the recording reaches the page: the real pipeline's latency figure.
        expected = os.path.join(ROOT, os.path.dirname(path), "expected", name.replace(".lrec", ".events.jsonl"))
        moved = 0
        if os.path.exists(expected):
            with open(expected) as f:
                moved = sum(1 for line in f if '"type":"lumbar_moved"' in line)
        check(f"{name}: every lumbar_moved of the recording reaches the page ({moved})", wait_for(
            driver, "all moved", lambda d: len(d.execute_script("return window.lumbar.latencies")) - moved_before
            >= moved, 60), len(driver.execute_script("return window.lumbar.latencies")) - moved_before)
        lat = driver.execute_script("return window.lumbar.latencies")[moved_before:]
        if lat:
            print(f"{name}: lumbar_moved latency, lumbar replay publish -> page receive: n={len(lat)} "
                  f"p50={percentile(lat, 50):.2f} ms p99={percentile(lat, 99):.2f} ms", flush=True)
    finally:
        daemon.stop()


def write_ankle_only_csv(path, seconds=30.0, rate=100.0):
    """A Sample CSV (FORMATS.md section 1) with one right-ankle sensor and no lumbar one: 3 s still, then
    leg swings of 50 degrees about the sensor's x axis (raise 1 s, hold 0.5 s, lower 1 s, rest 1.5 s)."""
    import math
    with open(path, "w") as f:
        f.write("time_s,sensor,acc_x_g,acc_y_g,acc_z_g,gyr_x_dps,gyr_y_dps,gyr_z_dps\n")
        n = int(seconds * rate)
        for i in range(n):
            t = i / rate
            phase = (t - 3.0) % 4.0 if t >= 3.0 else -1.0
            if 0 <= phase < 1.0:
                angle, speed = 50.0 * (1 - math.cos(math.pi * phase)) / 2, 25.0 * math.pi * math.sin(math.pi * phase)
            elif 1.0 <= phase < 1.5:
                angle, speed = 50.0, 0.0
            elif 1.5 <= phase < 2.5:
                u = phase - 1.5
                angle, speed = 50.0 * (1 + math.cos(math.pi * u)) / 2, -25.0 * math.pi * math.sin(math.pi * u)
            else:
                angle, speed = 0.0, 0.0
            a = math.radians(angle)
            f.write(f"{t:.4f},right_ankle,0,{math.sin(a):.5f},{math.cos(a):.5f},{speed:.4f},0,0\n")


def ankle_only_phase(driver, args, port):
    """A session without a lumbar sensor (`lumbar replay` of an ankle-only Sample CSV): the lower-back card
    must say "no data" in red, never a green 0.0° (issue 14 item 1: on main before this test it showed the
    last trace's 0.0° in green)."""
    scratch = tempfile.mkdtemp(prefix="lumbar-ankle-only-")
    path = os.path.join(scratch, "ankle-only.csv")
    write_ankle_only_csv(path)
    daemon = Daemon([args.lumbar, "replay", path, "--speed", "1", "--quiet", "--http", "127.0.0.1:{port}"])
    states = driver.execute_script("return window.lumbar.counts.state")
    try:
        daemon.start(port)
        check("ankle only: page reconnects to the replay",
              wait_for(driver, "state", lambda d: d.execute_script("return window.lumbar.counts.state") > states
                       and text(d, "#conn") == "live", 20), text(driver, "#conn"))
        check("ankle only: traces arrive", wait_for(
            driver, "trace", lambda d: d.execute_script("return window.lumbar.counts.trace") > 0, 20))
        gauge = lambda d: (text(d, "#lumbar-value"), d.find_element(By.ID, "lumbar-value").get_attribute("class"))
        check("ankle only: the lower-back card says 'no data' in red", wait_for(
            driver, "no data", lambda d: gauge(d)[0] == "no data" and "red" in gauge(d)[1], 20), gauge(driver))
        time.sleep(2)
        check("ankle only: and keeps saying it while the leg moves",
              gauge(driver)[0] == "no data" and "red" in gauge(driver)[1], gauge(driver))
    finally:
        daemon.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def sensor_names(simulator):
    """The emulated sensors `lumbar simulate --pty` lists before its `ready` line (within 30 s)."""
    names, deadline = [], time.time() + 30
    while time.time() < deadline:
        line = simulator.stdout.readline()
        if not line or line.strip() == "ready":
            break
        names.append(line.split()[0])
    return names


def printed_url(proc, scheme):
    """The dashboard URL (with its token) the daemon prints on its output, within 60 s; None otherwise."""
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            return None
        m = re.search(r"dashboard on (" + scheme + r"://\S+)", line)
        if m:
            return m.group(1)
    return None


def token_phase(driver, args):
    """Issue 18: beyond the default loopback address the dashboard wants the per-run token. `lumbar replay
    --http 127.0.0.2:PORT` prints the URL with its token; without it every route answers 401; the browser
    logs in through the printed URL, which trades the token for an HttpOnly session cookie and drops it
    from the address bar, and the page then runs as usual."""
    port = free_port()
    proc = subprocess.Popen(
        [args.lumbar, "replay", "recordings/clean-back-kick.lrec", "--speed", "2", "--quiet", "--http",
         f"127.0.0.2:{port}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    try:
        url = printed_url(proc, "http")
        if not check("token: the daemon prints the dashboard URL with its token",
                     url and re.search(r"\?token=[0-9a-f]{32}$", url), url):
            return
        for route in ["/", "/api/session", "/dashboard/stream", "/events"]:
            try:
                with urllib.request.urlopen(f"http://127.0.0.2:{port}{route}", timeout=5) as r:
                    status = r.status
            except urllib.error.HTTPError as e:
                status = e.code
            check(f"token: {route} without the token answers 401", status == 401, status)
        driver.get(url)
        check("token: the page opened through the printed URL connects",
              wait_for(driver, "live", lambda d: text(d, "#conn") == "live", 20), text(driver, "#conn"))
        check("token: the token is gone from the address bar", "token" not in driver.current_url, driver.current_url)
        cookie = driver.get_cookie("lumbar_session")
        check("token: the session cookie is HttpOnly and SameSite", cookie and cookie.get("httpOnly")
              and cookie.get("sameSite") in ("Lax", "Strict"), cookie)
        check("token: the page follows the session (calibrated)", wait_for(
            driver, "cal", lambda d: "calibrated ✓" in text(d, "#calibration"), 30), text(driver, "#calibration"))
    finally:
        terminate(proc)


def clinic_phase(driver, args):
    """Issue 18 in a clinic: `lumbar live --http 127.0.0.2:PORT --tls-cert --tls-key` with the session
    database, for a person who has a stored session. The browser logs in through the printed https URL (a
    self-signed certificate the test made), the cookie is Secure, the panel shows "last time" (the stored
    session's reps) beside "now" (rising), and choosing "New person…" Bo on the page makes the session Bo's."""
    from selenium.webdriver.support.ui import Select
    scratch = tempfile.mkdtemp(prefix="lumbar-clinic-")
    db = os.path.join(scratch, "clinic.sqlite")
    cert, key = os.path.join(scratch, "cert.pem"), os.path.join(scratch, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "2", "-subj", "/CN=lumbar", "-addext", "subjectAltName=IP:127.0.0.2", "-keyout", key,
                    "-out", cert], check=True, capture_output=True)
    subprocess.run([args.lumbar, "export", "recordings/clean-back-kick.lrec", "--store", "--person", "Anna",
                    "--database", db], check=True, capture_output=True, cwd=ROOT)
    simulator = subprocess.Popen(
        [args.lumbar, "simulate", "--pty", "--link-dir", scratch, "--sets", "1", "--reps", "6", "--seed", "7"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    proc = None
    try:
        names = sensor_names(simulator)
        port = free_port()
        proc = subprocess.Popen(
            [args.lumbar, "live", "--no-status", "--http", f"127.0.0.2:{port}", "--tls-cert", cert, "--tls-key", key,
             "--database", db, "--person", "Anna"] + [a for n in names for a in ("--device", os.path.join(scratch, n))],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        url = printed_url(proc, "https")
        if not check("clinic: the daemon prints the https URL with its token",
                     url and re.search(r"\?token=[0-9a-f]{32}$", url), url):
            return
        driver.get(url)
        check("clinic: the page opened over TLS connects",
              wait_for(driver, "live", lambda d: text(d, "#conn") == "live", 20), text(driver, "#conn"))
        cookie = driver.get_cookie("lumbar_session")
        check("clinic: the session cookie is Secure and HttpOnly", cookie and cookie.get("secure") and cookie.get("httpOnly"),
              cookie)
        def cell(d, figure, column):
            return text(d, f'#compare tr[data-figure="{figure}"] td:nth-child({column})')
        check("clinic: last time shows Anna's stored session (8 reps, its date)",
              wait_for(driver, "last", lambda d: cell(d, "reps", 3) == "8" and "Last time · 20" in text(d, "#last-head"), 30),
              (text(driver, "#last-head"), cell(driver, "reps", 3), text(driver, "#last-note")))
        check("clinic: last time's clean rate, lower back max, range and tempo are shown",
              all(cell(driver, f, 3) not in ("", "–") for f in ["clean", "lumbar", "rom", "tempo"]),
              [cell(driver, f, 3) for f in ["clean", "lumbar", "rom", "tempo"]])
        check("clinic: now counts this session's reps beside it",
              wait_for(driver, "now", lambda d: cell(d, "reps", 2) not in ("", "0"), 120), cell(driver, "reps", 2))
        check("clinic: the picker lists Anna as this session's person",
              Select(driver.find_element(By.ID, "person-select")).first_selected_option.text == "Anna",
              text(driver, "#person-status"))
        Select(driver.find_element(By.ID, "person-select")).select_by_visible_text("New person…")
        driver.find_element(By.ID, "person-new").send_keys("Bo")
        driver.find_element(By.ID, "person-set").click()
        check("clinic: choosing a new person on the page makes the session theirs",
              wait_for(driver, "bo", lambda d: "This session is Bo's" in text(d, "#person-status"), 20),
              text(driver, "#person-status"))
        check("clinic: Bo has no earlier session to compare",
              wait_for(driver, "bo-last", lambda d: "No earlier session of Bo" in text(d, "#last-note")
                       and cell(d, "reps", 3) == "–", 20), text(driver, "#last-note"))
        driver.save_screenshot(args.screenshot.replace(".png", "-clinic.png"))
    finally:
        if proc:
            terminate(proc)
        terminate(simulator)
        shutil.rmtree(scratch, ignore_errors=True)


def unplugged_replay_phase(driver, args, spec, port):
    """A recording where a sensor is unplugged and comes back (`recordings/unplugged-ankle.lrec`): replayed,
    the sensor cards must go through what live showed: connected with rate, loss and battery, then lost
    (with the reason of the recorded `sensor_lost`), then connected again. The expected events file beside
    the recording says which sensor, so the checks follow the recording."""
    path, _, speed = spec.partition(":")
    name = os.path.basename(path)
    expected = os.path.join(ROOT, os.path.dirname(path), "expected", name.replace(".lrec", ".events.jsonl"))
    with open(expected) as f:
        events = [json.loads(line) for line in f if line.strip()]
    losses = [e for e in events if e["type"] == "sensor_lost"
              and any(c["type"] == "sensor_connected" and c["sensor"] == e["sensor"] and c["t"] > e["t"] for c in events)]
    if not check(f"{name}: the recording has a sensor that is lost and comes back", losses, expected):
        return
    lost = losses[0]
    daemon = Daemon([args.lumbar, "replay", path, "--speed", speed or "2", "--quiet", "--http", "127.0.0.1:{port}"])
    logged = driver.execute_script("return window.lumbar.sensorLog.length")
    states = driver.execute_script("return window.lumbar.counts.state")
    def log():
        return driver.execute_script(f"return window.lumbar.sensorLog.slice({logged})")
    try:
        daemon.start(port)
        check(f"{name}: page reconnects to the replay",
              wait_for(driver, "state", lambda d: d.execute_script("return window.lumbar.counts.state") > states
                       and text(d, "#conn") == "live", 20), text(driver, "#conn"))
        sensor_cards_show_link_status(driver, name, port)
        ankle = f'#sensors li[data-sensor="{lost["sensor"]}"]'
        went = wait_for(driver, "lost", lambda d: any(not e["connected"] and e["sensor"] == lost["sensor"] for e in log()), 60)
        entry = next((e for e in log() if not e["connected"] and e["sensor"] == lost["sensor"]), None)
        if went:
            driver.save_screenshot(args.screenshot.replace(".png", f"-{name}-lost.png"))
        check(f"{name}: the card shows {lost['sensor']} lost ({lost['reason']}) at {lost['t']:.1f} s",
              went and entry and f"lost ({lost['reason']})" in entry["text"], entry and entry["text"])
        back = wait_for(driver, "back", lambda d: any(e["connected"] for e in log()[log().index(entry) + 1:]
                                                       if e["sensor"] == lost["sensor"]) if entry else False, 60)
        check(f"{name}: the card shows {lost['sensor']} connected again, with rate and loss",
              back and wait_for(driver, "rate", lambda d: re.search(r"\d+ Hz · \d+\.\d% loss", text(d, ankle)), 10),
              text(driver, ankle) if back else log())
    finally:
        daemon.stop()


def sensor_cards_show_link_status(driver, name, port):
    """Every connected sensor's card shows rate, packet loss and the battery of its status packets, and
    `/api/session` carries the same."""
    def cards_complete(d):
        cards = d.execute_script("return [...document.querySelectorAll('#sensors li.up')].map(e => e.textContent)")
        return len(cards) >= 2 and all(re.search(r"\d+ Hz · \d+\.\d% loss", c) and re.search(r"battery \d+%", c)
                                       for c in cards)
    check(f"{name}: sensor cards show rate, packet loss and battery (from status packets)",
          wait_for(driver, "battery", cards_complete, 20), text(driver, "#sensors").replace("\n", " | "))
    sensors = []
    def api_complete(_):
        nonlocal sensors
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/session", timeout=5) as r:
            sensors = json.loads(r.read())["sensors"]
        return len(sensors) >= 2 and all(s["battery_pct"] is not None and "loss_pct" in s for s in sensors)
    check(f"{name}: /api/session has battery and loss per sensor", wait_for(driver, "api", api_complete, 10),
          json.dumps(sensors)[:300])


def live_phase(driver, args, port):
    """`lumbar live` reading emulated sensors on pseudo-terminals (`lumbar simulate --pty`), garbage bytes
    injected between frames (frames lost on the way) and the ankle unplugged for a while: the cards show
    real battery (status packets), packet loss above zero, and the ankle lost and back."""
    scratch = tempfile.mkdtemp(prefix="lumbar-browser-")
    simulator = subprocess.Popen(
        [args.lumbar, "simulate", "--pty", "--link-dir", scratch, "--sets", "1", "--reps", "4", "--seed", "13",
         "--garbage", "--garbage-every", "8", "--unplug", "ankle@9+2", "--fault", "3:extension:14",
         "--fault", "4:extension:14"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    daemon = None
    try:
        names = sensor_names(simulator)
        if not check("live: emulated sensors ready on pseudo-terminals", names, names):
            return
        logged = driver.execute_script("return window.lumbar.sensorLog.length")
        states = driver.execute_script("return window.lumbar.counts.state")
        moved_before = len(driver.execute_script("return window.lumbar.latencies"))
        # Events to /dev/full: the first write fails (ENOSPC) and the page must say so (issue 14 item 5).
        daemon = Daemon([args.lumbar, "live", "--no-status", "--events", "/dev/full", "--http", "127.0.0.1:{port}"]
                        + [a for n in names for a in ("--device", os.path.join(scratch, n))])
        daemon.start(port)
        check("live: page reconnects to `lumbar live`",
              wait_for(driver, "state", lambda d: d.execute_script("return window.lumbar.counts.state") > states
                       and text(d, "#conn") == "live", 20), text(driver, "#conn"))
        first = driver.execute_script(f"return window.lumbar.states[{states}]")
        check("live: a new session's page shows nothing left over from the previous one",
              first and ("none yet" in first["lastRep"]) == (first["reps"] == 0)
              and ("no sensor yet" in first["sensorList"]) == (first["sensors"] == 0), first)
        sensor_cards_show_link_status(driver, "live", port)
        check("live: the failed events output is shown on the page", wait_for(
            driver, "problem", lambda d: "/dev/full" in text(d, "#problems"), 20), text(driver, "#problems"))
        def losing(d):
            return any(float(m) > 0 for m in re.findall(r"(\d+\.\d)% loss", text(d, "#sensors")))
        rate = driver.execute_script(
            "const n0 = window.lumbar.counts.trace; return new Promise(r => setTimeout("
            "() => r(window.lumbar.counts.trace - n0), 2000));")
        print(f"live: trace updates from lumbar live: {rate / 2:.0f}/s (load average {os.getloadavg()[0]:.1f})",
              flush=True)
        if check("live: packet loss above zero shown (frames damaged on the line)",
                 wait_for(driver, "loss", losing, 30), text(driver, "#sensors").replace("\n", " | ")):
            driver.save_screenshot(args.screenshot.replace(".png", "-live.png"))
        def log():
            return driver.execute_script(f"return window.lumbar.sensorLog.slice({logged})")
        def lost_and_back(d):
            entries = [e for e in log() if e["placement"].endswith("ankle")]
            down = next((i for i, e in enumerate(entries) if not e["connected"]), None)
            return down is not None and any(e["connected"] for e in entries[down + 1:])
        ok = wait_for(driver, "unplug", lost_and_back, 60)
        check("live: the ankle's card shows it lost (unplugged) and back",
              ok and any("lost (unplugged)" in e["text"] for e in log()), [e["text"] for e in log()])
        check("live: lumbar alert on a faulty rep, from the real daemon",
              wait_for(driver, "alert", lambda d: len(d.execute_script("return window.lumbar.latencies")) > moved_before
                       and "back moved" in text(d, "#alert").lower(), 60), text(driver, "#alert"))
        lat = driver.execute_script("return window.lumbar.latencies")[moved_before:]
        if lat:
            print(f"live: lumbar_moved latency, lumbar live publish -> page receive: n={len(lat)} "
                  f"p50={percentile(lat, 50):.2f} ms p99={percentile(lat, 99):.2f} ms", flush=True)
    finally:
        if daemon:
            daemon.stop()
        terminate(simulator)
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    # Every lumbar this test starts stores its session under a scratch XDG_DATA_HOME, never in the user's own
    # session database (`live` stores by default).
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="lumbar-browser-data-")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", default=os.path.join(ROOT, ".build", "dashboard.png"))
    parser.add_argument("--demo", default=os.path.join(ROOT, ".build", "debug", "DashboardDemo"))
    parser.add_argument("--lumbar", default=os.path.join(ROOT, ".build", "debug", "lumbar"))
    parser.add_argument("--replay", action="append", default=[],
                        help="also replay this recording with `lumbar replay FILE --speed S --http ...` "
                             "(repeatable; FILE[:SPEED], default speed 2)")
    parser.add_argument("--unplugged", action="append", default=[],
                        help="also replay this recording where a sensor is unplugged and comes back, and check "
                             "that the sensor cards show it lost and back (repeatable; FILE[:SPEED])")
    parser.add_argument("--token", action="store_true",
                        help="also serve on 127.0.0.2 (beyond the default loopback) and log in with the printed URL")
    parser.add_argument("--clinic", action="store_true",
                        help="also run `lumbar live` over HTTPS with the session database: last time, the person picker")
    parser.add_argument("--ankle-only", action="store_true",
                        help="also replay an ankle-only Sample CSV and check the lower-back card says 'no data'")
    parser.add_argument("--live", action="store_true",
                        help="also run `lumbar live` against `lumbar simulate --pty` sensors (battery, packet loss, "
                             "unplug)")
    args = parser.parse_args()

    port = free_port()
    # Phase 1: real pace from the start (calibration prompt), 4 clean reps.
    first = Daemon([args.demo, "--http", "127.0.0.1:{port}", "--speed", "1", "--reps", "4", "--fault-every", "0"])
    # Phase 2 (after a restart on the same port): sped up, every rep faulty (100 lumbar_moved for the latency).
    second = Daemon([args.demo, "--http", "127.0.0.1:{port}", "--speed", "8", "--reps", "100", "--fault-every", "1"])

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--no-proxy-server", "--window-size=820,1400", "--autoplay-policy=no-user-gesture-required",
                 # The clinic phase's certificate is self-signed, made by the test for 127.0.0.2.
                 "--ignore-certificate-errors"]:
        options.add_argument(flag)
    driver = None
    try:
        # The browser first: the demo's "hold still" lasts 2 s of its script (1-3 s after it listens), and a
        # chromium started on a loaded host can take longer than that to come up.
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        first.start(port)
        driver.get(f"http://127.0.0.1:{port}/")

        check("page connects (status 'live')",
              wait_for(driver, "live", lambda d: text(d, "#conn") == "live", 15), text(driver, "#conn"))
        check("'hold still' calibration prompt while calibrating",
              wait_for(driver, "hold", lambda d: text(d, "#calib-text").lower() == "hold still", 10),
              text(driver, "#calib-text"))
        driver.find_element(By.TAG_NAME, "body").click()  # the one tap that unlocks sound
        check("sound unlocked after one tap",
              wait_for(driver, "unlock", lambda d: not d.find_element(By.ID, "unlock").is_displayed(), 5))
        check("the tap also asks to keep the screen awake (wake lock)",
              wait_for(driver, "wake", lambda d: d.execute_script("return window.lumbar.wakeLock") is not None, 5),
              driver.execute_script("return window.lumbar.wakeLock"))
        check("calibrated state shown, prompt gone",
              wait_for(driver, "calibrated", lambda d: "calibrated ✓" in text(d, "#calibration")
                       and not d.find_element(By.ID, "calib-prompt").is_displayed(), 10),
              text(driver, "#calibration"))
        check("sensor status: three sensors with rate, loss and battery",
              wait_for(driver, "sensors", lambda d: len(d.find_elements(By.CSS_SELECTOR, "#sensors li.up")) == 3
                       and "100 Hz" in text(d, "#sensors") and "battery" in text(d, "#sensors"), 10),
              text(driver, "#sensors").replace("\n", " | "))
        check("a low battery stands out: amber, with the sensor's own 'battery low' fault",
              wait_for(driver, "low", lambda d: "battery 15%" in text(d, "#sensors .battery.amber")
                       and "battery low" in text(d, "#sensors .chip"), 10), text(driver, "#sensors").replace("\n", " | "))
        check("rep count rises at real pace",
              wait_for(driver, "rep 1", lambda d: int(text(d, "#rep-count") or 0) >= 1, 20), text(driver, "#rep-count"))
        check("clean rep plays the soft tick",
              wait_for(driver, "tick", lambda d: d.execute_script(
                  "return window.lumbar.cues.some(c => c.kind === 'tick' && c.played)"), 20))

        # The daemon restarts: the page must notice and come back by itself.
        first.stop()
        check("page notices the daemon went away",
              wait_for(driver, "down", lambda d: text(d, "#conn") != "live", 10), text(driver, "#conn"))
        second.start(port)
        check("page reconnects by itself after the daemon restarts",
              wait_for(driver, "back", lambda d: text(d, "#conn") == "live"
                       and d.execute_script("return window.lumbar.counts.state") >= 2, 20),
              text(driver, "#conn"))

        seen = []
        def rising(d):
            n = int(text(d, "#rep-count") or 0)
            if not seen or seen[-1] != n:
                seen.append(n)
            return len([x for x in seen if x > 0]) >= 3
        check("rep count rises (sped-up session)", wait_for(driver, "rising", rising, 30), f"seen {seen}")
        check("lumbar alert shown on a faulty rep",
              wait_for(driver, "alert", lambda d: d.find_element(By.ID, "alert").is_displayed()
                       and "back moved" in text(d, "#alert").lower(), 30), text(driver, "#alert"))
        os.makedirs(os.path.dirname(args.screenshot), exist_ok=True)
        driver.save_screenshot(args.screenshot)
        check("alarm cue played the instant lumbar_moved arrived",
              driver.execute_script("return window.lumbar.cues.some(c => c.kind === 'alarm' && c.played)"))
        check("last rep card shows the fault",
              wait_for(driver, "fault", lambda d: "lumbar extension" in text(d, "#last-rep").lower(), 10),
              text(driver, "#last-rep").replace("\n", " | "))
        check("gauge turns red on the alert", wait_for(
            driver, "red", lambda d: "red" in d.find_element(By.ID, "lumbar-value").get_attribute("class"), 10))
        driver.find_element(By.ID, "mute").click()
        cues = driver.execute_script("return window.lumbar.cues.length")
        check("mute toggle silences the next alarm", wait_for(
            driver, "muted", lambda d: d.execute_script(
                f"return window.lumbar.cues.slice({cues}).some(c => c.kind === 'alarm' && !c.played)"), 15)
              and text(driver, "#mute") == "Muted", text(driver, "#mute"))
        driver.find_element(By.ID, "mute").click()
        rate = driver.execute_script(
            "const n0 = window.lumbar.counts.trace; return new Promise(r => setTimeout("
            "() => r(window.lumbar.counts.trace - n0), 2000));")
        check("traces arrive at >= 30 updates/s", rate / 2 >= 30, f"{rate / 2:.0f}/s")

        # Latency over the whole sped-up session: wait until it has ended.
        wait_for(driver, "end", lambda d: int(text(d, "#rep-count") or 0) >= 2
                 and d.execute_script("return window.lumbar.latencies.length") >= 100, 90)
        lat = driver.execute_script("return window.lumbar.latencies")
        p50, p99 = percentile(lat, 50), percentile(lat, 99)
        print(f"lumbar_moved latency, daemon publish -> page receive: n={len(lat)} "
              f"p50={p50:.2f} ms p99={p99:.2f} ms max={max(lat) if lat else float('nan'):.2f} ms", flush=True)
        check("lumbar_moved latency measured", len(lat) >= 50, f"n={len(lat)}")
        # A figure, not a pass/fail: on a shared 2-core machine the scheduler decides the tail.
        print(f"target p99 <= 50 ms: {'met' if p99 <= 50 else 'NOT met'} "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)", flush=True)
        print(f"screenshot: {args.screenshot}")
        second.stop()
        for spec in args.replay:
            replay_phase(driver, args, spec, port)
        for spec in args.unplugged:
            unplugged_replay_phase(driver, args, spec, port)
        if args.ankle_only:
            ankle_only_phase(driver, args, port)
        if args.live:
            live_phase(driver, args, port)
        if args.token:
            token_phase(driver, args)
        if args.clinic:
            clinic_phase(driver, args)
    except Exception as e:  # a crash of the harness is a failure, reported like one
        check("browser test ran to the end", False, repr(e))
    finally:
        if driver:
            driver.quit()
        first.stop()
        second.stop()

    passed = sum(1 for _, ok, _ in results if ok)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
