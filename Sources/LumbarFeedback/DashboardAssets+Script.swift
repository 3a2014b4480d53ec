extension DashboardAssets {
    /// The page's behaviour: the stream, the DOM, the canvas traces and the Web Audio cues.
    ///
    /// For tests and curious people it keeps `window.lumbar`: `latencies` (ms from the daemon
    /// publishing each `lumbar_moved` to this page receiving it), `cues` (what sounded, and when),
    /// `counts` (messages received by kind), `wakeLock` (`held`, `refused`, `unsupported`, `released`
    /// after the first tap), `states` (per `state` message: its rep and sensor counts and what the last-rep
    /// card and sensor list then showed), `sensorLog` (each sensor's connected/lost changes as the
    /// sensor list rendered them, with the line's text).
    static let script = #"""
        "use strict";
        (function () {
          const $ = (id) => document.getElementById(id);
          const WINDOW_S = 10;
          const PHASES = { rest: "at rest", concentric: "lifting", hold: "holding", eccentric: "lowering" };
          const lumbar = window.lumbar = { latencies: [], cues: [], counts: { state: 0, trace: 0, event: 0 },
                                           sensorLog: [], states: [] };
          let snap = emptySnapshot();
          let points = [];            // {t, leg, lum, thr}
          let dirty = true;
          let es = null;
          let lastMessage = 0;
          let alertUntil = 0;
          let calibratedOnce = false;   // the first (upright) still posture was taken
          let lastSensors = "";
          const sensorShown = {};     // sensor -> connected, as last rendered
          let traceDirty = false;
          let audio = null;
          let muted = localStorage.getItem("lumbar.muted") === "1";

          function emptySnapshot() {
            return { calibration: "waiting", posture: null, exercise: null, rep_in_progress: null, set: null,
                     leg: null, lumbar_alert: false, counts: [], reps: [], sensors: [], last_trace: null, problems: [],
                     clinic: null };
          }

          // ---- stream -------------------------------------------------------------------------------
          function connect() {
            if (es) es.close();
            es = new EventSource("/dashboard/stream");
            es.onopen = () => setConn(true);
            es.onerror = () => {
              setConn(false);
              if (es.readyState === EventSource.CLOSED) setTimeout(connect, 1000);
            };
            es.addEventListener("state", (m) => {
              lumbar.counts.state++;
              lastMessage = Date.now();
              snap = JSON.parse(m.data);
              calibratedOnce = snap.calibration === "calibrated" || (snap.reps || []).length > 0;
              points = [];
              if (snap.last_trace) addTrace(snap.last_trace);
              setAlert(snap.lumbar_alert, null);
              renderAll();
              lumbar.states.push({ reps: snap.reps.length, sensors: snap.sensors.length,
                                   lastRep: $("last-rep").textContent, sensorList: $("sensors").textContent });
            });
            es.addEventListener("trace", (m) => {
              lumbar.counts.trace++;
              lastMessage = Date.now();
              const tr = JSON.parse(m.data);
              snap.last_trace = tr;
              snap.calibration = tr.calibration;
              if (tr.exercise) { snap.exercise = tr.exercise; snap.posture = tr.posture; }
              addTrace(tr);
              traceDirty = true;   // drawn once per frame, so that an event is never queued behind redraws
            });
            // An output that failed (the recording stopped by a full disk, …): said until the page reloads.
            // Whose session it is, the people to choose from and their last session (the daemon reads them).
            es.addEventListener("clinic", (m) => {
              lastMessage = Date.now();
              snap.clinic = JSON.parse(m.data);
              renderClinic();
            });
            es.addEventListener("problem", (m) => {
              lastMessage = Date.now();
              const p = JSON.parse(m.data).text;
              if (!(snap.problems || []).includes(p)) { snap.problems = (snap.problems || []).concat([p]); }
              renderProblems();
            });
            es.addEventListener("lumbar", (m) => {
              const received = performance.timeOrigin + performance.now();
              lumbar.counts.event++;
              lastMessage = Date.now();
              const msg = JSON.parse(m.data);
              if (msg.event.type === "lumbar_moved") {
                lumbar.latencies.push(received - msg.emitted_ms);
                cue("alarm");
              }
              apply(msg.event);
            });
          }

          function setConn(up) {
            const c = $("conn");
            c.textContent = up ? "live" : "reconnecting…";
            c.className = "pill " + (up ? "on" : "off");
          }
          setInterval(() => {
            if (es && es.readyState === EventSource.OPEN && Date.now() - lastMessage > 3000) {
              $("conn").textContent = "connected, no data";
            } else if (es && es.readyState === EventSource.OPEN) {
              $("conn").textContent = "live";
            }
            if (alertUntil && Date.now() > alertUntil && !snap.lumbar_alert) setAlert(false, null);
          }, 250);

          // ---- events -------------------------------------------------------------------------------
          function apply(ev) {
            switch (ev.type) {
              case "calibrated":
                snap.calibration = "calibrated"; snap.posture = ev.posture; snap.exercise = ev.exercise;
                renderCalibration(); break;
              case "rep_started":
                snap.rep_in_progress = ev.rep; snap.set = ev.set; snap.leg = ev.leg;
                renderReps(); break;
              case "lumbar_moved":
                snap.lumbar_alert = true;
                setAlert(true, ev); renderGauge(); break;
              case "lumbar_settled":
                snap.lumbar_alert = false; renderGauge(); break;
              case "rep_completed": {
                snap.rep_in_progress = null; snap.lumbar_alert = false;
                snap.set = ev.set; snap.leg = ev.leg;
                snap.reps.push(ev);
                const clean = ev.faults === "" ? 1 : 0;
                let c = snap.counts.find((x) => x.set === ev.set && x.leg === ev.leg);
                if (!c) { c = { set: ev.set, leg: ev.leg, reps: 0, clean: 0 }; snap.counts.push(c); }
                c.reps++; c.clean += clean;
                if (clean) cue("tick");
                renderReps(); renderLastRep(); renderGauge(); renderCompare(); break;
              }
              case "rep_rejected": {
                // A leg movement that was not counted says why (value against its limit).
                snap.rep_in_progress = null; snap.lumbar_alert = false;
                const unit = ev.unit === "deg" ? "°" : ev.unit === "s" ? " s" : ev.unit === "g" ? " g" : ev.unit === "cm" ? " cm" : "";
                $("rep-rejected").textContent = "not counted: " + words(ev.reason) + " (" + fmt(ev.value, 1) + unit
                  + ", limit " + fmt(ev.limit, 1) + unit + ")";
                renderReps(); renderGauge(); break;
              }
              case "sensor_connected":
              case "sensor_lost": {
                let s = snap.sensors.find((x) => x.sensor === ev.sensor);
                if (!s) { s = { sensor: ev.sensor, placement: ev.placement, rate_hz: 0, loss_pct: 0, battery_pct: null };
                          snap.sensors.push(s); }
                s.connected = ev.type === "sensor_connected";
                s.lost_reason = s.connected ? null : ev.reason;
                if (!s.connected) s.rate_hz = 0;
                renderSensors(); renderGauge(); break;
              }
            }
          }

          // ---- rendering ----------------------------------------------------------------------------
          function renderAll() { renderCalibration(); renderReps(); renderGauge(); renderLastRep(); renderSensors(); renderProblems(); renderClinic(); dirty = true; }

          // ---- clinic: the person, "now" beside "last time" -------------------------------------------
          const mean = (v) => v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
          // The session's key figures as `lumbar history` computes them: clean-rep rate, the largest measured
          // lumbar deviation, mean leg range, mean tempo.
          function nowFigures() {
            const reps = snap.reps || [];
            const measured = reps.filter((r) => r.lumbar_moved !== null && r.lumbar_moved !== undefined);
            const num = (x) => typeof x === "number" && isFinite(x);
            return {
              reps: reps.length,
              clean_rate: reps.length ? reps.filter((r) => r.faults === "").length / reps.length : null,
              lumbar_max_deg: measured.length ? Math.max(...measured.map((r) => r.lumbar_max_deviation_deg)) : null,
              rom_deg: mean(reps.map((r) => r.leg_rom_deg).filter(num)),
              tempo_s: reps.length ? { concentric: mean(reps.map((r) => r.concentric_s)), hold: mean(reps.map((r) => r.hold_s)),
                                       eccentric: mean(reps.map((r) => r.eccentric_s)) } : null,
            };
          }
          function figureTexts(f) {
            if (!f) return { reps: "–", clean: "–", lumbar: "–", rom: "–", tempo: "–" };
            return {
              reps: String(f.reps),
              clean: f.clean_rate === null ? "–" : (100 * f.clean_rate).toFixed(0) + "%",
              lumbar: f.lumbar_max_deg === null ? "–" : fmt(f.lumbar_max_deg, 1) + "°",
              rom: f.rom_deg === null ? "–" : fmt(f.rom_deg, 0) + "°",
              tempo: f.tempo_s ? fmt(f.tempo_s.concentric, 1) + " / " + fmt(f.tempo_s.hold, 1) + " / " + fmt(f.tempo_s.eccentric, 1) + " s" : "–",
            };
          }
          function renderCompare() {
            const c = snap.clinic || {};
            const now = figureTexts(nowFigures());
            const last = c.last_time ? figureTexts(c.last_time) : null;
            for (const row of $("compare").tBodies[0].rows) {
              const k = row.dataset.figure;
              row.cells[1].textContent = now[k];
              row.cells[2].textContent = last ? last[k] : "–";
            }
            const lt = c.last_time;
            $("last-head").textContent = lt ? "Last time · " + lt.started.slice(0, 10)
              + (lt.exercise && lt.exercise !== snap.exercise ? " (" + words(lt.exercise) + ")" : "") : "Last time";
            $("last-note").textContent = c.last_time_note || (lt && !lt.complete ? "that session ended early: its reps until then" : "");
          }
          let pickerShown = "";
          function renderClinic() {
            const c = snap.clinic || { stored: false, unavailable: "no session database", people: [], person: null };
            $("person-picker").hidden = !c.stored;
            const shown = JSON.stringify([c.people, c.person]);
            if (c.stored && shown !== pickerShown) {   // rebuilt only when the list changes: a choice in progress stays
              pickerShown = shown;
              const sel = $("person-select");
              const options = [];
              if (!c.person) options.push(new Option("— choose —", ""));
              for (const name of c.people) options.push(new Option(name, name, false, name === c.person));
              options.push(new Option("New person…", " new"));   // no stored name starts with a space
              sel.replaceChildren(...options);
              $("person-new").hidden = true;
            }
            $("person-status").textContent = c.stored ? (c.person ? "This session is " + c.person + "'s." : "No person chosen yet.")
                                                      : (c.unavailable || "");
            renderCompare();
          }
          $("person-select").addEventListener("change", () => {
            const isNew = $("person-select").value === " new";
            $("person-new").hidden = !isNew;
            if (isNew) $("person-new").focus();
          });
          $("person-set").addEventListener("click", () => {
            const sel = $("person-select").value;
            const name = sel === " new" ? $("person-new").value.trim() : sel;
            if (!name) { $("person-status").textContent = "Type or choose a name first."; return; }
            // Same-origin JSON only (the server refuses other origins and other content types).
            fetch("/api/person", { method: "POST", headers: { "Content-Type": "application/json" },
                                   body: JSON.stringify({ name: name }) })
              .then((r) => r.json().then((j) => ({ ok: r.ok, j: j })))
              .then(({ ok, j }) => { $("person-status").textContent = ok ? "This session is " + j.person + "'s (its reps so far included)."
                                                                          : (j.error && j.error.message) || "not accepted"; })
              .catch(() => { $("person-status").textContent = "The daemon did not answer."; });
          });

          function renderProblems() {
            $("problems").replaceChildren(...(snap.problems || []).map((p) => el("li", null, "⚠ " + p)));
          }

          function words(s) { return String(s || "").replace(/_/g, " "); }
          function fmt(x, d) { return (x === null || x === undefined) ? "–" : Number(x).toFixed(d); }
          function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls;
                                        if (text !== undefined) e.textContent = text; return e; }

          function renderCalibration() {
            const c = $("calibration");
            const state = snap.calibration;
            c.textContent = state === "calibrated"
              ? "calibrated ✓" + (snap.posture && snap.posture !== "unknown" ? " · " + words(snap.posture) : "")
              : (state === "holding_still" ? "calibrating" : "not calibrated");
            c.className = "pill" + (state === "calibrated" ? " calibrated" : "");
            const p = $("calib-prompt");
            p.classList.toggle("hidden", state === "calibrated");
            // The session starts upright (the standing moment tells an arching back from a rounding one), then
            // in position: say which is wanted.
            if (state === "calibrated") calibratedOnce = true;
            $("calib-text").textContent = state === "holding_still" ? "Hold still"
              : calibratedOnce ? "Get into position" : "Stand still, upright";
            const progress = snap.last_trace ? snap.last_trace.calibration_progress : 0;
            $("calib-progress").style.width = (100 * (state === "holding_still" ? progress : 0)).toFixed(0) + "%";
          }

          function renderReps() {
            const cur = snap.counts.find((x) => x.set === snap.set && x.leg === snap.leg);
            $("rep-count").textContent = cur ? cur.reps : 0;
            $("rep-label").textContent = snap.set ? "Set " + snap.set + " · " + words(snap.leg) + " leg" : "Reps";
            const box = $("rep-sets");
            box.replaceChildren(...snap.counts.map((c) => {
              const cv = tempoVariation(c.set, c.leg);
              return el("div", null, "Set " + c.set + " " + words(c.leg) + ": " + c.reps + (c.reps === 1 ? " rep, " : " reps, ") +
                 c.clean + " clean" + (cv === null ? "" : ", tempo varies " + cv.toFixed(0) + "%"));
            }));
          }

          // Tempo consistency within a set, as the summary's tempo_cv_pct: the coefficient of variation of the rep
          // durations (sample standard deviation over mean, %), from two reps on.
          function tempoVariation(set, leg) {
            const d = (snap.reps || []).filter((r) => r.set === set && r.leg === leg)
              .map((r) => r.duration_s).filter((x) => typeof x === "number" && isFinite(x));
            const m = mean(d);
            if (d.length < 2 || !(m > 0)) return null;
            const variance = d.reduce((a, x) => a + (x - m) * (x - m), 0) / (d.length - 1);
            return 100 * Math.sqrt(variance) / m;
          }

          // A back that is not measured is never shown as a still one: once sensors are known, the lower-back
          // card needs a lumbar sensor that is connected and sending samples.
          function lumbarMeasured() {
            if (!snap.sensors.length) return true;
            return snap.sensors.some((s) => s.placement === "lumbar" && s.connected && s.rate_hz > 0);
          }

          function renderGauge() {
            const tr = snap.last_trace;
            if (!lumbarMeasured() || (tr && (tr.lumbar_deg === null || tr.lumbar_deg === undefined))) {
              const v = $("lumbar-value");
              v.textContent = "no data";
              v.className = "big red";
              $("gauge-fill").style.width = "0%";
              $("gauge-caption").textContent = "lower back not measured: check the lumbar sensor";
              return;
            }
            const dev = tr ? tr.lumbar_deg : 0;
            const thr = tr ? tr.threshold_deg : null;
            const level = (snap.lumbar_alert || (thr && dev >= thr)) ? "red" : (thr && dev >= 0.6 * thr ? "amber" : "green");
            const v = $("lumbar-value");
            v.textContent = fmt(dev, 1) + "°";
            v.className = "big " + level;
            const full = thr ? 1.5 * thr : 15;
            const fill = $("gauge-fill");
            fill.style.width = Math.min(100, 100 * dev / full).toFixed(1) + "%";
            fill.style.background = "var(--" + level + ")";
            $("gauge-limit").style.left = (100 / 1.5).toFixed(1) + "%";
            $("gauge-caption").textContent = "limit " + fmt(thr, 0) + "° · " + (PHASES[tr ? tr.phase : "rest"] || words(tr.phase));
          }

          function setAlert(on, ev) {
            const a = $("alert");
            if (on) {
              $("alert-text").textContent = ev ? "Back moved · " + words(ev.direction) + " " + fmt(ev.deviation_deg, 1) + "°"
                                               : "Back moved";
              a.classList.add("active");
              document.body.classList.add("alerting");
              alertUntil = Date.now() + 1500;   // stays up long enough to be seen
            } else {
              a.classList.remove("active");
              document.body.classList.remove("alerting");
              alertUntil = 0;
            }
          }

          function renderLastRep() {
            const box = $("last-rep");
            const r = snap.reps[snap.reps.length - 1];
            if (!r) {   // a new session (daemon restarted): nothing from the previous one stays up
              box.replaceChildren(el("div", "label", "Last rep"), el("div", "small muted", "none yet"));
              return;
            }
            const rows = el("div", "rows");
            const add = (k, v) => { rows.append(el("span", "muted", k), el("span", null, v)); };
            add("Range", fmt(r.leg_rom_deg, 0) + "°");
            add("Up / hold / down", fmt(r.concentric_s, 1) + " / " + fmt(r.hold_s, 1) + " / " + fmt(r.eccentric_s, 1) + " s");
            add("Lower back max", fmt(r.lumbar_max_deviation_deg, 1) + "°");
            const chips = el("div");
            const faults = r.faults ? r.faults.split(";") : [];
            if (faults.length === 0) chips.append(el("span", "chip ok", "clean"));
            for (const f of faults) chips.append(el("span", "chip fault", words(f)));
            box.replaceChildren(el("div", "label", "Last rep"),
                                el("div", "title", "Rep " + r.rep + " · " + words(r.leg)), rows, chips);
          }

          // Each sensor's card line: connection (and why it was lost), rate, packet loss, battery, temperature,
          // device faults. Connection changes go to window.lumbar.sensorLog as rendered (for tests).
          function renderSensors() {
            const list = $("sensors");
            if (!snap.sensors.length) { list.replaceChildren(el("li", "muted", "no sensor yet")); return; }
            list.replaceChildren(...snap.sensors.map((s) => {
              const li = el("li", s.connected ? "up" : "down");
              li.dataset.sensor = s.sensor;
              const faults = s.device_faults || [];
              const lowBattery = s.battery_pct !== null && s.battery_pct !== undefined && s.battery_pct < 20;
              const weak = s.connected && (s.loss_pct > 2 || lowBattery || faults.length > 0);
              li.append(el("span", "dot" + (s.connected ? (weak ? " weak" : " up") : "")),
                        el("strong", null, words(s.placement)),
                        el("span", "muted", s.sensor));
              const silent = s.connected && !(s.rate_hz > 0);
              const state = el("span", "link", silent ? "no data"
                : s.connected ? fmt(s.rate_hz, 0) + " Hz · " + fmt(s.loss_pct, 1) + "% loss"
                : "lost" + (s.lost_reason ? " (" + words(s.lost_reason) + ")" : ""));
              if (!s.connected || silent) state.classList.add("red");
              else if (s.loss_pct > 2) state.classList.add("amber");
              li.append(state);
              if (s.battery_pct !== null && s.battery_pct !== undefined) {
                li.append(el("span", "battery" + (s.battery_pct < 10 ? " red" : (lowBattery ? " amber" : "")),
                             "battery " + fmt(s.battery_pct, 0) + "%"));
              }
              if (s.temperature_c !== null && s.temperature_c !== undefined) {
                li.append(el("span", "muted", fmt(s.temperature_c, 0) + " °C"));
              }
              for (const f of faults) li.append(el("span", "chip", words(f)));
              const was = sensorShown[s.sensor];
              if (was !== s.connected) {
                sensorShown[s.sensor] = s.connected;
                lumbar.sensorLog.push({ sensor: s.sensor, placement: s.placement, connected: s.connected,
                                         text: [...li.children].map((c) => c.textContent).join(" ") });
              }
              return li;
            }));
          }

          // ---- traces -------------------------------------------------------------------------------
          function addTrace(tr) {
            if (points.length && tr.t < points[points.length - 1].t) points = [];   // a new session
            points.push({ t: tr.t, leg: tr.leg_deg, lum: tr.lumbar_deg, thr: tr.threshold_deg });
            const cutoff = tr.t - WINDOW_S - 1;
            let drop = 0;
            while (drop < points.length && points[drop].t < cutoff) drop++;
            if (drop) points.splice(0, drop);
            dirty = true;
          }

          function draw() {
            requestAnimationFrame(draw);
            if (traceDirty) {
              traceDirty = false;
              renderCalibration(); renderGauge();
              // The sensor list changes about once a second: rebuild it only then.
              const tr = snap.last_trace;
              const sensors = JSON.stringify(tr.sensors);
              if (tr.sensors.length && sensors !== lastSensors) {
                lastSensors = sensors;
                snap.sensors = tr.sensors;
                renderSensors();
              }
            }
            if (!dirty) return;
            dirty = false;
            const cv = $("traces");
            const dpr = window.devicePixelRatio || 1;
            const w = cv.clientWidth, h = cv.clientHeight;
            if (cv.width !== Math.round(w * dpr) || cv.height !== Math.round(h * dpr)) {
              cv.width = Math.round(w * dpr); cv.height = Math.round(h * dpr);
            }
            const g = cv.getContext("2d");
            g.setTransform(dpr, 0, 0, dpr, 0, 0);
            g.clearRect(0, 0, w, h);
            const end = points.length ? points[points.length - 1].t : WINDOW_S;
            const start = end - WINDOW_S;
            const half = h / 2;
            const thr = points.length ? points[points.length - 1].thr : 10;
            plot(g, 0, half - 6, w, start, "leg", -10, Math.max(60, ...points.map((p) => p.leg)), "#4aa3ff", "Leg angle °", null);
            plot(g, half + 6, half - 6, w, start, "lum", 0, Math.max(2 * thr, ...points.map((p) => p.lum)), "#f5a623",
                 "Lower back °", thr);
          }

          function plot(g, top, height, width, start, key, lo, hi, color, title, limit) {
            const x = (t) => ((t - start) / WINDOW_S) * width;
            const y = (v) => top + height - ((v - lo) / (hi - lo)) * height;
            g.fillStyle = "#00000040"; g.fillRect(0, top, width, height);
            g.font = "20px system-ui, sans-serif"; g.fillStyle = "#8b95a1"; g.fillText(title, 8, top + 22);
            g.fillText(hi.toFixed(0), width - 44, top + 22);
            if (limit !== null) {
              g.strokeStyle = "#ff3b30"; g.setLineDash([8, 6]); g.lineWidth = 2;
              g.beginPath(); g.moveTo(0, y(limit)); g.lineTo(width, y(limit)); g.stroke(); g.setLineDash([]);
            }
            g.strokeStyle = color; g.lineWidth = 4; g.beginPath();
            let first = true;
            for (const p of points) {
              if (p.t < start) continue;
              if (first) { g.moveTo(x(p.t), y(p[key])); first = false; } else g.lineTo(x(p.t), y(p[key]));
            }
            g.stroke();
          }

          // ---- sound --------------------------------------------------------------------------------
          function unlock() {
            if (!audio) {
              const Ctx = window.AudioContext || window.webkitAudioContext;
              if (Ctx) audio = new Ctx();
            }
            if (audio && audio.state !== "running") audio.resume();
            $("unlock").classList.add("hidden");
            keepAwake();
          }

          // A phone lying on the floor must not dim or lock mid-set: hold a screen wake lock from the first tap
          // (browsers grant it on 127.0.0.1 and HTTPS; elsewhere the page says the screen may sleep).
          let wake = null;
          async function keepAwake() {
            if (wake) return;
            if (!("wakeLock" in navigator)) { lumbar.wakeLock = "unsupported"; return; }
            try {
              wake = await navigator.wakeLock.request("screen");
              lumbar.wakeLock = "held";
              wake.addEventListener("release", () => { wake = null; lumbar.wakeLock = "released"; });
            } catch (e) {
              lumbar.wakeLock = "refused";
            }
          }
          document.addEventListener("visibilitychange", () => {   // the lock ends when the page is hidden
            if (document.visibilityState === "visible" && lumbar.wakeLock === "released") keepAwake();
          });
          document.addEventListener("pointerdown", unlock);
          document.addEventListener("keydown", unlock);

          function tone(type, freq, at, dur, gain) {
            const o = audio.createOscillator(), v = audio.createGain();
            o.type = type; o.frequency.value = freq;
            v.gain.setValueAtTime(0, at);
            v.gain.linearRampToValueAtTime(gain, at + 0.005);
            v.gain.exponentialRampToValueAtTime(0.0001, at + dur);
            o.connect(v).connect(audio.destination);
            o.start(at); o.stop(at + dur + 0.02);
          }

          // "alarm": two loud, harsh low beeps the instant the back moves; "tick": a soft high blip per clean rep.
          function cue(kind) {
            const played = !!audio && audio.state === "running" && !muted;
            lumbar.cues.push({ kind: kind, played: played, at: performance.now() });
            if (!played) return;
            const t = audio.currentTime;
            if (kind === "alarm") { tone("square", 440, t, 0.14, 0.5); tone("square", 330, t + 0.17, 0.18, 0.5); }
            else tone("sine", 1760, t, 0.06, 0.08);
          }

          function renderMute() {
            const b = $("mute");
            b.textContent = muted ? "Muted" : "Sound on";
            b.setAttribute("aria-pressed", muted ? "true" : "false");
          }
          $("mute").addEventListener("click", () => {
            muted = !muted;
            localStorage.setItem("lumbar.muted", muted ? "1" : "0");
            renderMute();
            // The daemon's own sound (`live --sound`) follows the button; without it the request is harmless.
            fetch("/api/mute", { method: "POST", headers: { "Content-Type": "application/json" },
                                 body: JSON.stringify({ muted: muted }) }).catch(() => {});
          });

          renderMute();
          renderAll();
          requestAnimationFrame(draw);
          connect();
        })();
        """#
}
